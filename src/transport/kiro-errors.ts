import { APIError } from '../errors/api-error.js'
import { classifyKiroFailure, normalizeKiroErrorType } from '../errors/classify.js'
import { parseRetryAfter } from '../retry/retry-after.js'

/** Kiro's request id; AWS services spell the header three ways (docs/protocol.md §1.4). */
export function requestIdOf(headers: Headers): string | undefined {
  return (
    headers.get('x-amzn-requestid') ??
    headers.get('x-amzn-request-id') ??
    headers.get('x-amz-request-id') ??
    undefined
  )
}

function parseBody(text: string): unknown {
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as unknown
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return trimmed === '' ? undefined : text
}

function stringField(body: unknown, ...names: string[]): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const record = body as Record<string, unknown>
  for (const name of names) {
    const value = record[name]
    if (typeof value === 'string' && value !== '') return value
  }
  return undefined
}

// A proxy's HTML error page does not belong in an error message; the whole body stays on `error`.
const MAX_MESSAGE_CHARS = 500

function clip(text: string | undefined): string | undefined {
  return text !== undefined && text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text
}

/**
 * Turns a non-2xx answer of Kiro into the matching Anthropic-named error (docs/protocol.md §4.3).
 *
 * The error type comes from `x-amzn-errortype` or the body's `__type` (Smithy namespace stripped),
 * `message` and `reason` from the JSON body; `classifyKiroFailure` picks the Anthropic type and
 * words the message. The parsed body is kept as `error`, the response headers as `headers`; the
 * request's headers (which hold the token) are never touched.
 */
export function errorFromResponse(response: Response, bodyText: string): APIError {
  const body = parseBody(bodyText)
  const kiroErrorType = normalizeKiroErrorType(
    response.headers.get('x-amzn-errortype') ?? stringField(body, '__type', 'code'),
  )
  const message = clip(
    stringField(body, 'message', 'Message') ?? (typeof body === 'string' ? body : undefined),
  )
  const reason = stringField(body, 'reason')
  const failure = classifyKiroFailure({ status: response.status, kiroErrorType, reason, message })
  const wait = failure.retryable ? parseRetryAfter(response.headers) : undefined
  const advice = wait === undefined ? '' : ` Kiro asks to wait ${Math.ceil(wait / 1000)} s before retrying.`
  return APIError.generate(failure.message + advice, {
    status: response.status,
    headers: response.headers,
    requestID: requestIdOf(response.headers),
    error: body,
    type: failure.type,
    kiroErrorType,
    reason,
    retryAfterMs: wait,
  })
}
