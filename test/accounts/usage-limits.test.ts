import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { normalizeUsageLimits, parseKiroTimestamp } from '../../src/accounts/usage-limits.js'

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/usage-limits/${name}.json`, import.meta.url), 'utf8'))

// 2026-05-14, before every reset and trial expiry in the fixtures.
const NOW = Date.UTC(2026, 4, 14)
const RESET = 1_780_387_200_000

describe('normalizeUsageLimits', () => {
  it('reads a free-tier account', () => {
    const usage = normalizeUsageLimits(fixture('free-tier'), 'alice', NOW)
    expect(usage).toMatchObject({
      account: 'alice',
      plan: { type: 'Q_DEVELOPER_STANDALONE_FREE', title: 'KIRO FREE' },
      credits: { used: 12.37, limit: 50, remaining: 37.63, unit: 'INVOCATIONS' },
      overage: { enabled: false, capable: false, used: 0, cap: 0 },
      exhausted: false,
      resetsAt: RESET,
      fetchedAt: NOW,
    })
    expect(usage.freeTrial).toBeUndefined()
    expect(usage.daysUntilReset).toBeUndefined()
    // The e-mail address is not kept.
    expect(JSON.stringify(usage)).not.toContain('example.com')
  })

  it('reads a paid account running on overage: past its limit, not exhausted until the cap', () => {
    const usage = normalizeUsageLimits(fixture('paid-overage'), 'bob', NOW)
    expect(usage).toMatchObject({
      plan: { type: 'Q_DEVELOPER_STANDALONE_PRO_PLUS', title: 'KIRO PRO+' },
      credits: { used: 2310.75, limit: 2000, remaining: 0 },
      overage: {
        enabled: true,
        capable: true,
        used: 310.75,
        cap: 10000,
        charges: 12.43,
        rate: 0.04,
        currency: 'USD',
      },
      exhausted: false,
      resetsAt: RESET,
      daysUntilReset: 17,
    })
  })

  it('adds an active free trial to the credits', () => {
    const usage = normalizeUsageLimits(fixture('free-trial'), 'carol', NOW)
    expect(usage.freeTrial).toEqual({
      status: 'ACTIVE',
      used: 80.25,
      limit: 500,
      expiresAt: 1_781_234_567_891,
    })
    expect(usage.credits).toEqual({ used: 80.25, limit: 550, remaining: 469.75, unit: 'INVOCATIONS' })
    expect(usage.exhausted).toBe(false)
    // Once the trial has expired only the plan's own credits count.
    const later = normalizeUsageLimits(fixture('free-trial'), 'carol', 1_781_234_567_892)
    expect(later.credits).toMatchObject({ used: 0, limit: 50, remaining: 50 })
  })

  it('calls an account with nothing left exhausted, and one past its overage cap too', () => {
    const free = fixture('free-tier') as { usageBreakdownList: { currentUsageWithPrecision?: number }[] }
    free.usageBreakdownList[0]!.currentUsageWithPrecision = 50
    expect(normalizeUsageLimits(free, 'a', NOW)).toMatchObject({ exhausted: true, credits: { remaining: 0 } })
    const paid = fixture('paid-overage') as { usageBreakdownList: { currentUsageWithPrecision?: number }[] }
    paid.usageBreakdownList[0]!.currentUsageWithPrecision = 12_000.01
    expect(normalizeUsageLimits(paid, 'b', NOW).exhausted).toBe(true)
  })

  it('survives a hostile or empty body', () => {
    for (const body of [
      null,
      'text',
      [],
      {},
      { usageBreakdownList: 'no' },
      { usageBreakdownList: [null, 3] },
    ]) {
      const usage = normalizeUsageLimits(body, 'x', NOW)
      expect(usage.breakdowns).toEqual([])
      expect(usage.credits).toBeUndefined()
      expect(usage.exhausted).toBe(false)
    }
    const odd = normalizeUsageLimits(
      { usageBreakdownList: [{ resourceType: 'CREDIT', currentUsage: 'NaN', usageLimit: {} }] },
      'x',
      NOW,
    )
    expect(odd.credits).toEqual({ used: 0, limit: 0, remaining: 0 })
  })
})

describe('parseKiroTimestamp', () => {
  it('reads epoch seconds in any notation, ISO strings and milliseconds', () => {
    expect(parseKiroTimestamp(1.7645472e9)).toBe(1_764_547_200_000)
    expect(parseKiroTimestamp('1.7645472E9')).toBe(1_764_547_200_000)
    expect(parseKiroTimestamp(1_764_547_200_000)).toBe(1_764_547_200_000)
    expect(parseKiroTimestamp('2025-12-01T00:00:00Z')).toBe(1_764_547_200_000)
    expect(parseKiroTimestamp(null)).toBeUndefined()
    expect(parseKiroTimestamp(-5)).toBeUndefined()
    expect(parseKiroTimestamp('soon')).toBeUndefined()
  })
})
