import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../src/retry/retry-after.js'

const now = Date.parse('2026-01-01T00:00:00Z')
const parse = (headers: Record<string, string>) => parseRetryAfter(new Headers(headers), now)

describe('parseRetryAfter', () => {
  it('reads delta-seconds, fractions included', () => {
    expect(parse({ 'retry-after': '3' })).toBe(3000)
    expect(parse({ 'retry-after': '0' })).toBe(0)
    expect(parse({ 'retry-after': '1.5' })).toBe(1500)
  })

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parse({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' })).toBe(7000)
    expect(parse({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' })).toBe(0)
    expect(parse({ 'retry-after': 'Thursday, 01-Jan-26 00:00:02 GMT' })).toBe(2000)
  })

  it('prefers retry-after-ms', () => {
    expect(parse({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250)
    expect(parse({ 'retry-after-ms': '12.5' })).toBe(12.5)
  })

  it('ignores malformed and negative values', () => {
    expect(parse({})).toBeUndefined()
    expect(parse({ 'retry-after': 'soon' })).toBeUndefined()
    expect(parse({ 'retry-after': '-3' })).toBeUndefined()
    expect(parse({ 'retry-after': 'later 2' })).toBeUndefined()
    expect(parse({ 'retry-after-ms': 'abc', 'retry-after': '2' })).toBe(2000)
    expect(parse({ 'retry-after-ms': '-5' })).toBeUndefined()
  })
})
