import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeEventStreamMessage } from '../../src/eventstream/encoder.js'
import type { EventStreamHeaderValue, EventStreamMessage } from '../../src/eventstream/types.js'
import { concat, feed, splitAt } from './feed.js'
import { crc } from './message.js'

const utf8 = new TextEncoder()
const HEX = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

const headerValue: fc.Arbitrary<EventStreamHeaderValue> = fc.oneof(
  fc.boolean().map((value) => ({ type: 'boolean', value }) as const),
  fc.integer({ min: -128, max: 127 }).map((value) => ({ type: 'byte', value }) as const),
  fc.integer({ min: -32768, max: 32767 }).map((value) => ({ type: 'short', value }) as const),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value) => ({ type: 'integer', value }) as const),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type: 'long', value }) as const),
  fc.uint8Array({ maxLength: 300 }).map((value) => ({ type: 'binary', value }) as const),
  fc.string({ unit: 'binary', maxLength: 80 }).map((value) => ({ type: 'string', value }) as const),
  fc
    .integer({ min: -8.64e15, max: 8.64e15 })
    .map((ms) => ({ type: 'timestamp', value: new Date(ms) }) as const),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => {
    const hex = HEX(bytes)
    const value = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    return { type: 'uuid', value } as const
  }),
)

const headerName = fc
  .string({ unit: 'binary', minLength: 1, maxLength: 40 })
  .filter((name) => utf8.encode(name).length <= 255)

const message: fc.Arbitrary<EventStreamMessage> = fc.record({
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 8 }),
  payload: fc.uint8Array({ maxLength: 600 }),
})

/** Kiro-like messages too, so the repeated-header path is exercised alongside arbitrary ones. */
const kiroMessage: fc.Arbitrary<EventStreamMessage> = fc
  .record({
    type: fc.constantFrom('assistantResponseEvent', 'toolUseEvent', 'meteringEvent', 'metadataEvent'),
    text: fc.string(),
  })
  .map(({ type, text }) => ({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    payload: utf8.encode(JSON.stringify({ content: text })),
  }))

const stream = fc.array(fc.oneof(message, kiroMessage), { minLength: 1, maxLength: 6 })

/** Cut points inside `length` bytes, sorted and distinct. */
function cuts(length: number): fc.Arbitrary<number[]> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 12 })
    .map((points) => points.filter((point) => point < length).sort((a, b) => a - b))
}

/** Ends of each encoded message in the concatenated stream. */
function boundaries(encoded: Uint8Array[]): number[] {
  let end = 0
  return encoded.map((part) => (end += part.length))
}

describe('event-stream properties', () => {
  it('decode(encode(m)) equals m', () => {
    fc.assert(
      fc.property(message, (original) => {
        const outcome = feed([encodeEventStreamMessage(original)])
        expect(outcome.error).toBeUndefined()
        expect(outcome.messages).toEqual([original])
      }),
      { numRuns: 300 },
    )
  })

  it('any split of a multi-message stream gives the same messages', () => {
    fc.assert(
      fc.property(
        stream.chain((messages) => {
          const bytes = concat(messages.map(encodeEventStreamMessage))
          return fc.tuple(fc.constant(messages), fc.constant(bytes), cuts(bytes.length))
        }),
        ([messages, bytes, points]) => {
          const outcome = feed(splitAt(bytes, points))
          expect(outcome.error).toBeUndefined()
          expect(outcome.messages).toEqual(messages)
        },
      ),
      { numRuns: 200 },
    )
  })

  /**
   * Under corruption the decoder may deliver only messages that precede the damage, each equal to
   * what was encoded, and must then fail with an EventStreamError (`feed` lets any other exception
   * through, which fails the test). Being synchronous, it cannot hang: every case returns.
   */
  function checkCorrupted(
    messages: EventStreamMessage[],
    encoded: Uint8Array[],
    bytes: Uint8Array,
    points: number[],
    damagedAt: number,
  ) {
    const outcome = feed(splitAt(bytes, points), { maxMessageLength: 64 * 1024 })
    expect(outcome.error).toBeDefined()
    const intact = boundaries(encoded).filter((end) => end <= damagedAt).length
    expect(outcome.messages.length).toBeLessThanOrEqual(intact)
    expect(outcome.messages).toEqual(messages.slice(0, outcome.messages.length))
  }

  it('any byte flip gives an EventStreamError, and no message that differs from the encoded ones', () => {
    fc.assert(
      fc.property(
        stream.chain((messages) => {
          const encoded = messages.map(encodeEventStreamMessage)
          const bytes = concat(encoded)
          return fc.tuple(
            fc.constant(messages),
            fc.constant(encoded),
            fc.constant(bytes),
            fc.integer({ min: 0, max: bytes.length - 1 }),
            fc.integer({ min: 1, max: 255 }),
            cuts(bytes.length),
          )
        }),
        ([messages, encoded, bytes, at, mask, points]) => {
          const damaged = bytes.slice()
          damaged[at]! ^= mask
          checkCorrupted(messages, encoded, damaged, points, at)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('truncation gives the whole messages before the cut, and truncated unless it falls on a boundary', () => {
    fc.assert(
      fc.property(
        stream.chain((messages) => {
          const encoded = messages.map(encodeEventStreamMessage)
          const bytes = concat(encoded)
          return fc.tuple(
            fc.constant(messages),
            fc.constant(encoded),
            fc.constant(bytes),
            fc.integer({ min: 0, max: bytes.length - 1 }),
          )
        }),
        ([messages, encoded, bytes, length]) => {
          const ends = boundaries(encoded)
          const whole = ends.filter((end) => end <= length).length
          const outcome = feed(splitAt(bytes.subarray(0, length), length > 3 ? [3] : []))
          expect(outcome.messages).toEqual(messages.slice(0, whole))
          expect(outcome.error?.code).toBe(length === 0 || ends.includes(length) ? undefined : 'truncated')
        },
      ),
      { numRuns: 300 },
    )
  })

  it('a corrupted length field, even with a matching prelude CRC, gives an EventStreamError', () => {
    fc.assert(
      fc.property(
        stream.chain((messages) => {
          const encoded = messages.map(encodeEventStreamMessage)
          return fc.tuple(
            fc.constant(messages),
            fc.constant(encoded),
            fc.integer({ min: 0, max: messages.length - 1 }),
            fc.constantFrom(0, 4),
            fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 1000 })),
            fc.constantFrom(1, 7, 64, 100_000),
          )
        }),
        ([messages, encoded, index, field, value, chunkSize]) => {
          const view = new DataView(encoded[index]!.buffer)
          fc.pre(view.getUint32(field) !== value)
          const start = boundaries(encoded)[index]! - encoded[index]!.length
          const bytes = concat(encoded)
          const damaged = new DataView(bytes.buffer)
          damaged.setUint32(start + field, value)
          damaged.setUint32(start + 8, crc(bytes.subarray(start, start + 8)))
          const points: number[] = []
          for (let at = chunkSize; at < bytes.length; at += chunkSize) points.push(at)
          checkCorrupted(messages, encoded, bytes, points, start)
        },
      ),
      { numRuns: 400 },
    )
  })
})
