import { partialParse as sdkPartialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JsonPrefixChecker } from '../../src/mapper/json-prefix.js'
import { parsePartialJson } from '../../src/stream/partial-json.js'

/** JSON objects as text, compact or indented (Kiro's tool input is a JSON object). */
const jsonObjectText = fc
  .tuple(
    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
    fc.constantFrom(undefined, 1, 2, '\t'),
  )
  .map(([value, indent]) => JSON.stringify(value, null, indent))

function check(text: string, pieces = 1): JsonPrefixChecker {
  const checker = new JsonPrefixChecker()
  const step = Math.max(1, Math.ceil(text.length / pieces))
  for (let at = 0; at < text.length; at += step) checker.push(text.slice(at, at + step))
  return checker
}

function sdk(text: string): { value: unknown } | { error: true } {
  try {
    return { value: sdkPartialParse(text) }
  } catch {
    return { error: true }
  }
}

function ours(text: string): { value: unknown } | { error: true } {
  try {
    return { value: parsePartialJson(text) }
  } catch {
    return { error: true }
  }
}

describe('JsonPrefixChecker', () => {
  it('accepts every prefix of a JSON object, in any split, and calls only the whole complete', () => {
    fc.assert(
      fc.property(jsonObjectText, fc.integer({ min: 1, max: 7 }), (text, pieces) => {
        for (let i = 1; i < text.length; i++) {
          const prefix = check(text.slice(0, i), pieces)
          expect(prefix.failed).toBe(false)
          expect(prefix.complete).toBe(false)
        }
        const whole = check(text + ' \n', pieces)
        expect(whole.failed).toBe(false)
        expect(whole.complete).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('says complete exactly when JSON.parse gives an object, on arbitrary and mutated text', () => {
    const mutated = fc
      .tuple(
        jsonObjectText,
        fc.nat(),
        fc.constantFrom('}', ']', ',', '"', ':', 'x', '\\', '1', ' ', '\u0001'),
      )
      .map(([text, at, c]) => {
        const i = at % (text.length + 1)
        return text.slice(0, i) + c + text.slice(i)
      })
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string()), (text) => {
        let isObject = false
        try {
          const v: unknown = JSON.parse(text)
          isObject = typeof v === 'object' && v !== null && !Array.isArray(v)
        } catch {}
        expect(check(text).complete && !check(text).failed).toBe(isObject)
      }),
      { numRuns: 2000 },
    )
  })

  it('never accepts text an Anthropic SDK cannot partial-parse', () => {
    const mutated = fc
      .tuple(
        jsonObjectText,
        fc.nat(),
        fc.constantFrom('}', ']', ',', '"', ':', 'x', '\\', '1', 'e', '.', '-'),
      )
      .map(([text, at, c]) => {
        const i = at % (text.length + 1)
        return (text.slice(0, i) + c + text.slice(i)).slice(0, Math.max(1, i + 1))
      })
    fc.assert(
      fc.property(mutated, (text) => {
        if (!check(text).failed) expect(sdk(text)).not.toEqual({ error: true })
      }),
      { numRuns: 2000 },
    )
  })

  it('rejects a top-level value that is not an object', () => {
    for (const text of ['[', '"x"', '1', 'true', 'null', '{}{']) expect(check(text).failed).toBe(true)
  })
})

describe('parsePartialJson', () => {
  it('agrees with the SDK partial parser on every prefix of a JSON object', () => {
    fc.assert(
      fc.property(jsonObjectText, (text) => {
        for (let i = 1; i <= text.length; i++) {
          const prefix = text.slice(0, i)
          expect(ours(prefix)).toEqual(sdk(prefix))
        }
        expect(parsePartialJson(text)).toEqual(JSON.parse(text))
      }),
      { numRuns: 150 },
    )
  })

  it('keeps only members received whole', () => {
    expect(parsePartialJson('{"path":"a.txt","content":"hel')).toEqual({ path: 'a.txt' })
    expect(parsePartialJson('{"a":[1,2')).toEqual({ a: [1] })
    expect(parsePartialJson('{"a":tr')).toEqual({})
    expect(parsePartialJson('{"a":{"b":"c"},"d"')).toEqual({ a: { b: 'c' } })
  })

  it('throws on text that is not a prefix of JSON', () => {
    for (const text of ['garbage{', '{"a":1}}', '{"a" 1', '{"a":tx'])
      expect(() => parsePartialJson(text)).toThrow(SyntaxError)
  })

  it('makes __proto__ an own property, as JSON.parse does', () => {
    const value = parsePartialJson('{"__proto__":{"x":1},"y":2') as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['__proto__'])
  })
})
