import { type TypedMessage, typedMessageDecoder } from '../eventstream/typed-message.js'
import { type KiroEventMapper, pushTyped } from '../mapper/event-mapper.js'
import type { TimedBody } from '../transport/timed-body.js'
import type { RawMessageStreamEvent } from '../types/anthropic-response.js'

const NO_MESSAGES: readonly TypedMessage[] = []

/**
 * The response of one attempt: its body, decoder and mapper. Chunks are decoded and mapped on
 * demand, so the first events of a response reach the caller before the rest of its first chunk
 * (often 100 frames) was decoded and mapped (time to first event).
 */
export class Upstream {
  readonly #decoder = typedMessageDecoder()
  readonly #mapper: KiroEventMapper
  readonly #counter: { bytes: number }
  #body: TimedBody | undefined
  #messages = NO_MESSAGES
  #next = 0
  /** Bytes fed but not decoded yet. */
  #rest: Uint8Array | undefined
  #fed = false

  /** `counter.bytes` grows by the size of every chunk read. */
  constructor(mapper: KiroEventMapper, counter: { bytes: number }) {
    this.#mapper = mapper
    this.#counter = counter
  }

  /** The message is complete (or failed): nothing more to read. */
  get done(): boolean {
    return this.#mapper.done
  }

  /** The body to read, once the response headers are in. */
  attach(body: TimedBody): void {
    this.#body = body
  }

  /**
   * One step: reads the next chunk unless input is left to map, then maps into `out` as
   * `#map` does. At the end of the body the message is closed (its last events go to `out`).
   */
  async read(out: RawMessageStreamEvent[], untilEvents: boolean): Promise<void> {
    if (!this.pending) {
      const chunk = await (this.#body as TimedBody).next()
      if (chunk.done) {
        this.#decoder.end()
        for (const event of this.#mapper.finish()) out.push(event)
        return
      }
      this.#counter.bytes += chunk.value.byteLength
      this.#rest = chunk.value
    }
    this.#map(out, untilEvents)
  }

  /** Closes the connection (a stop sequence, an abort, a consumer that left). Idempotent. */
  cancel(): void {
    this.#body?.cancel()
  }

  /** Input is left to map: map it before reading again. */
  get pending(): boolean {
    return this.#next < this.#messages.length || this.#rest !== undefined
  }

  /**
   * Maps what was fed into `out`: all of it, or with `untilEvents` only until some events exist.
   * Events already in `out` stay there when the mapper throws, for the caller to deliver first.
   */
  #map(out: RawMessageStreamEvent[], untilEvents: boolean): void {
    const mapper = this.#mapper
    for (;;) {
      const messages = this.#messages
      while (this.#next < messages.length && !mapper.done) {
        pushTyped(mapper, messages[this.#next++]!, out)
        if (untilEvents && out.length > 0 && this.pending) return
      }
      if (mapper.done || this.#rest === undefined) break
      this.#decode()
    }
    this.#messages = NO_MESSAGES
    this.#next = 0
    this.#rest = undefined
    // The decoder returns the whole messages before a corrupt one and keeps the error for the next
    // push; raise it now rather than after another network read (which might never come).
    if (this.#decoder.failure && !mapper.done) throw this.#decoder.failure
  }

  #decode(): void {
    let bytes = this.#rest as Uint8Array
    this.#rest = undefined
    if (!this.#fed) {
      // The body's first bytes start a message, whose total length is its first u32, big-endian
      // (docs/eventstream.md §1): decode that message alone, so that mapping can start on it. The
      // decoder checks everything itself; any split point is valid input for it.
      this.#fed = true
      const length = bytes.length >= 4 ? new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) : 0
      if (length > 0 && length < bytes.length) {
        this.#rest = bytes.subarray(length)
        bytes = bytes.subarray(0, length)
      }
    }
    this.#messages = this.#decoder.push(bytes)
    this.#next = 0
  }
}
