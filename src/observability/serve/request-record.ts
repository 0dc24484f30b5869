import { AsyncLocalStorage } from 'node:async_hooks'

/** What serve learns about one HTTP request, from the adapter, the handler and the client's hooks. */
export interface RequestRecord {
  method: string
  /** The path without its query string (a query may carry anything; it is never logged). */
  path: string
  /** A bounded label for metrics: `/v1/messages`, `/v1/models/{id}`, … or `other`. */
  route: string
  startedAt: number
  /** The `request-id` answered to the client. */
  requestId?: string | undefined
  status?: number | undefined
  /** Until the response headers went out (for a stream: its first event was ready). */
  ttfbMs?: number | undefined
  durationMs?: number | undefined
  /** The client went away before the response was complete. */
  clientClosed?: boolean | undefined
  /** The model of the Kiro request, once it was translated (so never an arbitrary string). */
  model?: string | undefined
  inputTokens?: number | undefined
  outputTokens?: number | undefined
  cacheReadTokens?: number | undefined
  cacheCreationTokens?: number | undefined
  /** Attempts sent to Kiro (0 for routes that never call it). */
  attempts: number
  /** The account that served the request, with an account pool. */
  accountId?: string | undefined
  /** The name of the client key presented, with named client keys. */
  clientKey?: string | undefined
  /** The upstream failure, when there was one: its class and Anthropic error type. */
  error?: { name: string; type?: string | undefined } | undefined
}

const current = new AsyncLocalStorage<RequestRecord>()

/** Runs `fn` with `record` as the current request: the client's hooks find it with {@link currentRecord}. */
export function withRecord<T>(record: RequestRecord, fn: () => T): T {
  return current.run(record, fn)
}

/** The record of the HTTP request whose handling is running now, if any. */
export function currentRecord(): RequestRecord | undefined {
  return current.getStore()
}

const MODEL_ROUTE = /^\/v1\/models\/[^/]+\/?$/
const KNOWN_ROUTES = new Set([
  '/',
  '/api/hello',
  '/v1/messages',
  '/v1/messages/count_tokens',
  '/v1/models',
  '/health',
  '/ready',
  '/metrics',
])

/** The route label of a path: one of the served routes, `/v1/models/{id}`, or `other`. */
export function routeOf(path: string): string {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  if (KNOWN_ROUTES.has(trimmed)) return trimmed
  if (MODEL_ROUTE.test(trimmed)) return '/v1/models/{id}'
  return 'other'
}
