import { BadRequestError } from '../errors/api-error.js'

/**
 * A 400 for a malformed request, worded like the Anthropic API (`messages.3.content.1.tool_use_id:
 * Field required`). `error` holds the Anthropic error body a server can send as is.
 */
export function invalid(path: string, reason: string): BadRequestError {
  const message = path === '' ? reason : `${path}: ${reason}`
  return new BadRequestError(message, {
    error: { type: 'error', error: { type: 'invalid_request_error', message } },
  })
}

/**
 * Caller JSON as the translator reads it: the members it looks at, each `unknown` until checked.
 * (Named members rather than an index signature, so reads are plain property accesses.)
 */
export interface Fields {
  readonly model?: unknown
  readonly messages?: unknown
  readonly system?: unknown
  readonly tools?: unknown
  readonly thinking?: unknown
  readonly output_config?: unknown
  readonly metadata?: unknown
  readonly role?: unknown
  readonly content?: unknown
  readonly type?: unknown
  readonly text?: unknown
  readonly source?: unknown
  readonly media_type?: unknown
  readonly data?: unknown
  readonly title?: unknown
  readonly context?: unknown
  readonly tool_use_id?: unknown
  readonly is_error?: unknown
  readonly id?: unknown
  readonly name?: unknown
  readonly input?: unknown
  readonly signature?: unknown
  readonly tool_name?: unknown
  readonly file_id?: unknown
  readonly error_code?: unknown
  readonly url?: unknown
  readonly budget_tokens?: unknown
  readonly effort?: unknown
  readonly format?: unknown
  readonly user_id?: unknown
  readonly session_id?: unknown
  readonly input_schema?: unknown
  readonly description?: unknown
  readonly properties?: unknown
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A caller's value as text, for blocks flattened into text: a string as is, other JSON as JSON,
 * absent as ''. (`String()` throws on an object whose `toString` member is not a function, as
 * `{"toString": 1}` from a request body is: bad input must never become anything but a 400.)
 */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined || value === null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/**
 * Sets an own enumerable member, even one named `__proto__` (JSON.parse makes such members; a plain
 * assignment would set the prototype instead and the member would vanish from the output).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}
