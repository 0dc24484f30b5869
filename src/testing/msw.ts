import type { KiroFetchSimulator } from './fetch-simulator.js'

/**
 * The part of msw's `http` namespace used here, typed structurally so that this package does not
 * depend on msw: pass `http` from `msw`.
 */
export interface MswHttp<Handler> {
  all(path: string, resolver: (info: { request: Request }) => Promise<Response>): Handler
}

/**
 * msw request handlers that answer every path under `baseUrl` with the simulator.
 *
 * @example
 * ```ts
 * import { http } from 'msw'
 * import { setupServer } from 'msw/node'
 * const sim = createKiroFetchSimulator({ baseUrl: 'https://q.us-east-1.amazonaws.com' })
 * const server = setupServer(...kiroMswHandlers(http, sim))
 * ```
 * @param baseUrl - the origin to intercept. @defaultValue `simulator.url`
 */
export function kiroMswHandlers<Handler>(
  http: MswHttp<Handler>,
  simulator: Pick<KiroFetchSimulator, 'handle' | 'url'>,
  baseUrl: string = simulator.url,
): Handler[] {
  const base = baseUrl.replace(/\/+$/, '')
  return [http.all(`${base}/*`, ({ request }) => simulator.handle(request))]
}
