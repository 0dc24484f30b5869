import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventStreamDecoder } from '../../src/eventstream/decoder.js'
import { encodeEventStreamMessage } from '../../src/eventstream/encoder.js'
import { payloadOf, type TypedMessage, typedMessageDecoder } from '../../src/eventstream/typed-message.js'
import type { EventStreamHeaderValue, EventStreamMessage } from '../../src/eventstream/types.js'
import { KiroEventMapper, type KiroEventMapperOptions, pushTyped } from '../../src/mapper/event-mapper.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { concat, splitAt } from '../eventstream/feed.js'
import { kiroFrame } from '../fixtures/stream/arbitrary.js'
import { encodeStream, errorFrame, event, exception, text } from '../fixtures/stream/frames.js'

// The client decodes Kiro's messages with `typedMessageDecoder` and maps them with `pushTyped`; the
// public path is `EventStreamDecoder` and `push`. Both must read every stream alike: the same
// messages, the same events, the same errors at the same point.

const utf8 = new TextEncoder()

const str = (value: string): EventStreamHeaderValue => ({ type: 'string', value })

/** Header values of every type, strings most often (the typed path reads strings only). */
const headerValue: fc.Arbitrary<EventStreamHeaderValue> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map(str) },
  fc.constantFrom('event', 'exception', 'error', 'assistantResponseEvent').map(str),
  fc.boolean().map((value) => ({ type: 'boolean', value }) as const),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value) => ({ type: 'integer', value }) as const),
  fc.uint8Array({ maxLength: 20 }).map((value) => ({ type: 'binary', value }) as const),
  fc
    .integer({ min: -8.64e15, max: 8.64e15 })
    .map((ms) => ({ type: 'timestamp', value: new Date(ms) }) as const),
)

const headerName = fc.oneof(
  fc.constantFrom(':message-type', ':event-type', ':content-type', ':error-code', '__proto__', 'constructor'),
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 30 })
    .filter((name) => utf8.encode(name).length <= 255),
)

/** Kiro's usual blocks (cached after the first), and arbitrary ones (some too long to cache). */
const anyMessage: fc.Arbitrary<EventStreamMessage> = fc.oneof(
  fc.string({ maxLength: 40 }).map((content) => text(content)),
  fc.constant(text('the same block again')),
  fc.record({
    headers: fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
    payload: fc.uint8Array({ maxLength: 80 }),
  }),
  fc.record({
    headers: fc.constant({ ':message-type': str('event'), long: str('x'.repeat(300)) }),
    payload: fc.uint8Array({ maxLength: 10 }),
  }),
)

/** Cut points inside `length` bytes, sorted and distinct. */
function cuts(length: number): fc.Arbitrary<number[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 10 })
    .map((points) => points.filter((point) => point < length).sort((a, b) => a - b))
}

/** What the client's mapper may ask of a message: its routing headers, any string header, its payload. */
function reading(message: TypedMessage, names: string[]) {
  return {
    messageType: message.headers.messageType,
    eventType: message.headers.eventType,
    strings: names.map((name) => message.headers.get(name)),
    payload: [...payloadOf(message)],
  }
}

function stringOf(header: EventStreamHeaderValue | undefined): string | undefined {
  return header?.type === 'string' ? header.value : undefined
}

function expected(message: EventStreamMessage, names: string[]) {
  return {
    messageType: stringOf(message.headers[':message-type']),
    eventType: stringOf(message.headers[':event-type']),
    strings: names.map((name) => stringOf(message.headers[name])),
    payload: [...message.payload],
  }
}

/** Feeds both decoders the same chunks; returns what each gave and the error each threw. */
function decodeBoth(chunks: Uint8Array[]) {
  const general = new EventStreamDecoder()
  const typed = typedMessageDecoder()
  const out = { general: [] as EventStreamMessage[], typed: [] as TypedMessage[] }
  const errors: { general?: unknown; typed?: unknown } = {}
  try {
    for (const chunk of chunks) out.general.push(...general.push(chunk))
    general.end()
  } catch (error) {
    errors.general = error
  }
  try {
    for (const chunk of chunks) out.typed.push(...typed.push(chunk))
    typed.end()
  } catch (error) {
    errors.typed = error
  }
  return { ...out, errors }
}

