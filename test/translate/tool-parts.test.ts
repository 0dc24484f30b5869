import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hashHex, hashUuid } from '../../src/translate/hash.js'
import type { JsonObject } from '../../src/translate/kiro-types.js'
import { cleanInputSchema } from '../../src/translate/schema.js'
import { utf8LengthByScan } from '../../src/translate/size.js'
import { sanitizeToolInput } from '../../src/translate/tool-input.js'
import { KIRO_NAME_PATTERN, ToolNameRegistry, toKiroName } from '../../src/translate/tool-names.js'

describe('tool names', () => {
  it('keeps valid names and makes any other name valid, deterministically and distinctly', () => {
    expect(toKiroName('read_file')).toBe('read_file')
    expect(toKiroName('a'.repeat(64))).toBe('a'.repeat(64))
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 120 }), (a, b) => {
        expect(toKiroName(a)).toMatch(KIRO_NAME_PATTERN)
        expect(toKiroName(a)).toBe(toKiroName(a))
        if (a !== b) expect(toKiroName(a)).not.toBe(toKiroName(b))
      }),
    )
  })

  it('the registry maps only renamed tools back', () => {
    const names = new ToolNameRegistry()
    expect(names.kiroName('ok')).toBe('ok')
    const renamed = names.kiroName('files.read')
    expect(names.kiroName('files.read')).toBe(renamed)
    expect([...names.renamed]).toEqual([[renamed, 'files.read']])
  })
})

describe('hash', () => {
  it('is deterministic and spreads', () => {
    expect(hashHex('abc', 32)).toBe(hashHex('abc', 32))
    expect(hashHex('abc', 32)).toMatch(/^[0-9a-f]{32}$/)
    const seen = new Set<string>()
    for (let i = 0; i < 5000; i++) seen.add(hashHex(`name-${i}`, 8))
    expect(seen.size).toBe(5000)
    expect(hashUuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })
})

describe('cleanInputSchema', () => {
  it('returns a clean schema as the same object (no copy)', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', enum: ['x'] } }, required: ['a'] }
    expect(cleanInputSchema(schema)).toBe(schema)
  })
  it('removes nulls and empty required at any depth, adds type and properties, keeps the rest', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      required: [],
      properties: { a: { type: 'object', required: [], default: null, items: [null, { type: 'string' }] } },
      additionalProperties: false,
    }
    const copy = structuredClone(schema)
    expect(cleanInputSchema(schema)).toEqual({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      properties: { a: { type: 'object', items: [{ type: 'string' }] } },
      additionalProperties: false,
      type: 'object',
    })
    expect(schema).toEqual(copy)
    expect(cleanInputSchema({ properties: [] } as JsonObject)).toEqual({ type: 'object', properties: {} })
  })
})

describe('sanitizeToolInput', () => {
  it('drops empty keys and nulls at any depth, copy on write, own __proto__ members kept', () => {
    const clean = { a: 1, b: [1, { c: 'x' }] }
    expect(sanitizeToolInput(clean)).toBe(clean)
    expect(sanitizeToolInput({ a: 1, '': 2, n: null, d: { '': 3, k: [null, 4] } })).toEqual({
      a: 1,
      d: { k: [4] },
    })
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "": 0}') as JsonObject
    expect(JSON.stringify(sanitizeToolInput(parsed))).toBe('{"__proto__":{"x":1}}')
  })
  it('never leaves an empty key or a null', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 3 })), (input) => {
        const bad: string[] = []
        const walk = (value: unknown, path: string): void => {
          if (value === null) bad.push(`${path} is null`)
          else if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) walk(value[i], `${path}.${i}`)
          } else if (typeof value === 'object') {
            for (const [k, v] of Object.entries(value)) {
              if (k === '') bad.push(`${path} has an empty key`)
              walk(v, `${path}.${k}`)
            }
          }
        }
        walk(sanitizeToolInput(input), 'input')
        expect(bad).toEqual([])
      }),
    )
  })
})

describe('utf8LengthByScan (runtimes without Buffer)', () => {
  it('agrees with TextEncoder on any string, lone surrogates included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 8 }),
            fc.constantFrom('\ud800', '\udc00', '字', 'é', '🎉'),
          ),
          {
            maxLength: 12,
          },
        ),
        (parts) => {
          const text = parts.join('')
          expect(utf8LengthByScan(text)).toBe(new TextEncoder().encode(text).length)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
