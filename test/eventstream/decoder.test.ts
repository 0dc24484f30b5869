import { describe, expect, it } from 'vitest'
import { EventStreamError } from '../../src/errors/event-stream-error.js'
import { EventStreamDecoder } from '../../src/eventstream/decoder.js'
import type { EventStreamMessage } from '../../src/eventstream/types.js'
import { concat, feed, splitAt, splitEvery } from './feed.js'
import { crc, encode, kiroEvent, withHeaders } from './message.js'

/** A 12-byte prelude with a valid CRC declaring `total` bytes and `headersLength` bytes of headers. */
function prelude(total: number, headersLength = 0): Uint8Array {
  const out = new Uint8Array(12)
  const view = new DataView(out.buffer)
  view.setUint32(0, total)
  view.setUint32(4, headersLength)
  view.setUint32(8, crc(out.subarray(0, 8)))
  return out
}

/** Headers (string values only) and payload of a message as one string. */
function fingerprint(message: EventStreamMessage): string {
  return `${JSON.stringify(message.headers)} ${Buffer.from(message.payload).toString('latin1')}`
}

function codeOf(action: () => unknown): string | undefined {
  try {
    action()
  } catch (error) {
    if (error instanceof EventStreamError) return error.code
    throw error
  }
  return undefined
}

