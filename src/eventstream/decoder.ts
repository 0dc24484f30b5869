import { EventStreamError } from '../errors/event-stream-error.js'
import { crc32, crc32Range } from './crc32.js'
import { HeaderBlockParser } from './header-block-parser.js'
import { checkPrelude, HEADERS_LENGTH_OFFSET } from './prelude.js'
import {
  DEFAULT_MAX_MESSAGE_LENGTH,
  type EventStreamMessage,
  MINIMUM_MESSAGE_LENGTH,
  PRELUDE_CRC_OFFSET,
  PRELUDE_LENGTH,
  TRAILER_LENGTH,
} from './types.js'

/** Options of {@link EventStreamDecoder}. */
export interface EventStreamDecoderOptions {
  /**
   * Largest accepted message in bytes, prelude and CRCs included. Checked as soon as a message's
   * first 12 bytes have arrived, so a larger declared length fails before anything is allocated.
   * @defaultValue 16 MiB
   */
  maxMessageLength?: number
}

const MAX_U32 = 0xffff_ffff
/** Messages from this size on are hashed by `crc32` (native where it exists), smaller ones in JS. */
const NATIVE_CRC_FROM = 256

/**
 * Push-style decoder of `application/vnd.amazon.eventstream`: feed it chunks of any size, get back
 * the messages they complete. No I/O; `decodeEventStream` adapts a stream to it.
 *
 * Both CRCs are checked. A message that lies inside one chunk is returned as views into that chunk
 * (no copy); one that straddles chunks is copied once into a buffer of exactly its size. Any fault
 * is fatal: a length-prefixed stream cannot be resynchronised, since after a corrupt or rejected
 * message nothing says where the next one starts, and guessing could turn payload bytes into a
 * forged message. So once a fault is found, every later `push` or `end` throws the same error.
 *
 * @example
 * ```ts
 * const decoder = new EventStreamDecoder()
 * for await (const chunk of response.body) {
 *   for (const message of decoder.push(chunk)) handle(message)
 * }
 * decoder.end()
 * ```
 */
export class EventStreamDecoder {
  readonly #maxMessageLength: number
  readonly #headers = new HeaderBlockParser()
  /** The first bytes of a message whose 12-byte prelude is not complete yet. */
  readonly #prelude = new Uint8Array(PRELUDE_LENGTH)
  readonly #preludeView = new DataView(this.#prelude.buffer)
  #preludeFill = 0
  /** A message that straddles chunks, allocated at its exact size once its prelude was checked. */
  #partial: Uint8Array | undefined
  #partialFill = 0
  /** Bytes consumed before the current chunk, for error messages. */
  #position = 0
  #failure: EventStreamError | undefined

  constructor(options: EventStreamDecoderOptions = {}) {
    const max = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH
    if (!Number.isInteger(max) || max < MINIMUM_MESSAGE_LENGTH || max > MAX_U32) {
      throw new RangeError(
        `maxMessageLength: must be an integer from ${MINIMUM_MESSAGE_LENGTH} to ${MAX_U32}, got ${String(max)}`,
      )
    }
    this.#maxMessageLength = max
  }

  /**
   * Decodes the messages that `chunk` completes.
   *
   * If the chunk holds a fault after some good messages, those messages are returned and the fault
   * is thrown by the next `push` or `end` ({@link EventStreamDecoder.failure} tells at once).
   * Payloads and binary header values may be views into `chunk`: do not reuse or mutate it.
   *
   * @param chunk - the next bytes of the stream, 0 bytes to megabytes
   * @throws {@link EventStreamError} on a corrupt, oversized or malformed message, or if the
   * decoder failed before
   */
  push(chunk: Uint8Array): EventStreamMessage[] {
    if (this.#failure !== undefined) throw this.#failure
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError(`EventStreamDecoder.push: chunk must be a Uint8Array, got ${describe(chunk)}`)
    }
    const messages: EventStreamMessage[] = []
    try {
      const offset = this.#preludeFill > 0 || this.#partial !== undefined ? this.#resume(chunk, messages) : 0
      if (offset < chunk.length) this.#scan(chunk, offset, messages)
    } catch (error) {
      if (!(error instanceof EventStreamError)) throw error
      this.#failure = error
      if (messages.length === 0) throw error
    }
    this.#position += chunk.length
    return messages
  }

