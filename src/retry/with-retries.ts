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

/**
 * Runs `attemptFn` until it succeeds or the retry policy ({@link retryDecision}) says stop, then
 * rejects with the last failure (or the policy's error).
 *
 * `attemptFn` receives the 1-based attempt number and the caller's signal. It must cover only the
 * part of the work that happens before anything reaches the caller: a failure after the first
 * event is a stream error, never a silent replay.
 *
 * One `pRetry` call per request: p-retry runs the loop and counts the attempts; the policy judges
 * each failure in `onFailedAttempt`; `shouldConsumeRetry` keeps the forced token refresh out of the
 * budget; `shouldRetry` refreshes, reports and waits. The wait is ours rather than p-retry's backoff
 * because it honours Retry-After, uses full jitter, and ends with `APIUserAbortError` on abort
 * (docs/transport.md, "How the retry loop uses p-retry").
 */
export async function withRetries<T>(
  attemptFn: (attempt: number, signal: AbortSignal | undefined) => Promise<T>,
  options: WithRetriesOptions = {},
): Promise<T> {
  // Checked with the client's options (src/client/options.ts).
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS
  const { signal, onRetry, onTokenInvalid, deadline } = options
  const sleep = options.sleep ?? abortableSleep
  let tokenRefresh: TokenRefreshState = onTokenInvalid ? 'available' : 'unavailable'
  // The policy's verdict on the latest failure: taken in onFailedAttempt, acted on after it.
  let decision: RetryDecision = { retry: false }

  if (signal?.aborted) throw new APIUserAbortError()

  return pRetry(
    async (attempt) => {
      if (signal?.aborted) throw new APIUserAbortError()
      return attemptFn(attempt, signal)
    },
    {
      // p-retry refuses a retry once `retries` are spent, even one that shouldConsumeRetry made
      // free: room for the forced refresh. The policy enforces maxRetries itself.
      retries: maxRetries + 1,
      // No backoff of p-retry's own: shouldRetry waits.
      minTimeout: 0,
      onFailedAttempt: ({ error, attemptNumber }) => {
        decision = retryDecision({
          attempt: attemptNumber,
          maxRetries,
          error,
          maxRetryAfterMs,
          tokenRefresh,
          ...(options.random ? { random: options.random } : {}),
          ...(options.scope ? { scope: options.scope } : {}),
        })
      },
      shouldConsumeRetry: () => !(decision.retry && decision.refreshToken),
      shouldRetry: async ({ error, attemptNumber }) => {
        // p-retry rejects with what shouldRetry throws (the policy's error), or with the failure on false.
        if (!decision.retry) {
          if (decision.error) throw decision.error
          return false
        }
        // A wait that would end past the deadline is not started: the failure is final now.
        if (deadline !== undefined && performance.now() + decision.delayMs >= deadline) return false
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
