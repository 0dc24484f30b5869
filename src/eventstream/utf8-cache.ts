import { EventStreamError } from '../errors/event-stream-error.js'

// `fatal`: invalid UTF-8 is an error, not U+FFFD (docs/eventstream.md §2: names and string values are UTF-8).
// `ignoreBOM`: keep a leading U+FEFF, which is part of the value, so decode(encode(s)) === s.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Strings longer than this are decoded every time: they are rarely repeated, and comparing costs. */
const MAX_CACHED_LENGTH = 64
const SLOTS = 64

/**
 * Decodes the short UTF-8 strings of header blocks, remembering recent ones.
 *
 * Event streams repeat the same few header names and values in every message (`:event-type`,
 * `:content-type: application/json`, `:message-type: event`; docs/eventstream.md §6). Comparing the bytes against a
 * remembered copy costs less than decoding them, and hands back the same string each time, which
 * also keeps the property keys of the decoded header objects identical from message to message.
 * Direct-mapped: one entry per slot, so the memory is bounded whatever the input.
 */
export class Utf8Cache {
  readonly #bytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(SLOTS).fill(undefined)
  readonly #strings: string[] = new Array<string>(SLOTS).fill('')

  /**
   * The string in `bytes[start, start + length)`; throws `invalid_header` if it is not UTF-8.
   * `header` names the header whose value this is, or is undefined for a header name.
   */
  get(bytes: Uint8Array, start: number, length: number, header: string | undefined): string {
    if (length === 0) return ''
    if (length > MAX_CACHED_LENGTH) return decode(bytes, start, length, header)
    const end = start + length
    // Length, first, middle and last byte separate the Kiro names and values into distinct slots.
    const slot =
      (length ^ (bytes[start]! << 1) ^ (bytes[start + (length >> 1)]! << 2) ^ (bytes[end - 1]! << 3)) &
      (SLOTS - 1)
    const known = this.#bytes[slot]
    if (known !== undefined && known.length === length) {
      let i = 0
      while (i < length && known[i] === bytes[start + i]) i++
      if (i === length) return this.#strings[slot]!
    }
    const text = decode(bytes, start, length, header)
    this.#bytes[slot] = bytes.slice(start, end)
    this.#strings[slot] = text
    return text
  }
}

function decode(bytes: Uint8Array, start: number, length: number, header: string | undefined): string {
  try {
    return utf8.decode(bytes.subarray(start, start + length))
  } catch (cause) {
    // The message is built only here: the hot path must not format strings.
    const what = header === undefined ? 'a header name' : `the value of header ${JSON.stringify(header)}`
    throw new EventStreamError('invalid_header', `event stream: ${what} is not valid UTF-8`, { cause })
  }
}