describe('EventStreamDecoder', () => {
  const text = kiroEvent('assistantResponseEvent', { content: 'Hello' })
  const tool = withHeaders({ id: { type: 'binary', value: Uint8Array.of(1, 2, 3) } }, '{"input":"{"}')

  it('returns views into the chunk for messages that lie inside it', () => {
    const chunk = concat([encode(text), encode(tool)])
    const [first, second] = new EventStreamDecoder().push(chunk)
    expect(first).toEqual(text)
    expect(second).toEqual(tool)
    expect(first!.payload.buffer).toBe(chunk.buffer)
    expect(second!.payload.buffer).toBe(chunk.buffer)
    const { id } = second!.headers
    expect(id?.type === 'binary' && id.value.buffer).toBe(chunk.buffer)
  })

  it('copies a message that straddles chunks once, into a buffer of exactly its size', () => {
    const bytes = encode(tool)
    const chunks = splitAt(bytes, [5, 20])
    const decoder = new EventStreamDecoder()
    expect(decoder.push(chunks[0]!)).toEqual([])
    expect(decoder.push(chunks[1]!)).toEqual([])
    const [message] = decoder.push(chunks[2]!)
    expect(message).toEqual(tool)
    expect(message!.payload.buffer.byteLength).toBe(bytes.length)
    const { id } = message!.headers
    expect(id?.type === 'binary' && id.value.buffer).toBe(message!.payload.buffer)
  })

  it('decodes chunks that are views at an offset into a larger buffer', () => {
    const bytes = concat([encode(text), encode(tool), encode(text)])
    const backing = new Uint8Array(bytes.length + 10)
    backing.set(bytes, 7)
    const decoder = new EventStreamDecoder()
    const messages = [
      ...decoder.push(backing.subarray(7, 7 + 50)),
      ...decoder.push(backing.subarray(7 + 50, 7 + bytes.length)),
    ]
    decoder.end()
    expect(messages).toEqual([text, tool, text])
  })

  it('accepts empty chunks and Node Buffers', () => {
    const decoder = new EventStreamDecoder()
    expect(decoder.push(new Uint8Array())).toEqual([])
    expect(decoder.push(Buffer.from(encode(text)))).toEqual([text])
  })

  it('rejects a chunk that is not a Uint8Array with a TypeError naming it', () => {
    const decoder = new EventStreamDecoder()
    expect(() => decoder.push('abc' as unknown as Uint8Array)).toThrow(
      /chunk must be a Uint8Array, got string/,
    )
  })

  it('rejects a maxMessageLength that is not an integer from 16 to 2^32-1', () => {
    for (const bad of [0, 15, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => new EventStreamDecoder({ maxMessageLength: bad })).toThrow(RangeError)
      expect(() => new EventStreamDecoder({ maxMessageLength: bad })).toThrow(/maxMessageLength/)
    }
    expect(() => new EventStreamDecoder({ maxMessageLength: 16 })).not.toThrow()
  })

  describe('limits', () => {
    it('fails a declared length over maxMessageLength as soon as 12 bytes arrived', () => {
      const decoder = new EventStreamDecoder({ maxMessageLength: 1024 })
      const error = (() => {
        try {
          decoder.push(prelude(1025))
        } catch (caught) {
          return caught
        }
      })()
      expect(error).toBeInstanceOf(EventStreamError)
      expect((error as EventStreamError).code).toBe('message_too_long')
      expect((error as EventStreamError).message).toMatch(/1025 bytes; maxMessageLength is 1024/)
    })

    it('fails over the default 16 MiB on the 12th byte, when the prelude comes byte by byte', () => {
      const decoder = new EventStreamDecoder()
      const bytes = prelude(16 * 1024 * 1024 + 1)
      for (let i = 0; i < 11; i++) expect(decoder.push(bytes.subarray(i, i + 1))).toEqual([])
      expect(codeOf(() => decoder.push(bytes.subarray(11)))).toBe('message_too_long')
    })

    it('accepts a message of exactly maxMessageLength', () => {
      const bytes = encode(withHeaders({}, 'y'.repeat(100)))
      expect(feed([bytes], { maxMessageLength: bytes.length }).messages).toHaveLength(1)
      expect(feed([bytes], { maxMessageLength: bytes.length - 1 }).error?.code).toBe('message_too_long')
    })

    it('fails a declared length under 16 bytes as message_too_short', () => {
      expect(codeOf(() => new EventStreamDecoder().push(prelude(15)))).toBe('message_too_short')
    })

    it('fails headers longer than the message allows as invalid_header, from the prelude alone', () => {
      expect(codeOf(() => new EventStreamDecoder().push(prelude(20, 5)))).toBe('invalid_header')
      expect(codeOf(() => new EventStreamDecoder().push(prelude(20, 4)))).toBeUndefined()
    })

    it('checks the prelude CRC before the lengths', () => {
      const bytes = prelude(15)
      bytes[11]! ^= 1
      expect(codeOf(() => new EventStreamDecoder().push(bytes))).toBe('prelude_crc_mismatch')
    })
  })

  describe('faults', () => {
    const good = encode(text)
    const corrupt = encode(text)
    corrupt[corrupt.length - 10]! ^= 0x20

    it('returns the good messages before a fault, then throws it on the next call', () => {
      const decoder = new EventStreamDecoder()
      expect(decoder.push(concat([good, good, corrupt]))).toEqual([text, text])
      expect(decoder.failure?.code).toBe('message_crc_mismatch')
      expect(() => decoder.push(good)).toThrow(decoder.failure!)
      expect(() => decoder.end()).toThrow(decoder.failure!)
    })

    it('throws at once when no good message precedes the fault', () => {
      const decoder = new EventStreamDecoder()
      expect(codeOf(() => decoder.push(corrupt))).toBe('message_crc_mismatch')
    })

    it('refuses all further input after a fatal error, even valid messages', () => {
      const decoder = new EventStreamDecoder()
      expect(codeOf(() => decoder.push(corrupt))).toBe('message_crc_mismatch')
      for (let i = 0; i < 3; i++) expect(codeOf(() => decoder.push(good))).toBe('message_crc_mismatch')
      expect(codeOf(() => decoder.end())).toBe('message_crc_mismatch')
    })

    it('end() throws truncated while part of a prelude or of a message remains', () => {
      for (const cut of [1, 11, 12, 13, good.length - 1]) {
        const decoder = new EventStreamDecoder()
        expect(decoder.push(concat([good, good.subarray(0, cut)]))).toEqual([text])
        expect(codeOf(() => decoder.end())).toBe('truncated')
        expect(decoder.failure?.message).toMatch(new RegExp(`at byte ${good.length} \\(${cut} bytes of`))
      }
    })

    it('end() is quiet at a message boundary and on empty input', () => {
      const decoder = new EventStreamDecoder()
      decoder.end()
      decoder.push(good)
      expect(() => decoder.end()).not.toThrow()
    })

    it('says where in the stream the fault is', () => {
      const outcome = feed(splitEvery(concat([good, good, corrupt]), 7))
      expect(outcome.messages).toEqual([text, text])
      expect(outcome.error?.message).toMatch(new RegExp(`at byte ${2 * good.length}$`))
    })
  })

  describe('streams', () => {
    it('decodes 20,000 Kiro-sized messages in 16 KiB chunks and in uneven chunks', () => {
      const messages: EventStreamMessage[] = []
      for (let i = 0; i < 20_000; i++) {
        const content = `delta ${i} `.padEnd(10 + (i % 50), 'abcdefghij')
        messages.push(
          i % 97 === 0
            ? kiroEvent('toolUseEvent', { name: 'read', toolUseId: `t${i}`, input: content })
            : kiroEvent('assistantResponseEvent', { content }),
        )
      }
      const bytes = concat(messages.map(encode))
      expect(bytes.length / messages.length).toBeGreaterThan(120)
      expect(bytes.length / messages.length).toBeLessThan(200)
      // Compared as strings: a deep toEqual over 20,000 messages takes seconds.
      const expected = messages.map(fingerprint)
      expect(feed(splitEvery(bytes, 16 * 1024)).messages.map(fingerprint)).toEqual(expected)
      const cuts: number[] = []
      for (let at = 1, step = 1; at < bytes.length; at += step, step = (step * 7 + 3) % 400) cuts.push(at)
      expect(cuts.length).toBeGreaterThan(10_000)
      expect(feed(splitAt(bytes, cuts)).messages.map(fingerprint)).toEqual(expected)
    })

    it('decodes 1 MiB messages whole, in 64 KiB chunks and in 1000-byte chunks', () => {
      const messages = [1, 2, 3].map((seed) => {
        const payload = new Uint8Array(1024 * 1024)
        for (let i = 0; i < payload.length; i++) payload[i] = (i * seed + (i >> 9)) & 0xff
        return { headers: { ':event-type': { type: 'string', value: 'big' } }, payload } as EventStreamMessage
      })
      const bytes = concat(messages.map(encode))
      for (const size of [bytes.length, 64 * 1024, 1000]) {
        const outcome = feed(splitEvery(bytes, size))
        expect(outcome.error).toBeUndefined()
        // Buffer.equals: a deep toEqual over megabytes is far too slow.
        expect(outcome.messages.map((m) => m.headers)).toEqual(messages.map((m) => m.headers))
        outcome.messages.forEach((message, i) => {
          expect(Buffer.compare(message.payload, messages[i]!.payload)).toBe(0)
        })
        if (size < bytes.length) {
          for (const message of outcome.messages)
            expect(message.payload.buffer.byteLength).toBe(encode(message).length)
        }
      }
    })
  })
})

