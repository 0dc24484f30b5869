import { EventStreamDecoder } from '../eventstream/decoder.js'
import type { EventStreamMessage } from '../eventstream/types.js'
import type { KiroEventMapper } from '../mapper/event-mapper.js'
import type { RawMessageStreamEvent } from '../types/anthropic-response.js'

const NO_MESSAGES: readonly EventStreamMessage[] = []

/**
 * The decoder and mapper of one attempt. Chunks are decoded and mapped on demand, so the first
 * events of a response reach the caller before the rest of its first chunk (often 100 frames) was
 * decoded and mapped (time to first event).
 */
export class Upstream {
  readonly decoder = new EventStreamDecoder()
  readonly mapper: KiroEventMapper
  #messages = NO_MESSAGES
  #next = 0
  /** Bytes fed but not decoded yet. */
  #rest: Uint8Array | undefined
  #fed = false

  constructor(mapper: KiroEventMapper) {
    this.mapper = mapper
  }

  /** Input is left to map: map it before reading again. */
  get pending(): boolean {
    return this.#next < this.#messages.length || this.#rest !== undefined
  }

  feed(chunk: Uint8Array): void {
    this.#rest = chunk
  }

  /**
   * Maps what was fed into `out`: all of it, or with `untilEvents` only until some events exist.
   * Events already in `out` stay there when the mapper throws, for the caller to deliver first.
   */
  map(out: RawMessageStreamEvent[], untilEvents: boolean): void {
    const { mapper } = this
    for (;;) {
      const messages = this.#messages
      while (this.#next < messages.length && !mapper.done) {
        const events = mapper.push(messages[this.#next++]!)
        for (let j = 0; j < events.length; j++) out.push(events[j]!)
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
    if (this.decoder.failure && !mapper.done) throw this.decoder.failure
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
    this.#messages = this.decoder.push(bytes)
    this.#next = 0
  }
}
