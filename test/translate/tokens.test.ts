import { describe, expect, it } from 'vitest'
import { estimateTokens } from '../../src/translate/tokens.js'

describe('estimateTokens', () => {
  it('is zero for empty text and at least one otherwise', () => {
    expect(estimateTokens('')).toBe(0)
    expect(estimateTokens('a')).toBe(1)
  })

  it('counts ASCII at about 3.6 characters a token', () => {
    expect(estimateTokens('x'.repeat(360))).toBe(100)
  })

  it('counts a surrogate pair (emoji) as one code point', () => {
    expect(estimateTokens('😀😀')).toBe(2)
    expect(estimateTokens('你好世界')).toBe(4)
  })
})
