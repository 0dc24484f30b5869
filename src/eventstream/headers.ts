import { EventStreamError } from '../errors/event-stream-error.js'
import type { EventStreamHeaderValue } from './types.js'
import type { Utf8Cache } from './utf8-cache.js'

/** Milliseconds a `Date` can hold (ECMA-262 §21.4.1.22, TimeClip). */
const MAX_DATE_MS = 8.64e15

const HEX: string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

function invalid(reason: string): EventStreamError {
  return new EventStreamError('invalid_header', `event stream: invalid header block: ${reason}`)
}

function uuid(bytes: Uint8Array, at: number): string {
  let text = ''
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text += '-'
    text += HEX[bytes[at + i]!]!
  }
  return text
}

/**
 * Parses the header records in `bytes[start, end)` (docs/eventstream.md §2).
 *
 * `view` is a DataView over the same bytes as `bytes`, at the same offsets (one per chunk, not one
 * per message). Every record must lie inside the block and the records must fill it exactly: a
 * record that overruns, an empty name, an unknown type code, invalid UTF-8, or a timestamp no `Date`
 * can hold is `invalid_header`. A name that appears twice keeps its last value, as smithy does
 * (docs/eventstream.md §2: the AWS docs say each name appears at most once). Binary values are views, not copies.
 */
export function parseHeaders(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  strings: Utf8Cache,
): Record<string, EventStreamHeaderValue> {
  const headers: Record<string, EventStreamHeaderValue> = {}
  let at = start
  while (at < end) {
    const nameLength = bytes[at]!
    const nameStart = at + 1
    at = nameStart + nameLength
    // The name, then at least the type byte, must fit.
    if (nameLength === 0) throw invalid(`empty header name at block offset ${nameStart - 1 - start}`)
    if (at >= end) throw invalid(`header name of ${nameLength} bytes overruns the block`)
    const name = strings.get(bytes, nameStart, nameLength, undefined)
    const type = bytes[at++]!
    let value: EventStreamHeaderValue
    switch (type) {
      case 0:
        value = { type: 'boolean', value: true }
        break
      case 1:
        value = { type: 'boolean', value: false }
        break
      case 2:
        if (at + 1 > end) throw overrun(name)
        value = { type: 'byte', value: view.getInt8(at) }
        at += 1
        break
      case 3:
        if (at + 2 > end) throw overrun(name)
        value = { type: 'short', value: view.getInt16(at) }
        at += 2
        break
      case 4:
        if (at + 4 > end) throw overrun(name)
        value = { type: 'integer', value: view.getInt32(at) }
        at += 4
        break
      case 5:
        if (at + 8 > end) throw overrun(name)
        value = { type: 'long', value: view.getBigInt64(at) }
        at += 8
        break
      case 6:
      case 7: {
        if (at + 2 > end) throw overrun(name)
        const length = view.getUint16(at)
        at += 2
        if (at + length > end) throw overrun(name)
        value =
          type === 7
            ? {
                type: 'string',
                value: strings.get(bytes, at, length, name),
              }
            : { type: 'binary', value: bytes.subarray(at, at + length) }
        at += length
        break
      }
      case 8: {
        if (at + 8 > end) throw overrun(name)
        const ms = Number(view.getBigInt64(at))
        if (ms > MAX_DATE_MS || ms < -MAX_DATE_MS)
          throw invalid(`header ${JSON.stringify(name)}: timestamp ${ms} ms is out of range`)
        value = { type: 'timestamp', value: new Date(ms) }
        at += 8
        break
      }
      case 9:
        if (at + 16 > end) throw overrun(name)
        value = { type: 'uuid', value: uuid(bytes, at) }
        at += 16
        break
      default:
        throw invalid(`header ${JSON.stringify(name)}: unknown value type ${type}`)
    }
    // A plain assignment to "__proto__" would replace the object's prototype instead.
    if (name === '__proto__') {
      Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true })
    } else {
      headers[name] = value
    }
  }
  return headers
}

function overrun(name: string): EventStreamError {
  return invalid(`the value of header ${JSON.stringify(name)} overruns the block`)
}
