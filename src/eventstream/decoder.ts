import type { EventStreamError } from '../errors/event-stream-error.js'
import { FrameDecoder, type MessageBuilder } from './frame-decoder.js'
import { HeaderBlockParser } from './header-block-parser.js'
import { DEFAULT_MAX_MESSAGE_LENGTH, type EventStreamMessage, MINIMUM_MESSAGE_LENGTH } from './types.js'

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
  readonly #frames: FrameDecoder<EventStreamMessage>

  constructor(options: EventStreamDecoderOptions = {}) {
    const max = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH
    if (!Number.isInteger(max) || max < MINIMUM_MESSAGE_LENGTH || max > MAX_U32) {
      throw new RangeError(
        `maxMessageLength: must be an integer from ${MINIMUM_MESSAGE_LENGTH} to ${MAX_U32}, got ${String(max)}`,
      )
    }
    this.#frames = new FrameDecoder(max, new MessageObjects())
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
    if (!(chunk instanceof Uint8Array) && this.#frames.failure === undefined) {
      throw new TypeError(`EventStreamDecoder.push: chunk must be a Uint8Array, got ${describe(chunk)}`)
    }
    return this.#frames.push(chunk)
  }

  /**
   * Declares the end of the input.
   * @throws {@link EventStreamError} `truncated` if part of a message remains, or the earlier fault
   */
  end(): void {
    this.#frames.end()
  }

  /** The fault that stopped this decoder, if any. */
  get failure(): EventStreamError | undefined {
    return this.#frames.failure
  }
}

/** Builds the public message: every header as an object of its own, the payload as a view. */
class MessageObjects implements MessageBuilder<EventStreamMessage> {
  readonly #headers = new HeaderBlockParser()

  build(
    bytes: Uint8Array,
    view: DataView,
    headersStart: number,
    payloadStart: number,
    payloadEnd: number,
  ): EventStreamMessage {
    return {
      headers: this.#headers.parse(bytes, view, headersStart, payloadStart),
      payload: new Uint8Array(bytes.buffer, bytes.byteOffset + payloadStart, payloadEnd - payloadStart),
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return (value as { constructor?: { name?: string } }).constructor?.name ?? 'object'
}
