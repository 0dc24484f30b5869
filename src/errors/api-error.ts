import { parseRetryAfter } from '../retry/retry-after.js'
import { redactValue, safeHeaders } from '../util/redact.js'
import { KiroError } from './kiro-error.js'

/** The `error.type` strings of the Anthropic API. */
export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error'

export interface APIErrorInit {
  /** HTTP status; undefined for failures without a response (in-stream errors, network, abort). */
  status?: number | undefined
  /** Response headers; credential headers (`authorization`, cookies) are dropped, other values scrubbed. */
  headers?: Headers | undefined
  /** Kiro's request id (`x-amzn-requestid`), when known. */
  requestID?: string | undefined
  /** The upstream error body, parsed when it was JSON. Kept scrubbed of secrets. */
  error?: unknown
  /** Anthropic error type; derived from the status when absent. */
  type?: AnthropicErrorType | undefined
  /** Kiro's exception name, e.g. `ThrottlingException`. */
  kiroErrorType?: string | undefined
  /** Kiro's `reason`, e.g. `MONTHLY_REQUEST_COUNT`. */
  reason?: string | undefined
  /**
   * How long to wait before trying again, in ms, when known: Kiro's `Retry-After`, or (with an
   * account pool) the time until an account is ready. A server answers it as `retry-after`.
   * @defaultValue read from `headers` (`retry-after-ms`, then `retry-after`), when they say
   */
  retryAfterMs?: number | undefined
  cause?: unknown
}

/** Anthropic error type for an HTTP status, as the Anthropic API assigns them. */
export function anthropicTypeForStatus(status: number | undefined): AnthropicErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error'
    case 401:
      return 'authentication_error'
    case 402:
      return 'billing_error'
    case 403:
      return 'permission_error'
    case 404:
      return 'not_found_error'
    case 408:
    case 504:
      return 'timeout_error'
    case 413:
      return 'request_too_large'
    case 429:
      return 'rate_limit_error'
    case 529:
      return 'overloaded_error'
    default:
      return status !== undefined && status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error'
  }
}

/**
 * An error answered by Kiro (or raised while talking to it), shaped like `@anthropic-ai/sdk`'s `APIError`.
 */
export class APIError extends KiroError {
  override name = 'APIError'
  readonly status: number | undefined
  readonly headers: Headers | undefined
  readonly requestID: string | undefined
  readonly error: unknown
  /** The Anthropic error type string (`rate_limit_error`, `overloaded_error`, ...). */
  readonly type: AnthropicErrorType
  readonly kiroErrorType: string | undefined
  readonly reason: string | undefined
  /** How long to wait before trying again, in ms, when known (Kiro's `Retry-After`, or an account pool's). */
  readonly retryAfterMs: number | undefined

  constructor(message: string, init: APIErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.status = init.status
    this.headers = safeHeaders(init.headers)
    this.requestID = init.requestID
    this.error = redactValue(init.error)
    this.type = init.type ?? anthropicTypeForStatus(init.status)
    this.kiroErrorType = init.kiroErrorType
    this.reason = init.reason
    this.retryAfterMs =
      init.retryAfterMs ?? (init.headers === undefined ? undefined : parseRetryAfter(init.headers))
  }

  /** Picks the subclass for an Anthropic error type (or, failing that, a status). */
  static generate(message: string, init: APIErrorInit): APIError {
    const type = init.type ?? anthropicTypeForStatus(init.status)
    const full = { ...init, type }
    switch (type) {
      case 'invalid_request_error':
      case 'request_too_large':
        return init.status === 404 ? new NotFoundError(message, full) : new BadRequestError(message, full)
      case 'authentication_error':
        return new AuthenticationError(message, full)
      case 'billing_error':
        return new PaymentRequiredError(message, full)
      case 'permission_error':
        return new PermissionDeniedError(message, full)
      case 'not_found_error':
        return new NotFoundError(message, full)
      case 'rate_limit_error':
        return new RateLimitError(message, full)
      case 'overloaded_error':
        return new OverloadedError(message, full)
      case 'api_error':
      case 'timeout_error':
        return new InternalServerError(message, full)
      default:
        return new APIError(message, full)
    }
  }
}

/**
 * `error` said again with a new message: the same answer (status, headers, request id, body, Kiro's
 * type and reason, wait), of the subclass its type picks, with `changes` applied and the original as
 * its `cause`.
 */
export function restateError(
  error: APIError,
  message: string,
  changes: Partial<APIErrorInit> = {},
): APIError {
  return APIError.generate(message, {
    status: error.status,
    headers: error.headers,
    requestID: error.requestID,
    error: error.error,
    type: error.type,
    kiroErrorType: error.kiroErrorType,
    reason: error.reason,
    retryAfterMs: error.retryAfterMs,
    cause: error,
    ...changes,
  })
}

/** 400: the request is malformed or cannot be served (validation, context too long). */
export class BadRequestError extends APIError {
  override name = 'BadRequestError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 400, type: 'invalid_request_error', ...init })
  }
}

/** 401: the login is missing or invalid. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 401, type: 'authentication_error', ...init })
  }
}

/** 402: a Kiro quota or plan limit (`MONTHLY_REQUEST_COUNT`, overage cap); retrying will not help. */
export class PaymentRequiredError extends APIError {
  override name = 'PaymentRequiredError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 402, type: 'billing_error', ...init })
  }
}

/** 403: the account may not do this (suspended, feature not enabled, quota). */
export class PermissionDeniedError extends APIError {
  override name = 'PermissionDeniedError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 403, type: 'permission_error', ...init })
  }
}

/** 404: unknown model or resource. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 404, type: 'not_found_error', ...init })
  }
}

/** 429 or a Kiro throttling error: too many requests, or a quota reached. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 429, type: 'rate_limit_error', ...init })
  }
}

/** 5xx: Kiro failed. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 500, type: 'api_error', ...init })
  }
}

/** Kiro has no capacity for this model right now (`INSUFFICIENT_MODEL_CAPACITY`, "high load"). */
export class OverloadedError extends APIError {
  override name = 'OverloadedError'
  constructor(message: string, init: APIErrorInit = {}) {
    super(message, { status: 529, type: 'overloaded_error', ...init })
  }
}

/** No answer could be had: DNS, refused or reset connection, TLS, a broken body. */
export class APIConnectionError extends APIError {
  override name = 'APIConnectionError'
  constructor(message = 'Connection error.', init: APIErrorInit = {}) {
    super(message, { type: 'api_error', ...init })
  }
}

/** Which timeout fired. */
export type TimeoutKind = 'response' | 'idle' | 'total' | 'refresh'

/** A timeout fired; `timeout` says which one and `timeoutMs` its length. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = 'APIConnectionTimeoutError'
  readonly timeout: TimeoutKind
  readonly timeoutMs: number

  constructor(timeout: TimeoutKind, timeoutMs: number, message?: string, init: APIErrorInit = {}) {
    super(message ?? `Request timed out: the ${timeout} timeout of ${timeoutMs} ms elapsed.`, {
      type: 'timeout_error',
      ...init,
    })
    this.timeout = timeout
    this.timeoutMs = timeoutMs
  }
}

/** The caller aborted the request (its `signal`, `stream.abort()`, or `break` out of iteration). */
export class APIUserAbortError extends APIError {
  override name = 'APIUserAbortError'
  constructor(message = 'Request was aborted.', init: APIErrorInit = {}) {
    super(message, init)
  }
}
