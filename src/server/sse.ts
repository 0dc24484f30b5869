import { ConfigurationError } from '../errors/configuration-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { queuedEventsOf } from '../stream/queued-events.js'
import type { RawMessageStreamEvent } from '../types/anthropic-response.js'
import { redactSecrets } from '../util/redact.js'
import { coalesceDeltas, STRING_DELTAS } from './coalesce-deltas.js'
import { foreignFailure } from './foreign-error.js'

/** Options of {@link toSSEStream}. */
export interface SSEStreamOptions {
  /**
   * Milliseconds of upstream silence after which a `ping` frame is sent, so that proxies and clients
   * keep the connection open. `Infinity` turns pings off.
   * @defaultValue 15000
   */
  pingIntervalMs?: number | undefined
  /**
   * When it aborts (a server shutting down), the stream ends at once with an `event: error` frame
   * (`overloaded_error`, retryable) instead of being cut mid-answer, and the source is aborted.
   */
  closeSignal?: AbortSignal | undefined
  /**
   * Joins the consecutive text, thinking and tool-input deltas of one block among the events
   * written together (those one network read brought) into one `content_block_delta` each: fewer,
   * larger frames, the same text, tool input and final message for the client (docs/server.md,
   * "Streaming"). Off, every event is one frame, as the `MessageStream` gave it.
   * @defaultValue false (`kiro-client serve` turns it on)
   */
  coalesceDeltas?: boolean | undefined
}

/** Options of {@link toSSEResponse}: a `ResponseInit` (status, extra headers) plus {@link SSEStreamOptions}. */
export interface SSEResponseInit extends ResponseInit, SSEStreamOptions {}

const encoder = new TextEncoder()
const PING = encoder.encode('event: ping\ndata: {"type":"ping"}\n\n')
const DEFAULT_PING_INTERVAL_MS = 15_000

/**
 * Frames Anthropic stream events as Server-Sent Events, exactly as the Anthropic API sends them
 * (docs/compatibility.md §0 items 6, 8, 10; §2.1): `event: <type>` then `data: <json>`; a `ping`
 * after each `pingIntervalMs` of upstream silence; a failure after the stream started becomes one
 * `event: error` frame with `{"type":"error","error":{"type","message"}}`, and the stream closes.
 *
 * Each event is sent as soon as it is read; the events one network read brought (which a
 * `MessageStream` holds together) go out in one chunk, so one socket write carries them all
 * (docs/server.md, "Streaming"). One timer per stream watches for silence.
 *
 * Cancelling the returned stream (the client went away) aborts the source: a MessageStream's
 * `abort()` is called and its iterator returned, which cancels the upstream request.
 *
 * @param stream - a `MessageStream`, or any async iterable of events
 * @example
 * ```ts
 * return new Response(toSSEStream(client.messages.stream(params)), {
 *   headers: { 'content-type': 'text/event-stream; charset=utf-8' },
 * })
 * ```
 */
export function toSSEStream(
  stream: AsyncIterable<RawMessageStreamEvent>,
  options: SSEStreamOptions = {},
): ReadableStream<Uint8Array> {
  const interval = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS
  if (typeof interval !== 'number' || Number.isNaN(interval) || interval <= 0) {
    throw new ConfigurationError(
      'pingIntervalMs',
      `must be a positive number of milliseconds, got ${String(interval)}`,
    )
  }
  const pings = interval !== Number.POSITIVE_INFINITY
  const { closeSignal } = options
  const coalesce = options.coalesceDeltas === true
  const takeQueued = queuedEventsOf<RawMessageStreamEvent>(stream)
  let iterator: AsyncIterator<RawMessageStreamEvent> | undefined
  let closed = false
  let timer: ReturnType<typeof setTimeout> | undefined
  /** When the wait for upstream began (or the last ping went out); undefined while not waiting. */
  let waitingSince: number | undefined
  let controller!: ReadableStreamDefaultController<Uint8Array>

  // One timer per stream: it fires at most once per interval and re-arms for what remains.
  const onTimer = () => {
    timer = undefined
    if (closed || waitingSince === undefined) return
    const now = Date.now()
    const silent = now - waitingSince
    if (silent >= interval) {
      controller.enqueue(PING)
      waitingSince = now
      arm(interval)
    } else arm(interval - silent)
  }
  const arm = (ms: number) => {
    timer = setTimeout(onTimer, ms)
  }
  const stop = () => {
    closed = true
    waitingSince = undefined
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    closeSignal?.removeEventListener('abort', onClose)
  }
  const release = async () => {
    const abortable = stream as { abort?: unknown }
    if (typeof abortable.abort === 'function') abortable.abort()
    await iterator?.return?.()
  }
  // A server shutting down ends the answer with a retryable error frame rather than a cut.
  const onClose = () => {
    if (closed) return
    stop()
    controller.enqueue(SHUTTING_DOWN)
    controller.close()
    release().catch(() => {})
  }

  return new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController
      if (closeSignal?.aborted) onClose()
      else closeSignal?.addEventListener('abort', onClose, { once: true })
    },
    async pull() {
      if (closed) return
      iterator ??= stream[Symbol.asyncIterator]()
      if (pings) {
        waitingSince = Date.now()
        if (timer === undefined) arm(interval)
      }
      try {
        const result = await iterator.next()
        waitingSince = undefined
        if (closed) return
        if (result.done) {
          stop()
          controller.close()
          return
        }
        const queued = takeQueued?.()
        let text = ''
        if (queued === undefined || queued.length === 0) text = frame(result.value)
        else {
          queued.unshift(result.value)
          for (const event of coalesce ? coalesceDeltas(queued) : queued) text += frame(event)
        }
        controller.enqueue(encodeText(text))
      } catch (error) {
        if (closed) return
        stop()
        controller.enqueue(errorFrame(error))
        controller.close()
      }
    },
    async cancel() {
      stop()
      await release()
    },
  })
}

