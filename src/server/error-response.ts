import {
  type AnthropicErrorType,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  anthropicTypeForStatus,
} from '../errors/api-error.js'
import { CredentialsError } from '../errors/credentials-error.js'
import { EventStreamError } from '../errors/event-stream-error.js'
import type { KiroError } from '../errors/kiro-error.js'
import { redactSecrets } from '../util/redact.js'
import { foreignFailure, isStackOverflow } from './foreign-error.js'

/** What an error means for the HTTP answer; `null` when nobody is left to answer (the client left). */
export interface ErrorAnswer {
  status: number
  type: AnthropicErrorType
  message: string
  /** Headers worth passing on to the client: `retry-after`, `retry-after-ms`, `x-kiro-request-id`. */
  headers: Record<string, string>
  /** A failure of the server itself: the message is generic, the error goes to `onError` only. */
  internal?: boolean
}

/** The message of an internal failure, which points at the server's log by request id. */
export function internalErrorMessage(requestId: string): string {
  return `Internal server error in kiro-client (request ${requestId}); the server's error log has the details.`
}

/** The HTTP status an Anthropic server gives each error type (docs/compatibility.md §1.3). */
const STATUS_FOR_TYPE: Record<AnthropicErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

/**
 * Maps anything `KiroClient` can throw to the answer an Anthropic server would give, so the SDKs
 * raise their own classes for it (docs/compatibility.md §0 item 9, §1.3).
 */
export function errorAnswer(error: unknown): ErrorAnswer | null {
  if (error instanceof APIUserAbortError) return null
  const foreign = foreignFailure(error)
  if (foreign !== undefined) {
    // Deep input that got past the body checks into a recursive walk is still the input's fault.
    if (isStackOverflow(foreign)) {
      return answer(400, 'invalid_request_error', 'Request is nested too deeply to process.')
    }
    // Not one of ours: a bug, whose message was never vetted for what it may contain. The caller's
    // `onError` hook receives the error itself. A retry would meet the same bug: say so.
    return {
      status: 500,
      type: 'api_error',
      message: 'Internal server error in kiro-client.',
      headers: { 'x-should-retry': 'false' },
      internal: true,
    }
  }
  if (error instanceof APIConnectionTimeoutError) {
    return answer(504, 'timeout_error', error.message, error)
  }
  if (error instanceof APIConnectionError) {
    return answer(502, 'api_error', error.message, error)
  }
  if (error instanceof APIError) {
    return answer(statusFor(error), error.type, error.message, error)
  }
  if (error instanceof CredentialsError) {
    // The login is fine but Kiro's sign-in service could not renew it just now: a gateway failure
    // that a retry may cure, not a bad key (401 tells the clients never to retry, see errorResponse).
    if (error.code === 'refresh_timeout') return answer(504, 'timeout_error', error.message)
    // A transient refresh failure, or a store another program holds locked for a moment.
    if (isTransientRefreshFailure(error) || error.code === 'locked')
      return answer(502, 'api_error', error.message)
    return answer(401, 'authentication_error', error.message)
  }
  if (error instanceof EventStreamError) {
    const malformed = answer(
      502,
      'api_error',
      `Kiro sent a malformed event stream (${error.code}): ${error.message}`,
    )
    // A frame declaring 16 MiB, a bad checksum, a broken header: a protocol violation, which the
    // same request would meet again. Only a stream cut off mid-frame may go better next time.
    if (error.code !== 'truncated') malformed.headers['x-should-retry'] = 'false'
    return malformed
  }
  return answer(500, 'api_error', (error as KiroError).message)
}

/** A refresh that failed on the way (no answer, or a 429 or 5xx), not because the login is bad. */
function isTransientRefreshFailure(error: CredentialsError): boolean {
  if (error.code !== 'refresh_failed') return false
  const status = error.status
  // Without a status the refresh endpoint never answered (a network failure).
  return status === undefined || status === 429 || status >= 500
}

/**
 * The status to answer an APIError with. Kiro's own status is kept only when it means the same
 * thing to an Anthropic client (its type is the one Anthropic gives that status): a Kiro 429
 * saying "no capacity" is `overloaded_error` and must reach the SDK as 529, or it would raise
 * RateLimitError; a quota on a 429 is `billing_error`, 402. In-stream failures have no status.
 */
function statusFor(error: APIError): number {
  const status = error.status
  if (status !== undefined && status >= 400 && anthropicTypeForStatus(status) === error.type) return status
  return STATUS_FOR_TYPE[error.type]
}

function answer(status: number, type: AnthropicErrorType, message: string, source?: APIError): ErrorAnswer {
  const headers: Record<string, string> = {}
  if (source !== undefined) {
    // The wait the error carries (Kiro's Retry-After, or an account pool's earliest ready time), so
    // that the SDKs' and Claude Code's own retries honour it (§4.2); else the upstream's headers.
    const waitMs = source.retryAfterMs
    if (waitMs !== undefined && Number.isFinite(waitMs) && waitMs >= 0) {
      headers['retry-after'] = String(Math.ceil(waitMs / 1000))
      headers['retry-after-ms'] = String(Math.ceil(waitMs))
    } else {
      const retryAfter = source.headers?.get('retry-after')
      const retryAfterMs = source.headers?.get('retry-after-ms')
      if (retryAfter) headers['retry-after'] = retryAfter
      if (retryAfterMs) headers['retry-after-ms'] = retryAfterMs
    }
    if (source.requestID) headers['x-kiro-request-id'] = source.requestID
  }
  return { status, type, message, headers }
}

/**
 * An error `Response` in Anthropic's shape, with the `request-id` header on it (§0 item 9), and
 * `x-should-retry: false` on the errors a retry cannot fix (§1.3: the header overrides every
 * client's own policy). Without it Claude Code retries a 401 up to ten times, silently, for over
 * two minutes, before it reports a wrong key.
 */
export function errorResponse(
  status: number,
  type: AnthropicErrorType,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  const error = { type, message: redactSecrets(message) }
  const body = JSON.stringify({ type: 'error', error, request_id: requestId })
  const retry: Record<string, string> = isRetryableStatus(status) ? {} : { 'x-should-retry': 'false' }
  return new Response(body, {
    status,
    headers: { ...retry, ...headers, 'content-type': 'application/json', 'request-id': requestId },
  })
}

/** The statuses the SDKs retry by default (docs/compatibility.md §1.3): 408, 409, 429 and 5xx. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}
