import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../src/errors/index.js'
import {
  KIRO_REFUSAL_RATIO,
  overflowByBytes,
  overflowByKiro,
  promptTooLongMessage,
} from '../../src/translate/context-limit.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { estimateInputTokens } from '../../src/translate/token-estimate.js'
import type { MessageCreateParams } from '../../src/types/anthropic-request.js'

// The pattern Claude Code reads the two numbers with (docs/claude-code.md, "Long sessions").
const CLAUDE_CODE_PATTERN = /prompt is too long[^0-9]*(\d+)\s*tokens?\s*>\s*(\d+)/i

function numbers(message: string): [number, number] {
  const match = CLAUDE_CODE_PATTERN.exec(message)
  expect(match, message).not.toBeNull()
  return [Number(match?.[1]), Number(match?.[2])]
}

describe('the context-size refusal', () => {
  it('is worded as the Anthropic API words it, and N > M whatever the inputs', () => {
    fc.assert(
      fc.property(
        fc.nat(5_000_000),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 1, max: 50_000_000 }),
        fc.nat(2_000_000),
        fc.boolean(),
        (estimate, bytes, maxBytes, window, byKiro) => {
          const overflow = byKiro
            ? overflowByKiro(estimate, window)
            : overflowByBytes(estimate, bytes, maxBytes, window)
          const message = promptTooLongMessage(overflow, 'Detail.')
          expect(message.startsWith(`prompt is too long: ${overflow.tokens} tokens > `)).toBe(true)
          const [n, m] = numbers(message)
          expect(n).toBeGreaterThan(m)
          expect(m).toBeGreaterThanOrEqual(0)
          expect(Number.isInteger(n) && Number.isInteger(m)).toBe(true)
        },
      ),
    )
  })

  it('scales the estimate by the bytes that fit, or takes the context window when smaller', () => {
    expect(overflowByBytes(100_000, 800_000, 600_000, 1_000_000)).toEqual({
      tokens: 100_000,
      maximum: 75_000,
    })
    expect(overflowByBytes(300_000, 800_000, 600_000, 200_000)).toEqual({ tokens: 300_000, maximum: 200_000 })
    // Kiro refused what the local check let through: the limit is put below the request.
    expect(overflowByKiro(150_000, 1_000_000)).toEqual({
      tokens: 150_000,
      maximum: Math.floor(150_000 * KIRO_REFUSAL_RATIO),
    })
    expect(overflowByKiro(250_000, 200_000)).toEqual({ tokens: 250_000, maximum: 200_000 })
  })

  it('is what toKiroRequest throws for a body over the limit: a BadRequestError with both numbers', () => {
    const params: MessageCreateParams = {
      model: 'claude-sonnet-4-5',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'word '.repeat(200_000) }],
    }
    let error: unknown
    try {
      toKiroRequest(params)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(BadRequestError)
    const message = (error as Error).message
    const [n, m] = numbers(message)
    expect(n).toBe(estimateInputTokens(params))
    // About 1,000,000 bytes against 600,000: the limit is about 60% of the estimate.
    expect(m / n).toBeGreaterThan(0.55)
    expect(m / n).toBeLessThan(0.65)
    expect(message).toMatch(/too large for Kiro: \d+ bytes, over the limit of 600000 bytes/)
    expect((error as BadRequestError).error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message },
    })
  })
})
