import { describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  BadRequestError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { EventStreamError } from '../../src/errors/event-stream-error.js'
import { retryDecision } from '../../src/retry/retry-policy.js'
import { errorFromResponse } from '../../src/transport/kiro-errors.js'

function http(status: number, body: unknown = {}, headers: Record<string, string> = {}): APIError {
  return errorFromResponse(new Response(null, { status, headers }), JSON.stringify(body))
}

const first = { attempt: 1, maxRetries: 3, random: () => 0.5 }

describe('retryDecision', () => {
  it.each([
    ['408', http(408), 'timeout'],
    ['429', http(429, { message: 'Too many requests' }), 'rate_limited'],
    ['500', http(500), 'server_error'],
    ['502', http(502), 'server_error'],
    ['503', http(503), 'overloaded'],
    ['504', http(504), 'server_error'],
    ['capacity', http(429, { reason: 'INSUFFICIENT_MODEL_CAPACITY' }), 'overloaded'],
    [
      'rate exceeded',
      http(400, { __type: 'ThrottlingException', reason: 'SERVICE_REQUEST_RATE_EXCEEDED' }),
      'rate_limited',
    ],
    ['high load', http(500, { message: 'Encountered unexpectedly high load' }), 'overloaded'],
    ['a network error', new APIConnectionError(), 'connection_error'],
    ['a response timeout', new APIConnectionTimeoutError('response', 100), 'timeout'],
    ['an idle timeout', new APIConnectionTimeoutError('idle', 100), 'timeout'],
    [
      'an in-stream throttling exception',
      new APIError('x', { kiroErrorType: 'ThrottlingException', status: undefined }),
      'rate_limited',
    ],
  ])('retries %s', (_name, error, reason) => {
    const decision = retryDecision({ ...first, error })
    expect(decision).toMatchObject({ retry: true, reason, refreshToken: false })
  })

  it.each([
    ['a 400 validation error', http(400, { message: 'Improperly formed request.', reason: null })],
    [
      'context too long',
      http(400, { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' }),
    ],
    ['the monthly quota on 402', http(402, { reason: 'MONTHLY_REQUEST_COUNT' })],
    [
      'the monthly quota on 429',
      http(429, { __type: 'ThrottlingException', reason: 'MONTHLY_REQUEST_COUNT' }),
    ],
    ['a 401', http(401, { message: 'nope' })],
    ['a permission error', http(403, { reason: 'TEMPORARILY_SUSPENDED' })],
    ['a caller abort', new APIUserAbortError()],
    ['a spent total timeout', new APIConnectionTimeoutError('total', 100)],
    ['a corrupt stream', new EventStreamError('message_crc_mismatch', 'bad')],
    ['a plain error', new Error('bug')],
    ['a bad request from the translator', new BadRequestError('messages: Field required')],
  ])('does not retry %s', (_name, error) => {
    expect(retryDecision({ ...first, error })).toEqual({ retry: false })
  })

  it('stops after maxRetries retries', () => {
    const error = http(503)
    expect(retryDecision({ ...first, attempt: 3, error }).retry).toBe(true)
    expect(retryDecision({ ...first, attempt: 4, error }).retry).toBe(false)
    expect(retryDecision({ ...first, maxRetries: 0, error }).retry).toBe(false)
  })

  it('backs off exponentially with full jitter, capped at 8 s', () => {
    const error = http(503)
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((attempt) => {
      const decision = retryDecision({ attempt, maxRetries: 10, error, random: () => 0.999999 })
      return decision.retry ? decision.delayMs : -1
    })
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 7999, 7999])
    const floor = retryDecision({ attempt: 3, maxRetries: 10, error, random: () => 0 })
    expect(floor).toMatchObject({ retry: true, delayMs: 0 })
  })

  it('waits what Retry-After says, seconds or date, without jitter', () => {
    const seconds = retryDecision({ ...first, error: http(429, {}, { 'retry-after': '2' }) })
    expect(seconds).toMatchObject({ retry: true, delayMs: 2000 })
    const now = Date.parse('2026-01-01T00:00:00Z')
    const date = retryDecision({
      ...first,
      now,
      error: http(503, {}, { 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }),
    })
    expect(date).toMatchObject({ retry: true, delayMs: 5000 })
    const ms = retryDecision({ ...first, error: http(503, {}, { 'retry-after-ms': '120' }) })
    expect(ms).toMatchObject({ retry: true, delayMs: 120 })
  })

  it('fails at once when Retry-After exceeds the cap, saying the wait', () => {
    const original = http(
      429,
      { message: 'Too many requests' },
      { 'retry-after': '120', 'x-amzn-requestid': 'r9' },
    )
    const decision = retryDecision({ ...first, error: original })
    expect(decision.retry).toBe(false)
    const error = (decision as unknown as { error: RateLimitError }).error
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.message).toMatch(/Kiro asked for 120 s, longer than the 60 s/)
    expect(error.message).toMatch(/Try again in 120 s/)
    // Names the client option by its real name.
    expect(error.message).toContain('(maxRetryAfterMs)')
    expect(error.requestID).toBe('r9')
    expect(error.status).toBe(429)
    expect(error.cause).toBe(original)
    const allowed = retryDecision({ ...first, maxRetryAfterMs: 200_000, error: original })
    expect(allowed).toMatchObject({ retry: true, delayMs: 120_000 })
  })

  it('spends the one forced token refresh on an invalid-token answer, outside the budget', () => {
    const error = http(403, { message: 'The bearer token included in the request is invalid.' })
    expect(retryDecision({ ...first, maxRetries: 0, error, tokenRefresh: 'available' })).toEqual({
      retry: true,
      delayMs: 0,
      reason: 'token_invalid',
      refreshToken: true,
    })
    expect(retryDecision({ ...first, attempt: 2, error, tokenRefresh: 'used' })).toEqual({ retry: false })
    expect(retryDecision({ ...first, error })).toEqual({ retry: false })
    // After the refresh retry (attempt 2), a 503 still has the whole budget of 1.
    expect(retryDecision({ attempt: 2, maxRetries: 1, error: http(503), tokenRefresh: 'used' }).retry).toBe(
      true,
    )
    expect(retryDecision({ attempt: 3, maxRetries: 1, error: http(503), tokenRefresh: 'used' }).retry).toBe(
      false,
    )
  })
})

