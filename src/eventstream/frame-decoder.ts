import { EventStreamError } from '../errors/event-stream-error.js'
import { crc32, crc32Range } from './crc32.js'
import { checkPrelude, HEADERS_LENGTH_OFFSET } from './prelude.js'
import { PRELUDE_CRC_OFFSET, PRELUDE_LENGTH, TRAILER_LENGTH } from './types.js'

/** Messages from this size on are hashed by `crc32` (native where it exists), smaller ones in JS. */
const NATIVE_CRC_FROM = 256

/**
 * Makes the value a checked message decodes to. `bytes[headersStart, payloadStart)` is its header
 * block and `bytes[payloadStart, payloadEnd)` its payload; `view` covers `bytes` at the same offsets.
 * It may throw an `EventStreamError` (a malformed header block).
 */
export interface MessageBuilder<M> {
  build(bytes: Uint8Array, view: DataView, headersStart: number, payloadStart: number, payloadEnd: number): M
}

/**
 * The framing half of the decoder: splits chunks into messages, checks both CRCs, and hands each
 * message's byte ranges to a builder. `EventStreamDecoder` builds the public message objects with
 * it; the client builds lighter ones (see `typed-message.ts`), from the same checks.
 *
 * A message that lies inside one chunk is built from that chunk (no copy); one that straddles chunks
 * is copied once into a buffer of exactly its size. Any fault is fatal and sticky (see
 * `EventStreamDecoder`).
 */
export class FrameDecoder<M> {
  readonly #maxMessageLength: number
  readonly #builder: MessageBuilder<M>
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

  /** `maxMessageLength` must have been checked by the caller. */
  constructor(maxMessageLength: number, builder: MessageBuilder<M>) {
    this.#maxMessageLength = maxMessageLength
    this.#builder = builder
  }

  /** The messages `chunk` completes; a fault after some of them is thrown by the next call. */
  push(chunk: Uint8Array): M[] {
    if (this.#failure !== undefined) throw this.#failure
    const messages: M[] = []
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

  /** The end of the input: throws `truncated` if part of a message remains, or the earlier fault. */
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
  #resume(chunk: Uint8Array, messages: M[]): number {
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
  #scan(chunk: Uint8Array, offset: number, messages: M[]): void {
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

  /** Checks the message CRC of the message at `bytes[start, end)`, then builds it. */
  #message(bytes: Uint8Array, view: DataView, start: number, end: number, position: number): M {
    const crcAt = end - TRAILER_LENGTH
    // docs/eventstream.md §1: the message CRC runs on from the prelude CRC (already checked, so the wire value).
    // `new Uint8Array(buffer, ...)` rather than `subarray`: no species lookup, measurably cheaper.
    const crc =
      crcAt - start < NATIVE_CRC_FROM
        ? crc32Range(bytes, start + PRELUDE_CRC_OFFSET, crcAt, view.getUint32(start + PRELUDE_CRC_OFFSET))
        : crc32(new Uint8Array(bytes.buffer, bytes.byteOffset + start, crcAt - start))
    if (crc !== view.getUint32(crcAt)) {
      throw new EventStreamError(
        'message_crc_mismatch',
        `event stream: message CRC mismatch at byte ${position}`,
      )
    }
    const headersStart = start + PRELUDE_LENGTH
    const payloadStart = headersStart + view.getUint32(start + HEADERS_LENGTH_OFFSET)
    return this.#builder.build(bytes, view, headersStart, payloadStart, crcAt)
  }
}
