import type { AnthropicErrorType } from './api-error.js'

/** What Kiro said went wrong, from an HTTP error response or an in-stream exception frame. */
export interface KiroFailure {
  /** HTTP status; undefined for in-stream exceptions. */
  status?: number | undefined
  /** `x-amzn-errortype`, `__type`, or `:exception-type`, with any `com.amazon...#` prefix removed. */
  kiroErrorType?: string | undefined
  reason?: string | undefined
  message?: string | undefined
}

export interface KiroFailureClass {
  type: AnthropicErrorType
  /** The HTTP status an Anthropic server would answer with. */
  status: number
  /** Worth another attempt with the same body (before any event reached the caller). */
  retryable: boolean
  /** The access token was rejected: refresh once and retry once. */
  tokenInvalid: boolean
  /** A message that says what happened and what to do. */
  message: string
}

/** Strips the Smithy namespace and any `:suffix` from an error type (`com.amazon.aws.codewhisperer#ThrottlingException`). */
export function normalizeKiroErrorType(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined
  const hash = raw.lastIndexOf('#')
  const name = hash === -1 ? raw : raw.slice(hash + 1)
  const colon = name.indexOf(':')
  return (colon === -1 ? name : name.slice(0, colon)) || undefined
}

const QUOTA_REASONS = new Set([
  'MONTHLY_REQUEST_COUNT',
  'OVERAGE_REQUEST_LIMIT_EXCEEDED',
  'CONVERSATION_LIMIT_EXCEEDED',
  'DAILY_REQUEST_COUNT',
])

/** `text` as a clause inside a sentence: trimmed, runs of white space made one, no closing `.`, `!` or `…`. */
function clause(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\s.!…]+$/u, '')
}

/** Kiro refused the request as longer than the model accepts (a context-size refusal). */
export function isContextOverflow(failure: Pick<KiroFailure, 'reason' | 'message'>): boolean {
  return (
    failure.reason === 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' || /input is too long/i.test(failure.message ?? '')
  )
}

/**
 * Maps a Kiro failure to the Anthropic error it means (docs/protocol.md §4.3). The order matters:
 * context overflow is reported even on a 429, and a quota is never retried whatever the status.
 */
export function classifyKiroFailure(failure: KiroFailure): KiroFailureClass {
  const { status, reason } = failure
  const type = failure.kiroErrorType ?? ''
  const text = failure.message ?? ''
  // Kiro's own words, without their closing punctuation: each message below ends its sentence
  // itself (Kiro's "Rate exceeded." would otherwise end as "Rate exceeded..").
  const quoted = clause(text)
  const said = quoted ? `: ${quoted}` : ''
  const result = (
    anthropicType: AnthropicErrorType,
    httpStatus: number,
    retryable: boolean,
    message: string,
    tokenInvalid = false,
  ): KiroFailureClass => ({ type: anthropicType, status: httpStatus, retryable, tokenInvalid, message })

  if (isContextOverflow(failure)) {
    // The client restates this with the request's token figures (src/client/context-overflow.ts).
    return result(
      'invalid_request_error',
      400,
      false,
      'prompt is too long: Kiro refused the conversation as longer than this model accepts. Compact or shorten the conversation and try again.',
    )
  }
  if (reason !== undefined && QUOTA_REASONS.has(reason)) {
    return result(
      'billing_error',
      402,
      false,
      `Kiro quota reached (${reason})${said}. Retrying will not help until the quota resets or the plan changes.`,
    )
  }
  if (status === 402 || type === 'ServiceQuotaExceededException') {
    return result('billing_error', 402, false, `Kiro quota exceeded${said}.`)
  }
  if (
    reason === 'INSUFFICIENT_MODEL_CAPACITY' ||
    reason === 'MODEL_TEMPORARILY_UNAVAILABLE' ||
    /high load/i.test(text)
  ) {
    return result(
      'overloaded_error',
      529,
      true,
      `Kiro is overloaded for this model${said}. Try again shortly.`,
    )
  }
  if (status === 429 || type === 'ThrottlingException' || reason === 'SERVICE_REQUEST_RATE_EXCEEDED') {
    return result('rate_limit_error', 429, true, `Kiro is throttling requests${said}. Wait and try again.`)
  }
  if (/bearer token included in the request is invalid|token (is )?(expired|invalid)/i.test(text)) {
    return result(
      'authentication_error',
      401,
      false,
      'Kiro rejected the access token. It will be refreshed; if this persists, sign in to Kiro again.',
      true,
    )
  }
  if (status === 401) {
    return result(
      'authentication_error',
      401,
      false,
      `Kiro rejected the credentials${said}. Sign in to Kiro again.`,
    )
  }
  if (status === 403 || type === 'AccessDeniedException') {
    return result('permission_error', 403, false, `Kiro denied access${reason ? ` (${reason})` : ''}${said}.`)
  }
  if (reason === 'INVALID_MODEL_ID') {
    return result(
      'not_found_error',
      404,
      false,
      `model: Kiro does not offer this model to this account${said}. Check the name, or the subscription tier.`,
    )
  }
  if (status === 404 || type === 'ResourceNotFoundException') {
    return result('not_found_error', 404, false, `Kiro did not find the resource${said}.`)
  }
  if (status === 408) return result('timeout_error', 408, true, `Kiro timed out${said}.`)
  if (status === 503 || type === 'ServiceUnavailableException') {
    return result('overloaded_error', 529, true, `Kiro is unavailable${said}. Try again shortly.`)
  }
  if (status === 400 || type === 'ValidationException' || type === 'invalidStateEvent') {
    return result(
      'invalid_request_error',
      400,
      false,
      text === 'Improperly formed request.'
        ? 'Kiro answered "Improperly formed request." (it names no field). The translated request broke a rule Kiro enforces; please report it with the request.'
        : `Kiro rejected the request${said}.`,
    )
  }
  if (status === 409 || type === 'ConflictException') {
    return result('invalid_request_error', 409, false, `Kiro reported a conflict${said}.`)
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return result('invalid_request_error', status, false, `Kiro answered ${status}${said}.`)
  }
  return result(
    'api_error',
    status !== undefined && status >= 500 ? status : 500,
    true,
    `Kiro failed${said}.`,
  )
}
