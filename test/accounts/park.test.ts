import { describe, expect, it } from 'vitest'
import { COOLING_BASE_MS, LOGIN_RECHECK_MS, parkRecord, QUOTA_RECHECK_MS } from '../../src/accounts/park.js'
import { failureKindOf } from '../../src/errors/classify.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { errorFromResponse } from '../../src/transport/kiro-errors.js'

const NOW = Date.UTC(2026, 4, 14, 15, 30)

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return errorFromResponse(new Response(null, { status, headers }), JSON.stringify(body))
}

function park(error: unknown, context: { throttles?: number; resetsAt?: number } = {}) {
  return parkRecord(failureKindOf(error), error, { now: NOW, throttles: context.throttles ?? 1, ...context })
}

describe('parkRecord', () => {
  it('cools a throttled account until Retry-After, else by a backoff that doubles', () => {
    const asked = answer(429, { __type: 'ThrottlingException', message: 'slow' }, { 'retry-after': '12' })
    expect(park(asked)).toMatchObject({
      state: 'cooling',
      until: NOW + 12_000,
      reason: 'ThrottlingException',
      since: NOW,
    })
    const bare = answer(429, { message: 'Too many requests' })
    expect(park(bare, { throttles: 1 })?.until).toBe(NOW + COOLING_BASE_MS)
    expect(park(bare, { throttles: 3 })?.until).toBe(NOW + 4 * COOLING_BASE_MS)
    expect(park(bare, { throttles: 30 })?.until).toBe(NOW + 300_000)
  })

  it('parks a spent quota until the reset GetUsageLimits gave, or looks again in an hour', () => {
    const monthly = answer(429, {
      message: 'Maximum Request reached for this month.',
      reason: 'MONTHLY_REQUEST_COUNT',
    })
    const reset = Date.UTC(2026, 5, 1)
    expect(park(monthly, { resetsAt: reset })).toMatchObject({
      state: 'exhausted',
      until: reset,
      reason: 'MONTHLY_REQUEST_COUNT',
    })
    expect(park(monthly)?.until).toBe(NOW + QUOTA_RECHECK_MS)
    expect(park(monthly, { resetsAt: NOW - 1 })?.until).toBe(NOW + QUOTA_RECHECK_MS)
  })

  it('parks a daily count until the next UTC midnight', () => {
    const daily = answer(429, { reason: 'DAILY_REQUEST_COUNT' })
    expect(park(daily, { resetsAt: Date.UTC(2026, 5, 1) })?.until).toBe(Date.UTC(2026, 4, 15))
  })

  it('parks a suspension and a dead login with no deadline', () => {
    const suspended = park(answer(403, { message: 'Account suspended', reason: 'TEMPORARILY_SUSPENDED' }))
    expect(suspended).toMatchObject({ state: 'suspended', reason: 'TEMPORARILY_SUSPENDED' })
    expect(suspended?.until).toBeUndefined()
    const dead = park(
      new CredentialsError('refresh_token_invalid', 'The refresh token was refused (invalid_grant).'),
    )
    expect(dead).toMatchObject({ state: 'invalid', reason: 'refresh_token_invalid' })
    expect(dead?.until).toBeUndefined()
  })

  it('looks again later at a login that may mend by itself', () => {
    expect(park(new CredentialsError('not_found', 'No Kiro login found.'))).toMatchObject({
      state: 'invalid',
      until: NOW + LOGIN_RECHECK_MS,
    })
  })

  it('leaves the account alone for model and request failures', () => {
    expect(park(answer(429, { reason: 'INSUFFICIENT_MODEL_CAPACITY' }))).toBeUndefined()
    expect(park(answer(400, { message: 'Improperly formed request.' }))).toBeUndefined()
    expect(park(answer(500, { message: 'boom' }))).toBeUndefined()
  })
})
