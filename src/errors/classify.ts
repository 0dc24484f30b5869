import { type AnthropicErrorType, APIConnectionError, APIError, APIUserAbortError } from './api-error.js'
import { CredentialsError } from './credentials-error.js'

/** What Kiro said went wrong, from an HTTP error response or an in-stream exception frame. */
export interface KiroFailure {
  /** HTTP status; undefined for in-stream exceptions. */
  status?: number | undefined
  /** `x-amzn-errortype`, `__type`, or `:exception-type`, with any `com.amazon...#` prefix removed. */
  kiroErrorType?: string | undefined
  reason?: string | undefined
  message?: string | undefined
}

/**
 * Who or what a failure is about, which retries, the account pool and metrics act on alike
 * (docs/accounts.md "States"): the first four park an account, `token_invalid` earns one forced
 * refresh, the rest leave the account as it is.
 */
export type FailureKind =
  /** The account sends too fast (`ThrottlingException`, 429): it cools down. */
  | 'throttled'
  /** Its monthly or daily quota, credits or overage cap are used up (402, `MONTHLY_REQUEST_COUNT`...). */
  | 'quota'
  /** Kiro suspended the account (`TEMPORARILY_SUSPENDED`, "suspicious activity"). */
  | 'suspended'
  /** The login cannot give a token any more (`invalid_grant`, no refresh token, a broken login file). */
  | 'invalid_login'
  /** Kiro rejected the access token: refresh it once. */
  | 'token_invalid'
  /** The model has no capacity now (`INSUFFICIENT_MODEL_CAPACITY`, "high load"): not the account's fault. */
  | 'model_capacity'
  /** The request itself is at fault: validation, too long, unknown model, a feature this account lacks. */
  | 'request'
  /** Kiro failed or could not be reached: worth another attempt. */
  | 'server'