  /**
   * Declares the end of the input.
   * @throws {@link EventStreamError} `truncated` if part of a message remains, or the earlier fault
   */
  end(): void {
    if (this.#failure !== undefined) throw this.#failure
    const pending = this.#partial !== undefined ? this.#partialFill : this.#preludeFill
    if (pending === 0) return
    const expected = this.#partial !== undefined ? `${this.#partial.length} bytes` : 'a 12-byte prelude'
    this.#failure = new EventStreamError(
      'truncated',
      `event stream: input ended inside a message at byte ${this.#position - pending} ` +
        `(${pending} bytes of ${expected} arrived)`,
    )
    throw this.#failure
  }

  /** The fault that stopped this decoder, if any. */
  get failure(): EventStreamError | undefined {
    return this.#failure
  }

  /** Continues a message begun in an earlier chunk; returns how many bytes of `chunk` it took. */
  #resume(chunk: Uint8Array, messages: EventStreamMessage[]): number {
    let offset = 0
    let partial = this.#partial
    if (partial === undefined) {
      offset = Math.min(PRELUDE_LENGTH - this.#preludeFill, chunk.length)
      this.#prelude.set(chunk.subarray(0, offset), this.#preludeFill)
      this.#preludeFill += offset
      if (this.#preludeFill < PRELUDE_LENGTH) return offset
      const start = this.#position + offset - PRELUDE_LENGTH
      partial = new Uint8Array(
        checkPrelude(this.#prelude, this.#preludeView, 0, this.#maxMessageLength, start),
      )
      partial.set(this.#prelude)
      this.#preludeFill = 0
      this.#partial = partial
      this.#partialFill = PRELUDE_LENGTH
    }
    const take = Math.min(partial.length - this.#partialFill, chunk.length - offset)
    partial.set(chunk.subarray(offset, offset + take), this.#partialFill)
    this.#partialFill += take
    offset += take
    if (this.#partialFill === partial.length) {
      this.#partial = undefined
      this.#partialFill = 0
      const start = this.#position + offset - partial.length
      messages.push(this.#message(partial, new DataView(partial.buffer), 0, partial.length, start))
    }
    return offset
  }

  /** Decodes the messages that start in `chunk` from `offset` on, keeping an incomplete tail. */
  #scan(chunk: Uint8Array, offset: number, messages: EventStreamMessage[]): void {
    const length = chunk.length
    const view = new DataView(chunk.buffer, chunk.byteOffset, length)
    while (length - offset >= PRELUDE_LENGTH) {
      const total = checkPrelude(chunk, view, offset, this.#maxMessageLength, this.#position + offset)
      if (total > length - offset) {
        this.#partial = new Uint8Array(total)
        this.#partial.set(chunk.subarray(offset))
        this.#partialFill = length - offset
        return
      }
      messages.push(this.#message(chunk, view, offset, offset + total, this.#position + offset))
      offset += total
    }
    if (offset < length) {
      this.#prelude.set(chunk.subarray(offset))
      this.#preludeFill = length - offset
    }
  }

  /** Checks the message CRC of the message at `bytes[start, end)`, then parses it. */
  #message(
    bytes: Uint8Array,
    view: DataView,
    start: number,
    end: number,
    position: number,
  ): EventStreamMessage {
    const crcAt = end - TRAILER_LENGTH
    const buffer = bytes.buffer
    const base = bytes.byteOffset
    // docs/eventstream.md §1: the message CRC runs on from the prelude CRC (already checked, so the wire value).
    // `new Uint8Array(buffer, ...)` rather than `subarray`: no species lookup, measurably cheaper.
    const crc =
      crcAt - start < NATIVE_CRC_FROM
        ? crc32Range(bytes, start + PRELUDE_CRC_OFFSET, crcAt, view.getUint32(start + PRELUDE_CRC_OFFSET))
        : crc32(new Uint8Array(buffer, base + start, crcAt - start))
    if (crc !== view.getUint32(crcAt)) {
      throw new EventStreamError(
        'message_crc_mismatch',
        `event stream: message CRC mismatch at byte ${position}`,
      )
    }
    const headersStart = start + PRELUDE_LENGTH
    const payloadStart = headersStart + view.getUint32(start + HEADERS_LENGTH_OFFSET)
    return {
      headers: this.#headers.parse(bytes, view, headersStart, payloadStart),
      payload: new Uint8Array(buffer, base + payloadStart, crcAt - payloadStart),
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return (value as { constructor?: { name?: string } }).constructor?.name ?? 'object'
}
