import { encodeEventStreamMessage } from '../../src/eventstream/encoder.js'
import type { EventStreamHeaderValue, EventStreamMessage } from '../../src/eventstream/types.js'

const utf8 = new TextEncoder()

/** A Kiro-shaped event: the three headers Kiro sends, and a JSON payload. */
export function kiroEvent(type: string, body: unknown): EventStreamMessage {
  return {
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    payload: utf8.encode(JSON.stringify(body)),
  }
}

export function encode(message: EventStreamMessage): Uint8Array {
  return encodeEventStreamMessage(message)
}

export function withHeaders(
  headers: Record<string, EventStreamHeaderValue>,
  payload = 'x',
): EventStreamMessage {
  return { headers, payload: utf8.encode(payload) }
}

/**
 * Writes a raw message around a hand-made header block, with correct CRCs: for header blocks the
 * encoder refuses to produce.
 */
export function rawMessage(headerBlock: Uint8Array, payload = new Uint8Array()): Uint8Array {
  const encoded = encodeEventStreamMessage({
    headers: {},
    payload: new Uint8Array(headerBlock.length + payload.length),
  })
  // Same total length, so only the headers-length field, the prelude CRC and the message CRC differ.
  const out = encoded.slice()
  out.set(headerBlock, 12)
  out.set(payload, 12 + headerBlock.length)
  return reseal(out, headerBlock.length)
}

/** Rewrites the headers-length field and recomputes both CRCs of a single message. */
function reseal(message: Uint8Array, headersLength: number): Uint8Array {
  const view = new DataView(message.buffer, message.byteOffset, message.length)
  view.setUint32(4, headersLength)
  view.setUint32(8, crc(message.subarray(0, 8)))
  view.setUint32(message.length - 4, crc(message.subarray(0, message.length - 4)))
  return message
}

/** Plain bitwise CRC-32 (IEEE), independent of the implementation under test. */
export function crc(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}