describe('typedMessageDecoder', () => {
  it('reads any stream, split anywhere, as EventStreamDecoder does', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage, { minLength: 1, maxLength: 8 }).chain((messages) => {
          const bytes = concat(messages.map(encodeEventStreamMessage))
          return fc.tuple(fc.constant(bytes), cuts(bytes.length))
        }),
        ([bytes, points]) => {
          const { general, typed, errors } = decodeBoth(splitAt(bytes, points))
          expect(errors.typed).toBeUndefined()
          expect(errors.general).toBeUndefined()
          expect(typed).toHaveLength(general.length)
          typed.forEach((message, i) => {
            const names = [...Object.keys(general[i]!.headers), ':message-type', ':event-type', 'absent']
            expect(reading(message, names)).toEqual(expected(general[i]!, names))
          })
        },
      ),
      { numRuns: 400 },
    )
  })

  it('fails where EventStreamDecoder fails, with the same error, after the same messages', () => {
    fc.assert(
      fc.property(
        fc.array(anyMessage, { minLength: 1, maxLength: 5 }).chain((messages) => {
          const bytes = concat(messages.map(encodeEventStreamMessage))
          return fc.tuple(
            fc.constant(bytes),
            fc.integer({ min: 0, max: bytes.length - 1 }),
            fc.integer({ min: 1, max: 255 }),
            fc.integer({ min: 0, max: bytes.length }),
            cuts(bytes.length),
          )
        }),
        ([bytes, at, mask, length, points]) => {
          const damaged = bytes.slice(0, Math.max(length, at + 1))
          damaged[at]! ^= mask
          const { general, typed, errors } = decodeBoth(
            splitAt(
              damaged,
              points.filter((p) => p < damaged.length),
            ),
          )
          expect(typed).toHaveLength(general.length)
          expect(errors.typed).toEqual(errors.general)
          expect((errors.typed as { code?: unknown } | undefined)?.code).toBe(
            (errors.general as { code?: unknown } | undefined)?.code,
          )
        },
      ),
      { numRuns: 400 },
    )
  })
})

interface Mapped {
  events: RawMessageStreamEvent[]
  error: unknown
}

/** The public path: every message through `push`, then `finish`. */
function mapGeneral(chunks: Uint8Array[], options: KiroEventMapperOptions): Mapped {
  const decoder = new EventStreamDecoder()
  const mapper = new KiroEventMapper(options)
  const events: RawMessageStreamEvent[] = []
  try {
    for (const chunk of chunks)
      for (const message of decoder.push(chunk)) events.push(...mapper.push(message))
    decoder.end()
    events.push(...mapper.finish())
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

/** The client's path: every message through `pushTyped` into one array per chunk, then `finish`. */
function mapTyped(chunks: Uint8Array[], options: KiroEventMapperOptions): Mapped {
  const decoder = typedMessageDecoder()
  const mapper = new KiroEventMapper(options)
  const events: RawMessageStreamEvent[] = []
  try {
    for (const chunk of chunks) {
      const batch: RawMessageStreamEvent[] = []
      try {
        for (const message of decoder.push(chunk)) pushTyped(mapper, message, batch)
      } finally {
        events.push(...batch)
      }
    }
    decoder.end()
    events.push(...mapper.finish())
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

/** Frames the typed path reads its own way: plain and escaped text, errors, odd payloads. */
const edgeFrame: fc.Arbitrary<EventStreamMessage> = fc.oneof(
  fc.constantFrom(
    text(''),
    text('plain ascii'),
    text('quote " and back\\slash'),
    text('tab\there, line\nbreak'),
    text('café, 漢字, 🙂'),
    text('\u0000\u001f\u007f'),
    text('x'.repeat(400)),
    event('assistantResponseEvent', { content: 'with a model', modelId: 'claude-sonnet-4.5' }),
    event('assistantResponseEvent', { content: 42 }),
    event('assistantResponseEvent', {}),
    errorFrame('InternalError', 'the service failed'),
    exception('ThrottlingException', { message: 'slow down' }),
    exception('ContentLengthExceededException', { message: 'too long' }),
  ),
  fc.string({ unit: 'binary', maxLength: 30 }).map((s) => text(s)),
  fc.constantFrom('{"content":"x"', '"x"', '[]', '', '{"content": "spaced"}').map((payload) => ({
    headers: {
      ':event-type': str('assistantResponseEvent'),
      ':content-type': str('application/json'),
      ':message-type': str('event'),
    },
    payload: utf8.encode(payload),
  })),
)

describe('pushTyped', () => {
  it('gives the events and the error push gives, for any frames split anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(kiroFrame, edgeFrame), { minLength: 1, maxLength: 20 }).chain((frames) => {
          const bytes = encodeStream(frames)
          return fc.tuple(fc.constant(bytes), cuts(bytes.length))
        }),
        fc.constantFrom<'off' | 'tags' | 'native'>('off', 'tags', 'native'),
        fc.constantFrom<string[]>([], ['STOP'], ['"', 'xyz']),
        ([bytes, points], thinking, stopSequences) => {
          const chunks = splitAt(bytes, points)
          const options = { model: 'm', thinking, stopSequences, contextWindow: 1000, messageId: 'msg_1' }
          const general = mapGeneral(chunks, options)
          const typed = mapTyped(chunks, options)
          expect(typed.events).toEqual(general.events)
          expect(typed.error).toEqual(general.error)
          expect(typed.error?.constructor).toBe(general.error?.constructor)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('leaves out the events of a message that fails, as push does', () => {
    // message_start is written for the bad content before it fails: neither path delivers it.
    const chunks = [encodeStream([event('assistantResponseEvent', { content: 42 })])]
    const options = { model: 'm', messageId: 'msg_1' }
    const typed = mapTyped(chunks, options)
    expect(typed.events).toEqual([])
    expect(typed.error).toBeDefined()
    expect(mapGeneral(chunks, options)).toEqual(typed)
  })
})