describe("retryDecision with scope 'transient'", () => {
  const transient = { ...first, scope: 'transient' as const }

  it.each([
    ['408', http(408)],
    ['500', http(500)],
    ['502', http(502)],
    ['503', http(503)],
    ['504', http(504)],
    ['high load on a 500', http(500, { message: 'Encountered unexpectedly high load' })],
    ['a network error', new APIConnectionError()],
    ['a response timeout', new APIConnectionTimeoutError('response', 100)],
    ['an idle timeout', new APIConnectionTimeoutError('idle', 100)],
  ])('still retries %s: a fault the caller cannot see', (_name, error) => {
    expect(retryDecision({ ...transient, error })).toMatchObject({ retry: true })
  })

  it.each([
    ['a 429', http(429, { message: 'Too many requests' }, { 'retry-after': '4' })],
    ['capacity on a 429', http(429, { reason: 'INSUFFICIENT_MODEL_CAPACITY' })],
    ['rate exceeded', http(400, { __type: 'ThrottlingException', reason: 'SERVICE_REQUEST_RATE_EXCEEDED' })],
    [
      'an in-stream throttling exception',
      new APIError('x', { kiroErrorType: 'ThrottlingException', status: undefined }),
    ],
  ])('leaves %s to the caller at once', (_name, error) => {
    expect(retryDecision({ ...transient, error })).toEqual({ retry: false })
  })

  it('keeps the one forced token refresh', () => {
    const error = http(403, { message: 'The bearer token included in the request is invalid.' })
    expect(retryDecision({ ...transient, error, tokenRefresh: 'available' })).toMatchObject({
      retry: true,
      refreshToken: true,
    })
  })

  it('carries the wait Kiro asked for on the error, for the server to pass on', () => {
    expect(http(429, {}, { 'retry-after': '4' }).retryAfterMs).toBe(4000)
    expect(http(429, {}).retryAfterMs).toBeUndefined()
  })
})
