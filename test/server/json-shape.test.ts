import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { scanJson } from '../../src/server/json-shape.js'

const bytes = (text: string) => new TextEncoder().encode(text)

function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0
  const children = Array.isArray(value) ? value : Object.values(value)
  return 1 + Math.max(0, ...children.map(depthOf))
}

describe('scanJson', () => {
  it('finds the nesting depth of any JSON text, strings and escapes included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value)
        expect(scanJson(bytes(text), 10_000, Number.POSITIVE_INFINITY).depth).toBe(depthOf(value))
      }),
      { numRuns: 500 },
    )
  })

  it('does not count brackets, commas or escaped quotes inside strings', () => {
    expect(scanJson(bytes('{"a":"x\\\\"}'))).toEqual({ depth: 1, values: 2 })
    expect(scanJson(bytes('{"a":"x\\\\\\"[[[,,,"}'))).toEqual({ depth: 1, values: 2 })
    expect(scanJson(bytes('[[["[[[[,", [1,2]]]]'))).toEqual({ depth: 4, values: 7 })
  })

  it('stops early past a limit', () => {
    expect(scanJson(bytes(`${'['.repeat(300)}${']'.repeat(300)}`), 256).depth).toBe(257)
    expect(scanJson(bytes(`[${'0,'.repeat(1000)}0]`), 256, 100).values).toBe(101)
  })
})
