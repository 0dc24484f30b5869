import { createKeyCheck, presentedApiKeys } from '../../server/api-key.js'
import type { RequestGuard } from '../../server/request-guard.js'
import { newRequestId } from '../../server/request-id.js'
import type { AccountObservation, ServeMetrics } from './serve-metrics.js'

export interface OpsRoutesOptions {
  /** Serves `GET /metrics` from these; without them the path is left to the next handler. */
  metrics?: ServeMetrics | undefined
  /** A key `/metrics` requires (the admin key), as `x-api-key` or `Authorization: Bearer`. */
  metricsKey?: string | undefined
  /**
   * The Host and Origin checks of the API routes (docs/security.md, "Browsers"), applied to
   * `/metrics` too: a page that rebinds its name to this server must not read them.
   */
  guard?: RequestGuard | undefined
  /** The accounts now: `/ready` and the per-account gauges read them. */
  accounts: () => readonly AccountObservation[] | Promise<readonly AccountObservation[]>
}

/** Answers a request, or returns undefined when the path is not one of these routes. */
export type OpsRoutes = (request: Request, path: string) => Promise<Response> | undefined

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' }

/**
 * `GET /health` (liveness: the process answers), `GET /ready` (at least one account can serve now;
 * 503 otherwise) and `GET /metrics` (Prometheus text). Health and readiness need no key and no
 * particular Host, as probes have neither, and say nothing about accounts beyond counts
 * (docs/observability.md); `/metrics` passes the guard and the admin key first.
 */
export function createOpsRoutes(options: OpsRoutesOptions): OpsRoutes {
  const checkKey = options.metricsKey === undefined ? undefined : createKeyCheck(options.metricsKey)
  return (request, path) => {
    const route = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
    if (
      route !== '/health' &&
      route !== '/ready' &&
      (route !== '/metrics' || options.metrics === undefined)
    ) {
      return undefined
    }
    const method = request.method.toUpperCase()
    if (method !== 'GET' && method !== 'HEAD') {
      return Promise.resolve(
        new Response(
          JSON.stringify({ error: `Method not allowed: ${method} ${route} (allowed: GET, HEAD).` }),
          {
            status: 405,
            headers: { ...JSON_HEADERS, allow: 'GET, HEAD' },
          },
        ),
      )
    }
    const head = method === 'HEAD'
    if (route === '/health') return Promise.resolve(json({ status: 'ok' }, 200, head))
    if (route === '/ready') return ready(options, head)
    const refused = options.guard?.(request, newRequestId())
    if (refused !== undefined) return Promise.resolve(refused)
    return metrics(options.metrics!, options, checkKey, request, head)
  }
}

async function ready(options: OpsRoutesOptions, head: boolean): Promise<Response> {
  const accounts = await options.accounts()
  const readyCount = accounts.filter((account) => account.state === 'ready').length
  const body = {
    status: readyCount > 0 ? 'ready' : 'not_ready',
    accounts: { ready: readyCount, total: accounts.length },
  }
  return json(body, readyCount > 0 ? 200 : 503, head)
}

async function metrics(
  served: ServeMetrics,
  options: OpsRoutesOptions,
  checkKey: ((presented: readonly string[]) => Promise<boolean>) | undefined,
  request: Request,
  head: boolean,
): Promise<Response> {
  if (checkKey !== undefined && !(await checkKey(presentedApiKeys(request.headers)))) {
    return new Response(
      JSON.stringify({ error: '/metrics needs the admin key, as x-api-key or Authorization: Bearer.' }),
      {
        status: 401,
        headers: JSON_HEADERS,
      },
    )
  }
  served.observeAccounts(await options.accounts())
  const { contentType, body } = await served.render()
  return new Response(head ? null : body, {
    headers: { 'content-type': contentType, 'cache-control': 'no-store' },
  })
}

function json(body: unknown, status: number, head: boolean): Response {
  return new Response(head ? null : JSON.stringify(body), { status, headers: JSON_HEADERS })
}
