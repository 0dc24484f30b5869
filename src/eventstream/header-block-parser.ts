import { parseHeaders } from './headers.js'
import type { EventStreamHeaderValue } from './types.js'
import { Utf8Cache } from './utf8-cache.js'

const SLOTS = 16
/** Kiro's header blocks are 80-100 bytes; longer ones are parsed every time. */
const MAX_CACHED_LENGTH = 256

type Primitive = boolean | number | bigint | string

/** A header block seen before: its bytes and what they decode to. */
interface Template {
  length: number
  /** The block as big-endian 32-bit words, the last one zero-padded: compared 4 bytes at a time. */
  words: Int32Array
  names: string[]
  types: EventStreamHeaderValue['type'][]
  /** The value, or for a timestamp its milliseconds (a `Date` is mutable, so each message gets its own). */
  values: Primitive[]
  /** What {@link HeaderBlockParser.strings} returns for this block, made on its first call. */
  strings: HeaderStrings | undefined
}

/**
 * A header block read only for its string values, as the client reads Kiro's: the `:message-type`
 * and `:event-type` every message is routed by, and any other string header by name (an error
 * frame's `:error-code`, say). Never handed to a caller, so one instance serves every message whose
 * header block has the same bytes.
 */
export class HeaderStrings {
  readonly messageType: string | undefined
  readonly eventType: string | undefined
  readonly #headers: Record<string, EventStreamHeaderValue>

  /** `headers` must not be mutated afterwards. */
  constructor(headers: Record<string, EventStreamHeaderValue>) {
    this.#headers = headers
    this.messageType = this.get(':message-type')
    this.eventType = this.get(':event-type')
  }

  /** The value of header `name` when it is a string header; undefined when absent or of another type. */
  get(name: string): string | undefined {
    const header = this.#headers[name]
    return header?.type === 'string' ? header.value : undefined
  }
}

const NO_HEADERS = new HeaderStrings({})

/**
 * Parses header blocks, recognising whole blocks seen before.
 *
 * Every Kiro message of one event type carries the very same header block (docs/eventstream.md §6:
 * `:event-type`, `:content-type`, `:message-type`), so comparing the block's bytes against the last
 * block of that size replaces parsing it. Each message still gets its own header objects.
 * Blocks with a binary value (a view into the message) or a `__proto__` name are always parsed.
 */
export class HeaderBlockParser {
  readonly #strings = new Utf8Cache()
  readonly #templates: (Template | undefined)[] = new Array<Template | undefined>(SLOTS).fill(undefined)

  /** The headers in `bytes[start, end)`; `view` covers `bytes` at the same offsets. */
  parse(
    bytes: Uint8Array,
    view: DataView,
    start: number,
    end: number,
  ): Record<string, EventStreamHeaderValue> {
    const length = end - start
    if (length === 0) return {}
    if (length > MAX_CACHED_LENGTH) return parseHeaders(bytes, view, start, end, this.#strings)
    const template = this.#known(bytes, view, start, end)
    if (template !== undefined) return instantiate(template)
    const headers = parseHeaders(bytes, view, start, end, this.#strings)
    this.#learn(bytes, start, end, headers)
    return headers
  }

  /**
   * The string headers in `bytes[start, end)`, checked as {@link parse} checks them, but with no
   * header objects built for a block seen before: its first reading is shared.
   */
  strings(bytes: Uint8Array, view: DataView, start: number, end: number): HeaderStrings {
    const length = end - start
    if (length === 0) return NO_HEADERS
    if (length <= MAX_CACHED_LENGTH) {
      const template = this.#known(bytes, view, start, end)
      if (template !== undefined) {
        template.strings ??= new HeaderStrings(instantiate(template))
        return template.strings
      }
    }
    const headers = parseHeaders(bytes, view, start, end, this.#strings)
    if (length <= MAX_CACHED_LENGTH) this.#learn(bytes, start, end, headers)
    return new HeaderStrings(headers)
  }

  /** The template of the block in `bytes[start, end)`, if it is the last one seen in its slot. */
  #known(bytes: Uint8Array, view: DataView, start: number, end: number): Template | undefined {
    const template = this.#templates[slotOf(bytes, start, end)]
    return template !== undefined &&
      template.length === end - start &&
      matches(template.words, bytes, view, start, end)
      ? template
      : undefined
  }

  /** Remembers the block just parsed in its slot, unless it cannot be a template. */
  #learn(
    bytes: Uint8Array,
    start: number,
    end: number,
    headers: Record<string, EventStreamHeaderValue>,
  ): void {
    const slot = slotOf(bytes, start, end)
    this.#templates[slot] = templateOf(headers, bytes.subarray(start, end)) ?? this.#templates[slot]
  }
}

function slotOf(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start
  return (length ^ (bytes[start + (length >> 1)]! << 2)) & (SLOTS - 1)
}

function matches(words: Int32Array, bytes: Uint8Array, view: DataView, start: number, end: number): boolean {
  const full = (end - start) >> 2
  for (let i = 0; i < full; i++) if (view.getInt32(start + 4 * i) !== words[i]) return false
  let tail = 0
  for (let at = start + 4 * full, shift = 24; at < end; at++, shift -= 8) tail |= bytes[at]! << shift
  return full === words.length || tail === words[full]
}

function instantiate({ names, types, values }: Template): Record<string, EventStreamHeaderValue> {
  const headers: Record<string, EventStreamHeaderValue> = {}
  for (let i = 0; i < names.length; i++) {
    const type = types[i]!
    const value = values[i]!
    headers[names[i]!] = (
      type === 'timestamp' ? { type, value: new Date(value as number) } : { type, value }
    ) as EventStreamHeaderValue
  }
  return headers
}

function templateOf(
  headers: Record<string, EventStreamHeaderValue>,
  bytes: Uint8Array,
): Template | undefined {
  const padded = new Uint8Array((bytes.length + 3) & ~3)
  padded.set(bytes)
  const words = new Int32Array(padded.length >> 2)
  const view = new DataView(padded.buffer)
  for (let i = 0; i < words.length; i++) words[i] = view.getInt32(4 * i)
  const template: Template = {
    length: bytes.length,
    words,
    names: [],
    types: [],
    values: [],
    strings: undefined,
  }
  for (const name of Object.keys(headers)) {
    const header = headers[name]!
    if (header.type === 'binary' || name === '__proto__') return undefined
    template.names.push(name)
    template.types.push(header.type)
    template.values.push(header.type === 'timestamp' ? header.value.getTime() : header.value)
  }
  return template
}
