import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { estimateTokens, TokenCounter } from '../../src/translate/tokens.js'
import { splitText as split } from '../helpers/split-text.js'

describe('TokenCounter', () => {
  it('equals estimateTokens of the whole output, for any text in any split', () => {
    // Lone and split surrogates included: fc.string with 'binary' units yields any UTF-16 code unit.
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ maxLength: 200 }),
    )
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 10 }), (t, cuts) => {
        const counter = new TokenCounter()
        for (const piece of split(t, cuts)) counter.add(piece)
        expect(counter.estimate).toBe(estimateTokens(t))
      }),
      { numRuns: 3000 },
    )
  })

  it('counts a surrogate pair split across pieces once', () => {
    const counter = new TokenCounter()
    counter.add('a\ud83c')
    counter.add('\udf0d')
    expect(counter.estimate).toBe(estimateTokens('a🌍'))
  })
})
