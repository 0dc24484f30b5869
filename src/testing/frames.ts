import { encodeEventStreamMessage } from '../eventstream/encoder.js'
import type { EventStreamHeaderValue } from '../eventstream/types.js'

// Frames as Kiro writes them (docs/protocol.md §4.1-§4.3): a JSON payload and the three string
// headers `:event-type` (or `:exception-type`), `:content-type`, `:message-type`.

const utf8 = new TextEncoder()
const JSON_TYPE: EventStreamHeaderValue = { type: 'string', value: 'application/json' }
const EVENT: EventStreamHeaderValue = { type: 'string', value: 'event' }
const EXCEPTION: EventStreamHeaderValue = { type: 'string', value: 'exception' }

/** One `:message-type: event` frame. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return encodeEventStreamMessage({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': JSON_TYPE,
      ':message-type': EVENT,
    },
    payload: utf8.encode(JSON.stringify(payload)),
  })
}

/** One `:message-type: exception` frame, e.g. `ContentLengthExceededException`. */
export function exceptionFrame(exceptionType: string, payload: unknown): Uint8Array {
  return encodeEventStreamMessage({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': JSON_TYPE,
      ':message-type': EXCEPTION,
    },
    payload: utf8.encode(JSON.stringify(payload)),
  })
}

/** A copy of `frame` with one bit of its message CRC flipped. */
export function corruptCrc(frame: Uint8Array): Uint8Array {
  const copy = frame.slice()
  copy[copy.length - 1]! ^= 0x01
  return copy
}