/** One event as an SSE frame (docs/compatibility.md §2.1). */
function frame(event: RawMessageStreamEvent): string {
  return deltaFrame(event) ?? `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
}

/** The members of each delta kind a text, thinking or tool-input delta carries, in the mapper's order. */
const DELTA_MEMBERS = new Map<string, readonly [string, string]>(
  Object.entries(STRING_DELTAS).map(([type, piece]) => [type, ['type', piece]]),
)
const DELTA_EVENT_MEMBERS = ['type', 'index', 'delta'] as const

/**
 * The frame of a text, thinking or tool-input delta (most of the events of an answer) written
 * without walking the object: only its one string goes through `JSON.stringify`. Taken only for an
 * event with exactly these members in this order (the mapper's), so the bytes are those of
 * `JSON.stringify(event)`; any other shape is left to `JSON.stringify`.
 */
function deltaFrame(event: RawMessageStreamEvent): string | undefined {
  if (event.type !== 'content_block_delta') return undefined
  const { index, delta } = event
  const members = DELTA_MEMBERS.get(delta.type)
  if (members === undefined) return undefined
  const piece = (delta as unknown as Record<string, unknown>)[members[1]]
  if (
    typeof piece !== 'string' ||
    !Number.isInteger(index) ||
    !hasMembers(event, DELTA_EVENT_MEMBERS) ||
    !hasMembers(delta, members)
  ) {
    return undefined
  }
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"${delta.type}","${members[1]}":${jsonString(piece)}}}\n\n`
}

/** The code units `JSON.stringify` may escape: quote, backslash, controls, and surrogates (a lone one is escaped). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among what JSON escapes
const MAY_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * `JSON.stringify(text)`, by quoting alone when nothing in it may need an escape (most answer
 * text): a third of the cost of the call on a short string, and the same string.
 */
export function jsonString(text: string): string {
  return MAY_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`
}

/**
 * `encoder.encode(text)`, through `encodeInto` an array of the text's length when the text is all
 * ASCII (it then fills the array exactly; any other text needs more bytes than it has code units,
 * and is left to `encode`). In Node 20 `encode` costs several times as much on the tens of
 * kilobytes of a batch of frames.
 */
export function encodeText(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length)
  const { read, written } = encoder.encodeInto(text, bytes)
  return read === text.length && written === text.length ? bytes : encoder.encode(text)
}

/** True when `value`'s enumerable members are exactly `names`, in order (no allocation). */
function hasMembers(value: object, names: readonly string[]): boolean {
  let at = 0
  for (const name in value) if (name !== names[at++]) return false
  return at === names.length
}

/**
 * A `200 text/event-stream` web `Response` streaming `stream` as Anthropic SSE (see
 * {@link toSSEStream}), with `cache-control: no-cache`, `x-accel-buffering: no` (no proxy buffering)
 * and `request-id` set to the stream's request id when it has one. `init` may add or override headers
 * and set the options of {@link toSSEStream}.
 */
export function toSSEResponse(
  stream: AsyncIterable<RawMessageStreamEvent>,
  init: SSEResponseInit = {},
): Response {
  const { pingIntervalMs, coalesceDeltas, closeSignal, headers, ...rest } = init
  const merged = new Headers(headers)
  const defaults: [string, string][] = [
    ['content-type', 'text/event-stream; charset=utf-8'],
    ['cache-control', 'no-cache'],
    ['x-accel-buffering', 'no'],
  ]
  const requestId = (stream as { request_id?: unknown }).request_id
  if (typeof requestId === 'string' && requestId) defaults.push(['request-id', requestId])
  for (const [name, value] of defaults) if (!merged.has(name)) merged.set(name, value)
  return new Response(toSSEStream(stream, { pingIntervalMs, coalesceDeltas, closeSignal }), {
    status: 200,
    ...rest,
    headers: merged,
  })
}

/** The frame a stream ends with when the server shuts down: retryable, so clients try again elsewhere. */
const SHUTTING_DOWN = encoder.encode(
  `event: error\ndata: ${JSON.stringify({
    type: 'error',
    error: { type: 'overloaded_error', message: 'The server is shutting down; retry the request.' },
  })}\n\n`,
)

/** The `event: error` frame for a failure after the 200 (docs/compatibility.md §0 item 8). */
function errorFrame(error: unknown): Uint8Array {
  let type = 'api_error'
  // Library errors say what happened without secrets; anything else may not, so it stays generic.
  let message = 'Internal server error'
  if (KiroError.isInstance(error) && foreignFailure(error) === undefined) {
    message = error.message
    const errorType = (error as { type?: unknown }).type
    if (typeof errorType === 'string') type = errorType
  }
  const body = JSON.stringify({ type: 'error', error: { type, message: redactSecrets(message) } })
  return encoder.encode(`event: error\ndata: ${body}\n\n`)
}