describe('header decoding', () => {
  it('decodes every value type', () => {
    const message = withHeaders({
      yes: { type: 'boolean', value: true },
      no: { type: 'boolean', value: false },
      byte: { type: 'byte', value: -128 },
      short: { type: 'short', value: -32768 },
      integer: { type: 'integer', value: 2 ** 31 - 1 },
      long: { type: 'long', value: -(2n ** 63n) },
      big: { type: 'long', value: 2n ** 63n - 1n },
      binary: { type: 'binary', value: Uint8Array.of(0, 255) },
      empty: { type: 'binary', value: new Uint8Array() },
      string: { type: 'string', value: 'héllo ✓ 𝄞' },
      blank: { type: 'string', value: '' },
      timestamp: { type: 'timestamp', value: new Date(-8.64e15) },
      uuid: { type: 'uuid', value: '0123abcd-ef01-4567-89ab-cdef01234567' },
    })
    const [decoded] = new EventStreamDecoder().push(encode(message))
    expect(decoded).toEqual(message)
    expect(Object.keys(decoded!.headers)).toEqual(Object.keys(message.headers))
  })

  it('formats a UUID as lowercase 8-4-4-4-12 hex', () => {
    const [decoded] = new EventStreamDecoder().push(
      encode(withHeaders({ id: { type: 'uuid', value: 'ABCDEF01-2345-6789-ABCD-EF0123456789' } })),
    )
    expect(decoded!.headers).toEqual({ id: { type: 'uuid', value: 'abcdef01-2345-6789-abcd-ef0123456789' } })
  })

  it('keeps a leading byte-order mark in a string value', () => {
    const [decoded] = new EventStreamDecoder().push(
      encode(withHeaders({ s: { type: 'string', value: '\uFEFFx' } })),
    )
    expect(decoded!.headers).toEqual({ s: { type: 'string', value: '\uFEFFx' } })
  })

  it('gives every message its own header objects, even for identical header blocks', () => {
    const bytes = encode(text())
    const [first, second] = new EventStreamDecoder().push(concat([bytes, bytes]))
    expect(first!.headers).not.toBe(second!.headers)
    first!.headers[':event-type']!.value = 'changed'
    expect(second!.headers[':event-type']).toEqual({ type: 'string', value: 'assistantResponseEvent' })
  })

  it('tells apart header blocks of the same length that differ in one byte', () => {
    const metering = kiroEvent('meteringEvent', { usage: 1 })
    const metadata = kiroEvent('metadataEvent', { tokenUsage: {} })
    const sequence = [metering, metadata, metering, metering, metadata, text(), metadata]
    expect(feed([concat(sequence.map(encode))]).messages).toEqual(sequence)
  })

  it('tells apart header blocks that differ in any single byte, the last ones included', () => {
    for (let length = 1; length <= 9; length++) {
      const base = 'a'.repeat(length)
      const sequence: EventStreamMessage[] = []
      for (let at = 0; at < length; at++) {
        const variant = `${base.slice(0, at)}b${base.slice(at + 1)}`
        const a = withHeaders({ k: { type: 'string', value: base } })
        const b = withHeaders({ k: { type: 'string', value: variant } })
        sequence.push(a, b, a, b)
      }
      expect(feed([concat(sequence.map(encode))]).messages).toEqual(sequence)
    }
  })

  it('gives each message its own Date for a repeated timestamp header', () => {
    const bytes = encode(withHeaders({ at: { type: 'timestamp', value: new Date(1000) } }))
    const [first, second] = new EventStreamDecoder().push(concat([bytes, bytes]))
    const [{ at: one }, { at: two }] = [first!.headers, second!.headers]
    expect(one!.value).not.toBe(two!.value)
    expect(two).toEqual({ type: 'timestamp', value: new Date(1000) })
  })

  function text(): EventStreamMessage {
    return kiroEvent('assistantResponseEvent', { content: 'hi' })
  }
})