export interface KiroFailureClass {
  kind: FailureKind
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

/** Reasons that mean the account's allowance is spent until a reset (docs/protocol.md §4.3, §9.1). */
const QUOTA_REASONS = new Set([
  'MONTHLY_REQUEST_COUNT',
  'OVERAGE_REQUEST_LIMIT_EXCEEDED',
  'DAILY_REQUEST_COUNT',
])

/** Credits or a quota gone, said in words only (some answers carry a bare 429 and no reason). */
const QUOTA_TEXT =
  /\b(?:monthly|daily) (?:request |usage )?(?:limit|quota)\b|reached for this month|\bout of credits\b|\bcredits? (?:limit|exhausted|depleted)\b|\binsufficient credits\b/i

/** An account flagged or suspended, said in words (docs/protocol.md §9.1). */
const SUSPENDED_TEXT = /\bsuspend|\bsuspicious activit/i

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
    kind: FailureKind,
    anthropicType: AnthropicErrorType,
    httpStatus: number,
    retryable: boolean,
    message: string,
  ): KiroFailureClass => ({
    kind,
    type: anthropicType,
    status: httpStatus,
    retryable,
    tokenInvalid: kind === 'token_invalid',
    message,
  })

  if (isContextOverflow(failure)) {
    // The client restates this with the request's token figures (src/client/context-overflow.ts).
    return result(
      'request',
      'invalid_request_error',
      400,
      false,
      'prompt is too long: Kiro refused the conversation as longer than this model accepts. Compact or shorten the conversation and try again.',
    )
  }
  if (reason !== undefined && QUOTA_REASONS.has(reason)) {
    return result(
      'quota',
      'billing_error',
      402,
      false,
      `Kiro quota reached (${reason})${said}. Retrying will not help until the quota resets or the plan changes.`,
    )
  }
  if (reason === 'CONVERSATION_LIMIT_EXCEEDED') {
    // A limit of this conversation, not of the account: another account would refuse it too.
    return result('request', 'billing_error', 402, false, `Kiro quota reached (${reason})${said}.`)
  }
  if (status === 402 || type === 'ServiceQuotaExceededException') {
    return result('quota', 'billing_error', 402, false, `Kiro quota exceeded${said}.`)
  }
  if (
    reason === 'TEMPORARILY_SUSPENDED' ||
    ((status === 403 ||
      status === 429 ||
      type === 'AccessDeniedException' ||
      type === 'ThrottlingException') &&
      SUSPENDED_TEXT.test(text))
  ) {
    return result(
      'suspended',
      'permission_error',
      403,
      false,
      `Kiro suspended this account${reason ? ` (${reason})` : ''}${said}. Retrying does not help; the account stays unusable until Kiro lifts the suspension.`,
    )
  }
  if (
    reason === 'INSUFFICIENT_MODEL_CAPACITY' ||
    reason === 'MODEL_TEMPORARILY_UNAVAILABLE' ||
    /high load/i.test(text)
  ) {
    return result(
      'model_capacity',
      'overloaded_error',
      529,
      true,
      `Kiro is overloaded for this model${said}. Try again shortly.`,
    )
  }
  const throttling =
    status === 429 || type === 'ThrottlingException' || reason === 'SERVICE_REQUEST_RATE_EXCEEDED'
  if ((throttling || status === 403) && QUOTA_TEXT.test(text)) {
    return result(
      'quota',
      'billing_error',
      402,
      false,
      `Kiro quota reached${said}. Retrying will not help until the quota resets or the plan changes.`,
    )
  }
  if (throttling) {
    return result(
      'throttled',
      'rate_limit_error',
      429,
      true,
      `Kiro is throttling requests${said}. Wait and try again.`,
    )
  }
  if (/bearer token included in the request is invalid|token (is )?(expired|invalid)/i.test(text)) {
    return result(
      'token_invalid',
      'authentication_error',
      401,
      false,
      'Kiro rejected the access token. It will be refreshed; if this persists, sign in to Kiro again.',
    )
  }
  if (status === 401) {
    return result(
      'invalid_login',
      'authentication_error',
      401,
      false,
      `Kiro rejected the credentials${said}. Sign in to Kiro again.`,
    )
  }
  if (status === 403 || type === 'AccessDeniedException') {
    return result(
      'request',
      'permission_error',
      403,
      false,
      `Kiro denied access${reason ? ` (${reason})` : ''}${said}.`,
    )
  }
  if (reason === 'INVALID_MODEL_ID') {
    return result(
      'request',
      'not_found_error',
      404,
      false,
      `model: Kiro does not offer this model to this account${said}. Check the name, or the subscription tier.`,
    )
  }
  if (status === 404 || type === 'ResourceNotFoundException') {
    return result('request', 'not_found_error', 404, false, `Kiro did not find the resource${said}.`)
  }
  if (status === 408) return result('server', 'timeout_error', 408, true, `Kiro timed out${said}.`)
  if (status === 503 || type === 'ServiceUnavailableException') {
    return result('server', 'overloaded_error', 529, true, `Kiro is unavailable${said}. Try again shortly.`)
  }
  if (status === 400 || type === 'ValidationException' || type === 'invalidStateEvent') {
    return result(
      'request',
      'invalid_request_error',
      400,
      false,
      text === 'Improperly formed request.'
        ? 'Kiro answered "Improperly formed request." (it names no field). The translated request broke a rule Kiro enforces; please report it with the request.'
        : `Kiro rejected the request${said}.`,
    )
  }
  if (status === 409 || type === 'ConflictException') {
    return result('request', 'invalid_request_error', 409, false, `Kiro reported a conflict${said}.`)
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return result('request', 'invalid_request_error', status, false, `Kiro answered ${status}${said}.`)
  }
  return result(
    'server',
    'api_error',
    status !== undefined && status >= 500 ? status : 500,
    true,
    `Kiro failed${said}.`,
  )
}

/** The `message` of an upstream error body (`{"message": ...}`), or the body itself when it was text. */
function upstreamMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body
  if (typeof body === 'object' && body !== null) {
    const fields = body as { message?: unknown; Message?: unknown }
    const message = fields.message ?? fields.Message
    if (typeof message === 'string') return message
  }
  return undefined
}

/** What an `APIError` (built anywhere: the HTTP error factory, an in-stream exception) says Kiro said. */
export function kiroFailureOf(error: APIError): KiroFailure {
  return {
    status: error.status,
    kiroErrorType: error.kiroErrorType,
    reason: error.reason,
    message: upstreamMessage(error.error),
  }
}

/** Credentials failures that no retry cures: the login itself is missing, broken or refused. */
const DEAD_LOGIN_CODES = new Set([
  'refresh_token_invalid',
  'expired',
  'invalid_credentials',
  'not_found',
  'invalid_file',
  'unsupported',
])

/**
 * The {@link FailureKind} of anything a request can throw, read off the error's own fields so that
 * errors from another copy of the library are judged the same way. Undefined for a caller's abort
 * and for errors that are not the library's (a bug, not a failure of Kiro or of an account).
 */
export function failureKindOf(error: unknown): FailureKind | undefined {
  if (error instanceof APIUserAbortError) return undefined
  if (error instanceof APIConnectionError) return 'server'
  if (error instanceof APIError) return classifyKiroFailure(kiroFailureOf(error)).kind
  if (error instanceof CredentialsError) {
    return DEAD_LOGIN_CODES.has(error.code) ? 'invalid_login' : 'server'
  }
  return undefined
}
