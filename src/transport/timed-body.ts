import type { AttemptTimers } from './timeouts.js'

/**
 * A response body as an async iterable of chunks, read under the attempt's timers: the idle watch
 * runs while a read waits, the total timer and the caller's signal abort it, and every failure
 * comes out typed (`APIConnectionTimeoutError`, `APIUserAbortError`, `APIConnectionError`).
 *
 * It is its own iterator (no generator), so `return()` (a `break` in `for await`) or `cancel()`
 * cancels the underlying reader at once, even while a read is pending; that closes the socket.
 * One consumer only.
 */
export class TimedBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array, undefined> {
  readonly #timers: AttemptTimers
  readonly #reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  #iterating = false
  #finished = false

  constructor(stream: ReadableStream<Uint8Array> | null, timers: AttemptTimers) {
    this.#timers = timers
    this.#reader = stream?.getReader()
    if (!this.#reader) this.#finish()
  }

  [Symbol.asyncIterator](): this {
    if (this.#iterating) throw new TypeError('The response body is already being read; it has one consumer.')
    this.#iterating = true
    return this
  }

  async next(): Promise<IteratorResult<Uint8Array, undefined>> {
    const reader = this.#reader
    if (this.#finished || !reader) return { done: true, value: undefined }
    this.#timers.readStarted()
    let result: ReadableStreamReadResult<Uint8Array>
    try {
      result = await reader.read()
    } catch (cause) {
      const error = this.#timers.failure(cause, 'body')
      this.cancel()
      throw error
    } finally {
      this.#timers.readEnded()
    }
    if (result.done) {
      this.#finish()
      return { done: true, value: undefined }
    }
    return result
  }

  async return(): Promise<IteratorResult<Uint8Array, undefined>> {
    this.cancel()
    return { done: true, value: undefined }
  }

  /** Stops reading: cancels the reader (closing the connection) and releases the timers. Idempotent. */
  cancel(): void {
    if (this.#finished) return
    // Cancelling the reader first settles a pending read as `done`; aborting the attempt then makes
    // sure fetch drops the connection. A rejection carries nothing the consumer needs: it asked to stop.
    this.#reader?.cancel().catch(() => {})
    this.#timers.abort()
    this.#finish()
  }

  /** Reads the rest of the body as text, up to `limit` bytes (the rest is dropped and the body cancelled). */
  async text(limit: number): Promise<string> {
    const decoder = new TextDecoder()
    let out = ''
    let bytes = 0
    for await (const chunk of this) {
      const room = limit - bytes
      out += decoder.decode(chunk.length > room ? chunk.subarray(0, room) : chunk, { stream: true })
      bytes += chunk.length
      if (bytes >= limit) break
    }
    return out + decoder.decode()
  }

  #finish(): void {
    this.#finished = true
    this.#timers.dispose()
  }
}
