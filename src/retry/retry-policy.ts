import { APIError, restateError } from '../errors/api-error.js'
import { assessFailure, type RetryReason } from './assess-failure.js'
import { parseRetryAfter } from './retry-after.js'

/** Defaults of the retry policy. */
export const DEFAULT_MAX_RETRIES = 3
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000
const BACKOFF_BASE_MS = 500
const BACKOFF_CAP_MS = 8_000

/**
 * Which failures are retried: `all` retryable ones, or only `transient` faults the caller cannot see
 * or act on (a connection lost before the first byte, a timeout, a 5xx). With `transient`, throttling
 * and capacity refusals (Kiro's 429s) fail at once, with the wait Kiro asked for, for the caller to
 * retry: what an Anthropic-compatible server wants, whose clients retry themselves (docs/server.md,
 * "Retries").
 */
export type RetryScope = 'all' | 'transient'

/** Whether the one forced token refresh (after a 401/403 "bearer token invalid") can still be spent. */
export type TokenRefreshState = 'available' | 'used' | 'unavailable'

export interface RetryDecisionInput {
  /** 1-based number of the attempt that just failed, counting every attempt made. */
  attempt: number
  /** Retries allowed on top of the first attempt. The forced token refresh does not count against it. */
  maxRetries: number
  error: unknown
  /** Longest server-demanded wait that is honoured; a longer one fails at once. @defaultValue 60_000 */
  maxRetryAfterMs?: number
  /** @defaultValue 'unavailable' */
  tokenRefresh?: TokenRefreshState
  /** Source of jitter in [0, 1). @defaultValue Math.random */
  random?: () => number
  /** Now in ms since the epoch, for Retry-After dates. @defaultValue Date.now() */
  now?: number
  /** @defaultValue 'all' */
  scope?: RetryScope
}

export type RetryDecision =
  | {
      retry: true
      delayMs: number
      reason: RetryReason
      /** Invalidate the credentials (one forced refresh) before the next attempt. */
      refreshToken: boolean
    }
  /** Stop; throw `error` when given, else the failure itself. */
  | { retry: false; error?: Error }

/**
 * The retry policy as a pure function.
 *
 * - Never retried: caller aborts, a spent total timeout, 4xx validation, quotas (`MONTHLY_REQUEST_COUNT`,
 *   402), auth failures other than the one forced refresh; anything that is not an `APIError`.
 * - Retried: connection errors, response and idle timeouts, 408, 429, 5xx, Kiro throttling and capacity
 *   errors, up to `maxRetries` times.
 * - A token the server calls invalid gets one refresh and one immediate retry, outside the budget.
 * - The wait: `retry-after-ms`, then `Retry-After`, when present (a wait over `maxRetryAfterMs` stops
 *   at once with an error naming the wait); otherwise full-jitter exponential backoff,
 *   `random() * min(8 s, 500 ms * 2^n)` for the n-th retry (n from 0).
 */
export function retryDecision(input: RetryDecisionInput): RetryDecision {
  const { attempt, maxRetries, error } = input
  const tokenRefresh = input.tokenRefresh ?? 'unavailable'
  const assessment = assessFailure(error)

  if (assessment.tokenInvalid) {
    return tokenRefresh === 'available'
      ? { retry: true, delayMs: 0, reason: 'token_invalid', refreshToken: true }
      : { retry: false }
  }
  if (!assessment.retryable || assessment.reason === undefined) return { retry: false }
  if (input.scope === 'transient' && !isTransient(assessment.reason, error)) return { retry: false }

  const retriesDone = attempt - 1 - (tokenRefresh === 'used' ? 1 : 0)
  if (retriesDone >= maxRetries) return { retry: false }

  const maxRetryAfterMs = input.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS
  const demanded =
    error instanceof APIError && error.headers ? parseRetryAfter(error.headers, input.now) : undefined
  if (demanded !== undefined) {
    if (demanded > maxRetryAfterMs)
      return { retry: false, error: waitTooLongError(error, demanded, maxRetryAfterMs) }
    return { retry: true, delayMs: Math.ceil(demanded), reason: assessment.reason, refreshToken: false }
  }

  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retriesDone)
  const random = input.random ?? Math.random
  return {
    retry: true,
    delayMs: Math.floor(random() * ceiling),
    reason: assessment.reason,
    refreshToken: false,
  }
}

/** A fault the caller can neither see nor act on: lost connections, timeouts, 5xx answers. */
function isTransient(reason: RetryReason, error: unknown): boolean {
  if (reason === 'connection_error' || reason === 'timeout' || reason === 'server_error') return true
  // Capacity answered as a 503 is a server fault; answered as a 429 it is Kiro turning us away.
  const status = error instanceof APIError ? error.status : undefined
  return reason === 'overloaded' && status !== undefined && status >= 500
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`
}

/** The same kind of error as `error`, saying how long Kiro asked to wait and that it was not retried. */
function waitTooLongError(error: unknown, waitMs: number, capMs: number): Error {
  const original = error as APIError
  return restateError(
    original,
    `${original.message} Not retried: Kiro asked for ${seconds(waitMs)}, longer than the ${seconds(capMs)} ` +
      `this client waits (maxRetryAfterMs). Try again in ${seconds(waitMs)}.`,
    { retryAfterMs: waitMs },
  )
}
