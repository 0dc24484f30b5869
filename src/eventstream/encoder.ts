import { concatBytes } from '../util/bytes.js'
import { crc32 } from './crc32.js'
import {
  type EventStreamHeaderValue,
  type EventStreamMessage,
  HeaderType,
  MAX_HEADER_VALUE_LENGTH,
  MINIMUM_MESSAGE_LENGTH,
  PRELUDE_CRC_OFFSET,
  PRELUDE_LENGTH,
} from './types.js'

const utf8 = new TextEncoder()

function headerValueBytes(name: string, header: EventStreamHeaderValue): Uint8Array {
  switch (header.type) {
    case 'boolean':
      return Uint8Array.of(header.value ? HeaderType.boolTrue : HeaderType.boolFalse)
    case 'byte': {
      const out = new Uint8Array(2)
      out[0] = HeaderType.byte
      new DataView(out.buffer).setInt8(1, header.value)
      return out
    }
    case 'short': {
      const out = new Uint8Array(3)
      out[0] = HeaderType.short
      new DataView(out.buffer).setInt16(1, header.value)
      return out
    }
    case 'integer': {
      const out = new Uint8Array(5)
      out[0] = HeaderType.integer
      new DataView(out.buffer).setInt32(1, header.value)
      return out
    }
    case 'long': {
      const out = new Uint8Array(9)
      out[0] = HeaderType.long
      new DataView(out.buffer).setBigInt64(1, header.value)
      return out
    }
    case 'timestamp': {
      const out = new Uint8Array(9)
      out[0] = HeaderType.timestamp
      new DataView(out.buffer).setBigInt64(1, BigInt(header.value.getTime()))
      return out
    }
    case 'binary':
    case 'string': {
      const bytes = header.type === 'string' ? utf8.encode(header.value) : header.value
      if (bytes.length > MAX_HEADER_VALUE_LENGTH) {
        throw new RangeError(
          `header ${name}: value is ${bytes.length} bytes; the limit is ${MAX_HEADER_VALUE_LENGTH}`,
        )
      }
      const out = new Uint8Array(3 + bytes.length)
      out[0] = header.type === 'string' ? HeaderType.string : HeaderType.binary
      new DataView(out.buffer).setUint16(1, bytes.length)
      out.set(bytes, 3)
      return out
    }
    case 'uuid': {
      const hex = header.value.replace(/-/g, '')
      if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`header ${name}: not a UUID`)
      const out = new Uint8Array(17)
      out[0] = HeaderType.uuid
      for (let i = 0; i < 16; i++) out[1 + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
      return out
    }
  }
}

/** Encodes the header block of a message. */
function encodeHeaders(headers: Record<string, EventStreamHeaderValue>): Uint8Array {
  const parts: Uint8Array[] = []
  let length = 0
  for (const [name, header] of Object.entries(headers)) {
    const nameBytes = utf8.encode(name)
    if (nameBytes.length === 0 || nameBytes.length > 255) {
      throw new RangeError(`header name must be 1 to 255 bytes: ${JSON.stringify(name)}`)
    }
    const value = headerValueBytes(name, header)
    parts.push(Uint8Array.of(nameBytes.length), nameBytes, value)
    length += 1 + nameBytes.length + value.length
  }
  return concatBytes(parts, length)
}

/**
 * Encodes one message of `application/vnd.amazon.eventstream`: the inverse of the decoder.
 * Used by the simulator and by tests.
 */
export function encodeEventStreamMessage(message: EventStreamMessage): Uint8Array {
  const headers = encodeHeaders(message.headers)
  const total = MINIMUM_MESSAGE_LENGTH + headers.length + message.payload.length
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint32(0, total)
  view.setUint32(4, headers.length)
  view.setUint32(PRELUDE_CRC_OFFSET, crc32(out.subarray(0, PRELUDE_CRC_OFFSET)))
  out.set(headers, PRELUDE_LENGTH)
  out.set(message.payload, PRELUDE_LENGTH + headers.length)
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)))
  return out
}
