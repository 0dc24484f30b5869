import type { RetryScope } from '../retry/retry-policy.js'
import type { KiroTimeouts } from '../transport/timeouts.js'

/** Per-request options (the second argument of every method). */
export interface RequestOptions {
  /** Aborts the request, the body read, retry waits and token refresh. */
  signal?: AbortSignal | undefined
  /** Overrides the client's timeouts for this request. */
  timeout?: Partial<KiroTimeouts> | undefined
  maxRetries?: number | undefined
  /** Which failures are retried: all retryable ones, or only transient faults (see `RetryScope`). */
  retryScope?: RetryScope | undefined
  /** Extra headers for this request's Kiro calls. */
  headers?: Record<string, string> | undefined
}
