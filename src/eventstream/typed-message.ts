import { FrameDecoder, type MessageBuilder } from './frame-decoder.js'
import { HeaderBlockParser, HeaderStrings } from './header-block-parser.js'
import { DEFAULT_MAX_MESSAGE_LENGTH, type EventStreamMessage } from './types.js'

/**
 * A decoded message as the client reads it: its string headers (`:message-type` and `:event-type`
 * at hand) and its payload as a range of the received bytes. Decoding one builds this object and
 * nothing else, where an `EventStreamMessage` also needs a headers object, an object per header
 * and a payload view: for a stream of small messages that allocation was a measurable part of the
 * client's time. Internal: the public decoder keeps returning `EventStreamMessage`s.
 */
export interface TypedMessage {
  readonly headers: HeaderStrings
  /** The chunk the message was decoded from (or its own copy when it straddled chunks); do not mutate. */
  readonly bytes: Uint8Array
  /** The payload is `bytes[payloadStart, payloadEnd)`. */
  readonly payloadStart: number
  readonly payloadEnd: number
}

class TypedMessages implements MessageBuilder<TypedMessage> {
  readonly #headers = new HeaderBlockParser()

  build(
    bytes: Uint8Array,
    view: DataView,
    headersStart: number,
    payloadStart: number,
    payloadEnd: number,
  ): TypedMessage {
    return {
      headers: this.#headers.strings(bytes, view, headersStart, payloadStart),
      bytes,
      payloadStart,
      payloadEnd,
    }
  }
}

/**
 * A decoder of {@link TypedMessage}s: the same framing, CRC and header checks as
 * `EventStreamDecoder` with its default options, and the same errors.
 */
export function typedMessageDecoder(): FrameDecoder<TypedMessage> {
  return new FrameDecoder(DEFAULT_MAX_MESSAGE_LENGTH, new TypedMessages())
}

/** The {@link TypedMessage} of a message decoded by the public decoder (or built by hand). */
export function typedMessageOf(message: EventStreamMessage): TypedMessage {
  const payload = message.payload
  return {
    headers: new HeaderStrings(message.headers),
    bytes: payload,
    payloadStart: 0,
    payloadEnd: payload.length,
  }
}

/** The payload of `message` as a view (for the paths that parse it or keep its size). */
export function payloadOf(message: TypedMessage): Uint8Array {
  const { bytes, payloadStart, payloadEnd } = message
  return payloadStart === 0 && payloadEnd === bytes.length
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset + payloadStart, payloadEnd - payloadStart)
}
