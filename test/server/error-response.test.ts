import { describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  BadRequestError,
  OverloadedError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { EventStreamError } from '../../src/errors/event-stream-error.js'
import { errorAnswer, errorResponse } from '../../src/server/error-response.js'

describe('errorAnswer', () => {
  it('keeps the status and type of an APIError, and passes the upstream wait through', () => {
    const error = new RateLimitError('Kiro is throttling requests. Wait and try again.', {
      headers: new Headers({ 'retry-after': '7', 'retry-after-ms': '7000' }),
      requestID: 'kiro-req-1',
    })
    expect(errorAnswer(error)).toEqual({
      status: 429,
      type: 'rate_limit_error',
      message: 'Kiro is throttling requests. Wait and try again.',
      headers: { 'retry-after': '7', 'retry-after-ms': '7000', 'x-kiro-request-id': 'kiro-req-1' },
    })
  })

  it('answers overload as 529 overloaded_error, and a quota as 402 billing_error', () => {
    expect(errorAnswer(new OverloadedError('busy'))).toMatchObject({ status: 529, type: 'overloaded_error' })
    const quota = APIError.generate('Kiro quota reached', { status: 402, type: 'billing_error' })
    expect(errorAnswer(quota)).toMatchObject({ status: 402, type: 'billing_error' })
  })

  it('gives an in-stream failure (no status) the status of its type', () => {
    const inStream = new APIError('Kiro is overloaded', { type: 'overloaded_error' })
    expect(inStream.status).toBeUndefined()
    expect(errorAnswer(inStream)).toMatchObject({ status: 529, type: 'overloaded_error' })
    const throttled = new APIError('throttled', { type: 'rate_limit_error' })
    expect(errorAnswer(throttled)).toMatchObject({ status: 429, type: 'rate_limit_error' })
  })

  it('answers 413 request_too_large for an oversized body', () => {
    const error = new BadRequestError('too big', { status: 413, type: 'request_too_large' })
    expect(errorAnswer(error)).toMatchObject({ status: 413, type: 'request_too_large' })
  })

  it('maps timeouts to 504, connection failures to 502, a missing login to 401', () => {
    expect(errorAnswer(new APIConnectionTimeoutError('idle', 120_000))).toMatchObject({
      status: 504,
      type: 'timeout_error',
      message: expect.stringMatching(/idle timeout of 120000 ms/),
    })
    expect(errorAnswer(new APIConnectionError())).toMatchObject({ status: 502, type: 'api_error' })
    const login = new CredentialsError(
      'not_found',
      'No Kiro login found in ~/.aws/sso/cache. Sign in to Kiro.',
    )
    expect(errorAnswer(login)).toEqual({
      status: 401,
      type: 'authentication_error',
      message: 'No Kiro login found in ~/.aws/sso/cache. Sign in to Kiro.',
      headers: {},
    })
  })

  it('answers a refresh that failed on the way as a retryable gateway error, a bad login as 401', () => {
    const unreachable = new CredentialsError(
      'refresh_failed',
      'Could not reach the Kiro token refresh endpoint prod.us-east-1.auth.desktop.kiro.dev: fetch failed (ENOTFOUND).',
    )
    expect(errorAnswer(unreachable)).toMatchObject({ status: 502, type: 'api_error' })
    const failing = new CredentialsError('refresh_failed', 'failed with HTTP 503', { status: 503 })
    expect(errorAnswer(failing)).toMatchObject({ status: 502, type: 'api_error' })
    const slow = new CredentialsError('refresh_timeout', 'did not complete within 30000 ms')
    expect(errorAnswer(slow)).toMatchObject({ status: 504, type: 'timeout_error' })
    const refused = new CredentialsError('refresh_failed', 'failed with HTTP 400', { status: 400 })
    expect(errorAnswer(refused)).toMatchObject({ status: 401, type: 'authentication_error' })
    const revoked = new CredentialsError('refresh_token_invalid', 'revoked', { status: 401 })
    expect(errorAnswer(revoked)).toMatchObject({ status: 401, type: 'authentication_error' })
  })

  it('maps a corrupt upstream stream to 502', () => {
    expect(errorAnswer(new EventStreamError('message_crc_mismatch', 'CRC mismatch'))).toMatchObject({
      status: 502,
      type: 'api_error',
      message: expect.stringContaining('message_crc_mismatch'),
    })
  })

  it('has nothing to answer when the client aborted', () => {
    expect(errorAnswer(new APIUserAbortError())).toBeNull()
  })

  it('does not echo the message of an error that is not ours', () => {
    const answer = errorAnswer(new TypeError('token=abc123 leaked somewhere'))
    expect(answer).toMatchObject({ status: 500, type: 'api_error' })
    expect(answer?.message).not.toContain('abc123')
  })
})

describe('errorResponse', () => {
  it('is Anthropic error JSON with the request-id header and body field', async () => {
    const response = errorResponse(429, 'rate_limit_error', 'slow down', 'req_x', { 'retry-after': '3' })
    expect(response.status).toBe(429)
    expect(response.headers.get('request-id')).toBe('req_x')
    expect(response.headers.get('retry-after')).toBe('3')
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'slow down' },
      request_id: 'req_x',
    })
  })
})

describe('errorResponse x-should-retry', () => {
  it('tells every client not to retry an error a retry cannot fix', () => {
    for (const [status, type] of [
      [400, 'invalid_request_error'],
      [401, 'authentication_error'],
      [402, 'billing_error'],
      [403, 'permission_error'],
      [404, 'not_found_error'],
      [405, 'invalid_request_error'],
      [413, 'request_too_large'],
    ] as const) {
      expect(errorResponse(status, type, 'no', 'req_x').headers.get('x-should-retry')).toBe('false')
    }
  })

  it("leaves the clients' own retry policy to the errors worth retrying", () => {
    for (const [status, type] of [
      [408, 'timeout_error'],
      [429, 'rate_limit_error'],
      [500, 'api_error'],
      [502, 'api_error'],
      [504, 'timeout_error'],
      [529, 'overloaded_error'],
    ] as const) {
      expect(errorResponse(status, type, 'later', 'req_x').headers.has('x-should-retry')).toBe(false)
    }
  })
})

describe('errorAnswer status', () => {
  it('answers with the status Anthropic gives the type when Kiro used another one', () => {
    const capacity = new OverloadedError('Kiro is overloaded', {
      status: 429,
      reason: 'INSUFFICIENT_MODEL_CAPACITY',
    })
    expect(errorAnswer(capacity)).toMatchObject({ status: 529, type: 'overloaded_error' })
    const quota = new APIError('quota', {
      status: 429,
      type: 'billing_error',
      reason: 'MONTHLY_REQUEST_COUNT',
    })
    expect(errorAnswer(quota)).toMatchObject({ status: 402, type: 'billing_error' })
  })

  it("keeps Kiro's status when it means the same thing", () => {
    expect(errorAnswer(new APIError('bad gateway', { status: 502 }))).toMatchObject({
      status: 502,
      type: 'api_error',
    })
    expect(errorAnswer(new APIError('timeout', { status: 408 }))).toMatchObject({
      status: 408,
      type: 'timeout_error',
    })
  })
})
