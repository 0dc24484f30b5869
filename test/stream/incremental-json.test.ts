import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { IncrementalPartialJson } from '../../src/stream/incremental-json.js'
import { parsePartialJson } from '../../src/stream/partial-json.js'

type Outcome = { value: unknown; keys: string } | { error: string }

/** The value with its key order (toEqual ignores order), or the error thrown. */
function outcome(read: () => unknown): Outcome {
  try {
    const value = read()
    return { value, keys: JSON.stringify(value) }
  } catch (error) {
    return { error: (error as Error).name }
  }
}

/** Splits `text` at the given cut points (sorted, deduplicated, inside the text). */
function split(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b)
  const pieces: string[] = []
  let from = 0
  for (const point of points) {
    pieces.push(text.slice(from, point))
    from = point
  }
  pieces.push(text.slice(from))
  return pieces
}

/** Feeds the pieces and checks the snapshot against a whole parse of the prefix after each one. */
function expectSameAsWholeParse(pieces: string[]): void {
  const reader = new IncrementalPartialJson()
  let prefix = ''
  for (const piece of pieces) {
    reader.push(piece)
    prefix += piece
    expect(
      outcome(() => reader.snapshot()),
      JSON.stringify(prefix),
    ).toEqual(outcome(() => parsePartialJson(prefix)))
  }
}

const jsonText = fc
  .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, 1, '\t'))
  .map(([value, indent]) => JSON.stringify(value, null, indent))

describe('IncrementalPartialJson', () => {
  it('gives the whole parse of the text so far after every fragment, for any JSON and any split', () => {
    fc.assert(
      fc.property(jsonText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        expectSameAsWholeParse(split(text, cuts))
      }),
      { numRuns: 400 },
    )
  })

  it('gives the whole parse one character at a time, escapes and nesting included', () => {
    const text =
      '{"a\\"b": [1, -2.5e+3, true, null, {"c": "x\\u00e9\\\\"}], "__proto__": {"d": false}, "e": ""}'
    expectSameAsWholeParse([...text])
  })

  it('throws where the whole parse throws, and agrees again on any text after it', () => {
    const alphabet = fc.constantFrom(...'{}[]":,-+.eE01 \\ntrufalsx'.split(''))
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (chars, cuts) => {
          expectSameAsWholeParse(split(`{${chars.join('')}`, cuts))
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('keeps earlier snapshots as they were while the input grows', () => {
    const reader = new IncrementalPartialJson()
    reader.push('{"list": [1, 2')
    reader.push(', 3, ')
    const before = reader.snapshot()
    reader.push('4, {"x": 5}')
    const after = reader.snapshot()
    expect(before).toEqual({ list: [1, 2, 3] })
    expect(after).toEqual({ list: [1, 2, 3, 4, { x: 5 }] })
  })

  it('reads each fragment once: complete values are shared by later snapshots, not parsed again', () => {
    const reader = new IncrementalPartialJson()
    reader.push('{"done": {"a": [1]}, "open": "te')
    const first = reader.snapshot() as { done: unknown }
    expect(reader.snapshot()).toBe(first)
    reader.push('xt", "more": 1')
    const second = reader.snapshot() as { done: unknown }
    expect(second).not.toBe(first)
    expect(second.done).toBe(first.done)
    expect(second).toEqual({ done: { a: [1] }, open: 'text' })
  })

  it('throws the SyntaxError of an empty or whitespace-only input', () => {
    const reader = new IncrementalPartialJson()
    expect(() => reader.snapshot()).toThrow(SyntaxError)
    reader.push('  \n')
    expect(() => reader.snapshot()).toThrow(SyntaxError)
  })
})
