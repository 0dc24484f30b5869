import { describe, expect, it } from 'vitest'
import { EventStreamDecoder } from '../../src/eventstream/decoder.js'
import { feed } from './feed.js'
import { rawMessage } from './message.js'

const utf8 = new TextEncoder()

/** One header record: name length, name, type code, then the value bytes as given. */
function record(name: string | Uint8Array, type: number, ...value: number[]): number[] {
  const bytes = typeof name === 'string' ? utf8.encode(name) : name
  return [bytes.length, ...bytes, type, ...value]
}

function stringRecord(name: string, value: Uint8Array | string): number[] {
  const bytes = typeof value === 'string' ? utf8.encode(value) : value
  return record(name, 7, bytes.length >> 8, bytes.length & 0xff, ...bytes)
}

function decodeBlock(...records: number[][]) {
  return feed([rawMessage(Uint8Array.from(records.flat()), utf8.encode('{}'))])
}

describe('header blocks', () => {
  it('keeps the last value of a name that appears twice', () => {
    const outcome = decodeBlock(
      stringRecord(':event-type', 'first'),
      record('n', 0),
      stringRecord(':event-type', 'last'),
    )
    expect(outcome.error).toBeUndefined()
    expect(outcome.messages[0]!.headers).toEqual({
      ':event-type': { type: 'string', value: 'last' },
      n: { type: 'boolean', value: true },
    })
  })

  it('stores a header named __proto__ as an own property and leaves the prototype alone', () => {
    const outcome = decodeBlock(stringRecord('__proto__', 'x'), record('b', 1))
    const headers = outcome.messages[0]!.headers
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(headers, '__proto__')?.value).toEqual({
      type: 'string',
      value: 'x',
    })
    expect(Object.keys(headers)).toEqual(['__proto__', 'b'])
  })

  it('reads the same header block again from its remembered form with the same result', () => {
    const block = Uint8Array.from([
      ...stringRecord('__proto__', 'x'),
      ...record('t', 8, 0, 0, 0, 0, 0, 0, 0, 9),
    ])
    const message = rawMessage(block)
    const decoder = new EventStreamDecoder()
    const [first, second] = [...decoder.push(message), ...decoder.push(message.slice())]
    expect(second).toEqual(first)
    expect(Object.getPrototypeOf(second!.headers)).toBe(Object.prototype)
  })

  it.each([
    [
      'invalid UTF-8 in a string value',
      [stringRecord('s', Uint8Array.of(0xc3, 0x28))],
      /value of header "s" is not valid UTF-8/,
    ],
    ['invalid UTF-8 in a name', [record(Uint8Array.of(0xff, 0x41), 0)], /header name is not valid UTF-8/],
    ['an empty name', [record('', 0)], /empty header name/],
    ['an unknown value type', [record('x', 10)], /header "x": unknown value type 10/],
    ['a name running past the block', [[5, 0x61, 0x62]], /overruns/],
    ['a name with no type byte after it', [[1, 0x61]], /overruns/],
    ['an integer cut short', [record('i', 4, 0, 0, 1)], /value of header "i" overruns/],
    ['a long cut short', [record('l', 5, 0, 0, 0, 0, 0, 0, 0)], /value of header "l" overruns/],
    ['a uuid cut short', [record('u', 9, ...new Array(15).fill(1))], /value of header "u" overruns/],
    ['a string length past the block', [record('s', 7, 0, 9, 0x61)], /value of header "s" overruns/],
    ['a string length field cut short', [record('s', 7, 0)], /value of header "s" overruns/],
    ['a binary length past the block', [record('b', 6, 1, 0)], /value of header "b" overruns/],
    [
      'a timestamp no Date can hold',
      [record('t', 8, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)],
      /out of range/,
    ],
  ])('fails %s with invalid_header', (_, records, message) => {
    const outcome = decodeBlock(...(records as number[][]))
    expect(outcome.messages).toEqual([])
    expect(outcome.error?.code).toBe('invalid_header')
    expect(outcome.error?.message).toMatch(message)
  })

  it('fails a block whose records do not end exactly at its declared length', () => {
    // Six bytes: a complete boolean record ("a", true) and the start of another one.
    const outcome = decodeBlock(record('a', 0), [3, 0x62])
    expect(outcome.error?.code).toBe('invalid_header')
  })
})
