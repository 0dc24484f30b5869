import { ConfigurationError } from '../errors/configuration-error.js'
import { KiroError } from '../errors/kiro-error.js'
import type { RawMessageStreamEvent } from '../types/anthropic-response.js'
import { redactSecrets } from '../util/redact.js'
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
}

/** Options of {@link toSSEResponse}: a `ResponseInit` (status, extra headers) plus {@link SSEStreamOptions}. */
export interface SSEResponseInit extends ResponseInit, SSEStreamOptions {}

const encoder = new TextEncoder()
const PING = encoder.encode('event: ping\ndata: {"type":"ping"}\n\n')
const TIMEOUT = Symbol('timeout')
const CLOSING = Symbol('closing')
const DEFAULT_PING_INTERVAL_MS = 15_000

/**
 * Frames Anthropic stream events as Server-Sent Events, exactly as the Anthropic API sends them
 * (docs/compatibility.md §0 items 6, 8, 10; §2.1): `event: <type>` then `data: <json>`, one
 * enqueued chunk per event so each is flushed on its own; a `ping` after each `pingIntervalMs` of
 * upstream silence; a failure after the stream started becomes one
 * `event: error` frame with `{"type":"error","error":{"type","message"}}`, and the stream closes.
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
  let iterator: AsyncIterator<RawMessageStreamEvent> | undefined
  let pending: Promise<IteratorResult<RawMessageStreamEvent>> | undefined
  let closed = false
  const { closeSignal } = options
  const closing =
    closeSignal === undefined
      ? undefined
      : new Promise<typeof CLOSING>((resolve) => {
          if (closeSignal.aborted) resolve(CLOSING)
          else closeSignal.addEventListener('abort', () => resolve(CLOSING), { once: true })
        })
  const stop = async () => {
    const abortable = stream as { abort?: unknown }
    if (typeof abortable.abort === 'function') abortable.abort()
    await iterator?.return?.()
  }

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (closed) return
      iterator ??= stream[Symbol.asyncIterator]()
      pending ??= iterator.next()
      try {
        const result = await nextOrTimeout(
          closing === undefined ? pending : Promise.race([pending, closing]),
          interval,
        )
        if (closed) return
        if (result === CLOSING) {
          closed = true
          controller.enqueue(SHUTTING_DOWN)
          controller.close()
          await stop().catch(() => {})
          return
        }
        if (result === TIMEOUT) {
          controller.enqueue(PING)
          return
        }
        pending = undefined
        if (result.done) {
          closed = true
          controller.close()
          return
        }
        const event = result.value
        controller.enqueue(encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`))
      } catch (error) {
        if (closed) return
        closed = true
        pending = undefined
        controller.enqueue(errorFrame(error))
        controller.close()
      }
    },
    async cancel() {
      closed = true
      await stop()
    },
  })
}

/**
 * A `200 text/event-stream` web `Response` streaming `stream` as Anthropic SSE (see
 * {@link toSSEStream}), with `cache-control: no-cache`, `x-accel-buffering: no` (no proxy buffering)
 * and `request-id` set to the stream's request id when it has one. `init` may add or override headers
 * and set `pingIntervalMs`.
 */
export function toSSEResponse(
  stream: AsyncIterable<RawMessageStreamEvent>,
  init: SSEResponseInit = {},
): Response {
  const { pingIntervalMs, headers, ...rest } = init
  const merged = new Headers(headers)
  const defaults: [string, string][] = [
    ['content-type', 'text/event-stream; charset=utf-8'],
    ['cache-control', 'no-cache'],
    ['x-accel-buffering', 'no'],
  ]
  const requestId = (stream as { request_id?: unknown }).request_id
  if (typeof requestId === 'string' && requestId) defaults.push(['request-id', requestId])
  for (const [name, value] of defaults) if (!merged.has(name)) merged.set(name, value)
  return new Response(toSSEStream(stream, { pingIntervalMs }), { status: 200, ...rest, headers: merged })
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

function nextOrTimeout<T>(pending: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  if (ms === Number.POSITIVE_INFINITY) return pending
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMEOUT)
  })
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer))
}
