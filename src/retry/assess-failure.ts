import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '../errors/api-error.js'
import { classifyKiroFailure, kiroFailureOf } from '../errors/classify.js'

/** Why an attempt is retried; rides along on the `onRetry` callback. */
export type RetryReason =
  | 'connection_error'
  | 'timeout'
  | 'rate_limited'
  | 'overloaded'
  | 'server_error'
  | 'token_invalid'
  /** The account failed for a reason of its own (docs/accounts.md): the next attempt goes to another. */
  | 'account_failover'

/** What a failure means for the retry loop. */
export interface FailureAssessment {
  /** Another attempt with the same body may succeed. */
  retryable: boolean
  /** Kiro rejected the access token: one forced refresh and one retry may fix it. */
  tokenInvalid: boolean
  reason: RetryReason | undefined
}

const FINAL: FailureAssessment = { retryable: false, tokenInvalid: false, reason: undefined }

/**
 * Reads retryability off an error's own fields, so that errors built anywhere (the HTTP error
 * factory, the stream mapper's in-stream exceptions, another copy of the library) are judged the
 * same way: through `classifyKiroFailure` (docs/protocol.md §4.3).
 */
export function assessFailure(error: unknown): FailureAssessment {
  if (error instanceof APIUserAbortError) return FINAL
  if (error instanceof APIConnectionTimeoutError) {
    // A spent total budget cannot be helped by trying again; a refresh timeout belongs to the credentials.
    const retryable = error.timeout === 'response' || error.timeout === 'idle'
    return retryable ? { retryable, tokenInvalid: false, reason: 'timeout' } : FINAL
  }
  if (error instanceof APIConnectionError) {
    return { retryable: true, tokenInvalid: false, reason: 'connection_error' }
  }
  if (!(error instanceof APIError)) return FINAL
  const failure = classifyKiroFailure(kiroFailureOf(error))
  if (failure.tokenInvalid) return { retryable: false, tokenInvalid: true, reason: 'token_invalid' }
  if (!failure.retryable) return FINAL
  const reason: RetryReason =
    failure.type === 'rate_limit_error'
      ? 'rate_limited'
      : failure.type === 'overloaded_error'
        ? 'overloaded'
        : failure.type === 'timeout_error'
          ? 'timeout'
          : 'server_error'
  return { retryable: true, tokenInvalid: false, reason }
}
