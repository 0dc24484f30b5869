import { APIError } from '../errors/api-error.js'
import { classifyKiroFailure, normalizeKiroErrorType } from '../errors/classify.js'
import { payloadOf, type TypedMessage } from '../eventstream/typed-message.js'

/**
 * Reading one decoded Kiro frame (docs/protocol.md §4.1-§4.3): its string headers, its JSON payload,
 * and the error an exception or error frame stands for.
 */

const utf8 = new TextDecoder()

/** An error for a frame the stream cannot go on from. In-stream errors carry no HTTP status, as in the SDK. */
export function malformedFrame(description: string, body?: unknown): APIError {
  return APIError.generate(`Kiro sent a malformed response: ${description}.`, {
    type: 'api_error',
    status: undefined,
    error: body,
  })
}

/** A Kiro event payload: a JSON object whose fields are checked where they are read (docs/protocol.md §4.2). */
export interface KiroPayload {
  content?: unknown
  toolUseId?: unknown
  name?: unknown
  input?: unknown
  stop?: unknown
  text?: unknown
  signature?: unknown
  redactedContent?: unknown
  usage?: unknown
  tokenUsage?: unknown
  contextUsagePercentage?: unknown
  modelId?: unknown
  stopReason?: unknown
  conversationId?: unknown
  utteranceId?: unknown
  [field: string]: unknown
}

/** The payload as a JSON object; a typed error when it is not one. */
export function payloadObject(message: TypedMessage, eventType: string): KiroPayload {
  if (eventType === 'assistantResponseEvent') {
    const content = plainContent(message.bytes, message.payloadStart, message.payloadEnd)
    if (content !== undefined) return { content }
  }
  let value: unknown
  try {
    value = JSON.parse(utf8.decode(payloadOf(message)))
  } catch {
    throw malformedFrame(`the payload of a ${eventType} is not JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformedFrame(`the payload of a ${eventType} is not a JSON object`)
  }
  return value as KiroPayload
}

const PREFIX = [...'{"content":"'].map((c) => c.charCodeAt(0))
const QUOTE = 0x22
const BACKSLASH = 0x5c
/** Beyond this a native decode and parse is faster than a loop over the bytes. */
const PLAIN_MAX = 256

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string

/**
 * Node's `Buffer.prototype.latin1Slice`, which reads a range of any Uint8Array into a string with no
 * view and no decoder call: about half the cost of `TextDecoder.decode` on a 40-byte payload, and a
 * third of `String.fromCharCode.apply`. It is not in Node's documented API, so it is tried once
 * here; without it (no `Buffer`, or one that refuses a plain Uint8Array) `TextDecoder` reads the
 * same ASCII.
 */
function nodeLatin1Slice(): Latin1Slice | undefined {
  const buffer = (globalThis as { Buffer?: { prototype?: { latin1Slice?: unknown } } }).Buffer
  const slice = buffer?.prototype?.latin1Slice
  if (typeof slice !== 'function') return undefined
  try {
    return slice.call(new Uint8Array([0x6f, 0x6b, 0x21]), 0, 2) === 'ok' ? (slice as Latin1Slice) : undefined
  } catch {
    return undefined
  }
}

const latin1Slice = nodeLatin1Slice()

/**
 * The text of the commonest payload, `{"content":"..."}` with printable ASCII and no escape, read
 * straight from `bytes[start, end)`; undefined for any other payload (which is then parsed as JSON).
 * The result is what `JSON.parse` gives for such a payload.
 */
export function plainContent(bytes: Uint8Array, start: number, end: number): string | undefined {
  const textStart = start + PREFIX.length
  const textEnd = end - 2
  if (textEnd < textStart || textEnd - textStart > PLAIN_MAX) return undefined
  if (bytes[textEnd] !== QUOTE || bytes[textEnd + 1] !== 0x7d) return undefined
  for (let i = 0; i < PREFIX.length; i++) if (bytes[start + i] !== PREFIX[i]) return undefined
  for (let i = textStart; i < textEnd; i++) {
    const c = bytes[i] as number
    if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) return undefined
  }
  // Printable ASCII: Latin-1 and UTF-8 read it alike.
  return latin1Slice !== undefined
    ? latin1Slice.call(bytes, textStart, textEnd)
    : utf8.decode(bytes.subarray(textStart, textEnd))
}

function payloadOrUndefined(message: TypedMessage): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(payloadOf(message)))
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function stringField(body: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = body?.[key]
  return typeof value === 'string' ? value : undefined
}

/** What an exception (`:exception-type`), error (`:error-code`) or error-like event frame reports. */
export interface KiroStreamFailure {
  kiroErrorType: string | undefined
  reason: string | undefined
  message: string | undefined
  body: unknown
}

export function readFailure(message: TypedMessage, messageType: string): KiroStreamFailure {
  const body = payloadOrUndefined(message)
  const headers = message.headers
  if (messageType === 'error') {
    return {
      kiroErrorType: normalizeKiroErrorType(headers.get(':error-code')) ?? 'error',
      reason: stringField(body, 'reason'),
      message: headers.get(':error-message') ?? stringField(body, 'message'),
      body,
    }
  }
  const type =
    messageType === 'exception'
      ? (headers.get(':exception-type') ?? stringField(body, '__type'))
      : headers.eventType
  return {
    kiroErrorType: normalizeKiroErrorType(type),
    reason: stringField(body, 'reason'),
    message: stringField(body, 'message') ?? stringField(body, 'Message'),
    body,
  }
}

/** The typed error for an in-stream failure, carrying the Anthropic error type and Kiro's detail. */
export function streamFailureError(failure: KiroStreamFailure): APIError {
  const kind = classifyKiroFailure({
    kiroErrorType: failure.kiroErrorType,
    reason: failure.reason,
    message: failure.message,
  })
  return APIError.generate(kind.message, {
    type: kind.type,
    status: undefined,
    kiroErrorType: failure.kiroErrorType,
    reason: failure.reason,
    error: failure.body,
  })
}
