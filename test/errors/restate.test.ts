import { describe, expect, it } from 'vitest'
import { APIError, BadRequestError, RateLimitError, restateError } from '../../src/errors/api-error.js'

describe('restateError', () => {
  const original = APIError.generate('Too many requests.', {
    status: 429,
    headers: new Headers({ 'retry-after': '7', 'x-amzn-requestid': 'req-1' }),
    requestID: 'req-1',
    error: { message: 'Too many requests.' },
    kiroErrorType: 'ThrottlingException',
    reason: 'MONTHLY_REQUEST_COUNT',
  })

  it('keeps the answer and the subclass, with the new message and the original as cause', () => {
    const said = restateError(original, 'Said again.')
    expect(said).toBeInstanceOf(RateLimitError)
    expect(said.message).toBe('Said again.')
    expect(said.cause).toBe(original)
    expect(said).toMatchObject({
      status: 429,
      requestID: 'req-1',
      type: 'rate_limit_error',
      kiroErrorType: 'ThrottlingException',
      reason: 'MONTHLY_REQUEST_COUNT',
      retryAfterMs: 7000,
      error: { message: 'Too many requests.' },
    })
    expect(said.headers?.get('retry-after')).toBe('7')
  })

  it('applies changes, which may pick another subclass', () => {
    const said = restateError(original, 'Too long.', { status: 400, type: 'invalid_request_error' })
    expect(said).toBeInstanceOf(BadRequestError)
    expect(said.status).toBe(400)
    expect(said.reason).toBe('MONTHLY_REQUEST_COUNT')
    expect(restateError(original, 'Wait.', { retryAfterMs: 90_000 }).retryAfterMs).toBe(90_000)
  })
})
