import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RefreshEvent } from '../../auth/types.js'
import type { KiroHooks } from '../../client/hooks.js'
import type { FetchHandler } from '../../server/handler.js'
import { toNodeListener } from '../../server/node.js'
import type { RequestGuard } from '../../server/request-guard.js'
import { redact } from '../../util/redact.js'
import type { LogLevel } from '../log-level.js'
import type { Logger } from '../logger.js'
import { type ListedAccount, LoginWatch } from './login-account.js'
import { createOpsRoutes, type OpsRoutes } from './ops-routes.js'
import { currentRecord, type RequestRecord, routeOf, withRecord } from './request-record.js'
import { serveHooks } from './serve-hooks.js'
import { type LogFormat, ServeLog } from './serve-log.js'
import { type AccountObservation, createServeMetrics, type ServeMetrics } from './serve-metrics.js'

export interface ServeObservabilityOptions {
  /** Serve `GET /metrics` on the main port. */
  metrics: boolean
  /** Serve `/metrics` (with `/health` and `/ready`) on this port instead; implies metrics. */
  metricsPort?: number | undefined
  /** The address the metrics port binds. */
  host: string
  /** The admin key: `/metrics` requires it when set. */
  adminKey?: string | undefined
  /** The Host and Origin checks of the API, applied to `/metrics` on either port. */
  guard?: RequestGuard | undefined
  logFormat: LogFormat
  logLevel: LogLevel
  out: (text: string) => void
  err: (text: string) => void
}

/** What `serve` needs to be observable: client options, a listener wrapper, a log and the extras. */
export interface ServeObservability {
  readonly log: ServeLog
  /** Options for the KiroClient: the serve hooks, and the library's own log at `--log-level debug`. */
  readonly clientOptions: { hooks: KiroHooks; logLevel?: LogLevel; logger?: Logger }
  /** The metrics, when they are on. */
  readonly metrics: ServeMetrics | undefined
  /** Readiness and the account gauges read the client's accounts (`client.accounts.list()`). */
  useClient(client: { accounts: { list(): Promise<readonly ListedAccount[]> } }): void
  /** Or any other list of accounts. */
  useAccounts(accounts: () => readonly AccountObservation[] | Promise<readonly AccountObservation[]>): void
  /** The node listener: ops routes, then `handler`, each request timed, counted and logged. */
  listener(handler: FetchHandler): RequestListener
  /** Starts the separate metrics port, when one was asked for; resolves with its URL. */
  listenMetrics(): Promise<string | undefined>
  close(): Promise<void>
}

/** Routes that are probes or scrapes: kept out of the request metrics, and logged only at debug. */
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics'])

/**
 * Builds the observability of `serve` (docs/observability.md): Prometheus metrics when asked for
 * (prom-client is loaded only then), `/health` and `/ready`, one access-log line per request, and
 * the client hooks that feed them.
 */
export async function createServeObservability(
  options: ServeObservabilityOptions,
): Promise<ServeObservability> {
  const wantMetrics = options.metrics || options.metricsPort !== undefined
  const metrics = wantMetrics ? await createServeMetrics() : undefined
  const log = new ServeLog({
    format: options.logFormat,
    level: options.logLevel,
    out: options.out,
    err: options.err,
  })

  const login = new LoginWatch()
  let accounts: () => readonly AccountObservation[] | Promise<readonly AccountObservation[]> = () => []

  const refreshLog = (event: RefreshEvent) => {
    login.refreshed(event)
    if (!event.ok) {
      const reason = event.error ? `${event.error.code}: ${redact(event.error.message, [])}` : 'unknown'
      log.write('error', 'token refresh failed', {
        source: event.source,
        background: event.background,
        reason,
      })
    } else if (event.writeBackError) {
      log.write('warn', 'token refreshed but not saved', {
        source: event.source,
        reason: event.writeBackError.code,
      })
    }
  }
  const hooks = serveHooks(metrics)
  const countRefresh = hooks.onTokenRefresh
  hooks.onTokenRefresh = (event) => {
    countRefresh?.(event)
    refreshLog(event)
  }
  // A pool account parked or back: worth a line (the gauges show it at the next scrape).
  hooks.onAccountStatus = (event) =>
    log.write(event.state === 'ready' ? 'info' : 'warn', `account ${event.account}: ${event.state}`, {
      account: event.account,
      state: event.state,
      until: event.until === undefined ? undefined : new Date(event.until).toISOString(),
      reason: event.reason,
      cause: event.cause,
    })

  const ops = (extra: Omit<Parameters<typeof createOpsRoutes>[0], 'accounts'>): OpsRoutes =>
    createOpsRoutes({ ...extra, accounts: () => accounts() })
  const mainOps = ops({
    metrics: options.metricsPort === undefined ? metrics : undefined,
    metricsKey: options.adminKey,
    guard: options.guard,
  })
  let metricsServer: Server | undefined

  return {
    log,
    metrics,
    clientOptions:
      options.logLevel === 'debug' ? { hooks, logLevel: 'debug', logger: log.logger() } : { hooks },
    useClient(client) {
      accounts = async () => (await client.accounts.list()).map((account) => login.observe(account))
    },
    useAccounts(list) {
      accounts = list
    },
    listener(handler) {
      const timed: FetchHandler = async (request) => {
        const started = performance.now()
        const path = new URL(request.url).pathname
        const response = (await mainOps(request, path)) ?? (await handler(request))
        const record = currentRecord()
        if (record !== undefined) {
          record.ttfbMs = performance.now() - started
          record.status = response.status
          record.requestId = response.headers.get('request-id') ?? undefined
        }
        return response
      }
      const node = toNodeListener(timed)
      return (request, response) => observe(request, response, node)
    },
    async listenMetrics() {
      if (options.metricsPort === undefined) return undefined
      const routes = ops({ metrics, metricsKey: options.adminKey, guard: options.guard })
      const listener = toNodeListener(async (request) => {
        const answered = routes(request, new URL(request.url).pathname)
        return answered === undefined
          ? new Response(
              JSON.stringify({ error: 'Not found: this port serves /metrics, /health and /ready.' }),
              {
                status: 404,
                headers: { 'content-type': 'application/json' },
              },
            )
          : await answered
      })
      metricsServer = createServer((request, response) => void listener(request, response))
      metricsServer.listen(options.metricsPort, options.host)
      await new Promise<void>((resolve, reject) => {
        metricsServer!.once('listening', resolve)
        metricsServer!.once('error', reject)
      })
      const address = metricsServer.address() as AddressInfo
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
      return `http://${host}:${address.port}`
    },
    async close() {
      const server = metricsServer
      if (server === undefined) return
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }

  function observe(
    request: IncomingMessage,
    response: ServerResponse,
    node: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  ): void {
    const path = (request.url ?? '/').split('?')[0] ?? '/'
    const record: RequestRecord = {
      method: request.method ?? 'GET',
      path,
      route: routeOf(path),
      startedAt: performance.now(),
      attempts: 0,
    }
    const quiet = QUIET_ROUTES.has(record.route)
    if (!quiet) metrics?.requestStarted(record)
    response.once('close', () => {
      record.durationMs = performance.now() - record.startedAt
      record.clientClosed = !response.writableFinished
      record.status ??= response.statusCode
      if (!quiet) metrics?.requestFinished(record)
      log.access(record, quiet)
    })
    withRecord(record, () => void node(request, response))
  }
}
