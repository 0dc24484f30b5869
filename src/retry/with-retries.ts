import pRetry from 'p-retry'
import { APIUserAbortError } from '../errors/api-error.js'
import type { RetryReason } from './assess-failure.js'
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  type RetryDecision,
  type RetryScope,
  retryDecision,
  type TokenRefreshState,
} from './retry-policy.js'
import { abortableSleep, type Sleep } from './sleep.js'

/** What the `onRetry` callback learns before each wait. */
export interface RetryInfo {
  /** 1-based number of the attempt that failed. */
  attempt: number
  /** The wait before the next attempt. */
  delayMs: number
  reason: RetryReason
  /** HTTP status of the failed attempt, when it got one. */
  status: number | undefined
  error: Error
}

export interface WithRetriesOptions {
  /** Retries after the first attempt. @defaultValue 3 */
  maxRetries?: number | undefined
  /** The caller's signal: cancels the attempt in flight (through `attemptFn`) and any wait. */
  signal?: AbortSignal | undefined
  /** Longest `Retry-After` honoured, ms. @defaultValue 60_000 */
  maxRetryAfterMs?: number | undefined
  /**
   * `performance.now()` by which everything must be done (the `total` timeout). A retry whose wait
   * would end past it is not attempted: the failure is final at once, rather than after a sleep
   * that the deadline would cut short anyway.
   */
  deadline?: number | undefined
  /** Called before each wait. If it throws, retrying stops and the call rejects with that error. */
  onRetry?: ((info: RetryInfo) => void) | undefined
  /**
   * Forces one credentials refresh after a 401/403 that says the token is invalid (the client passes
   * `provider.invalidate`). Without it such a failure is final.
   */
  onTokenInvalid?: ((error: Error, signal: AbortSignal | undefined) => Promise<void>) | undefined
  /** Which failures are retried. @defaultValue 'all' */
  scope?: RetryScope | undefined
  /** Injected for tests. */
  sleep?: Sleep | undefined
  random?: (() => number) | undefined
}

function statusOf(error: Error): number | undefined {
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' ? status : undefined
}

function checkMaxRetries(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RETRIES
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`maxRetries: must be a non-negative integer, got ${String(value)}`)
  }
  return value
}

function checkMaxRetryAfter(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_RETRY_AFTER_MS
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new TypeError(
      `maxRetryAfterMs: must be a non-negative number of milliseconds, got ${String(value)}`,
    )
  }
  return value
}

/**
 * Runs `attemptFn` until it succeeds or the retry policy ({@link retryDecision}) says stop, then
 * rejects with the last failure (or the policy's error).
 *
 * `attemptFn` receives the 1-based attempt number and the caller's signal. It must cover only the
 * part of the work that happens before anything reaches the caller: a failure after the first
 * event is a stream error, never a silent replay. The loop itself is p-retry with its
 * own delay turned off; waits are ours, so they honour Retry-After and the signal.
 */
export async function withRetries<T>(
  attemptFn: (attempt: number, signal: AbortSignal | undefined) => Promise<T>,
  options: WithRetriesOptions = {},
): Promise<T> {
  const maxRetries = checkMaxRetries(options.maxRetries)
  const maxRetryAfterMs = checkMaxRetryAfter(options.maxRetryAfterMs)
  const { signal, onRetry, onTokenInvalid } = options
  const sleep = options.sleep ?? abortableSleep
  let tokenRefresh: TokenRefreshState = onTokenInvalid ? 'available' : 'unavailable'

  if (signal?.aborted) throw new APIUserAbortError()

  return pRetry(
    async (attempt) => {
      if (signal?.aborted) throw new APIUserAbortError()
      return attemptFn(attempt, signal)
    },
    {
      // One more than the budget: room for the forced token refresh; the policy enforces the budget.
      retries: maxRetries + 1,
      minTimeout: 0,
      maxTimeout: 0,
      shouldRetry: async ({ error, attemptNumber }) => {
        const decision: RetryDecision = retryDecision({
          attempt: attemptNumber,
          maxRetries,
          error,
          maxRetryAfterMs,
          tokenRefresh,
          ...(options.random ? { random: options.random } : {}),
          ...(options.scope ? { scope: options.scope } : {}),
        })
        // p-retry rejects with whatever shouldRetry throws: the failure itself, or the policy's error.
        if (!decision.retry) throw decision.error ?? error
        if (options.deadline !== undefined && performance.now() + decision.delayMs >= options.deadline) {
          throw error
        }
        if (decision.refreshToken && onTokenInvalid) {
          tokenRefresh = 'used'
          await onTokenInvalid(error, signal)
        }
        onRetry?.({
          attempt: attemptNumber,
          delayMs: decision.delayMs,
          reason: decision.reason,
          status: statusOf(error),
          error,
        })
        await sleep(decision.delayMs, signal)
        return true
      },
    },
  )
}
