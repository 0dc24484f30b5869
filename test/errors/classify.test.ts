import { describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
} from '../../src/errors/api-error.js'
import { classifyKiroFailure, failureKindOf, type KiroFailure } from '../../src/errors/classify.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { errorFromResponse } from '../../src/transport/kiro-errors.js'

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return errorFromResponse(new Response(null, { status, headers }), JSON.stringify(body))
}

describe('classifyKiroFailure kinds', () => {
  it.each<[string, KiroFailure, string, number]>([
    [
      'plain throttling',
      { status: 429, kiroErrorType: 'ThrottlingException', message: 'Too many requests' },
      'throttled',
      429,
    ],
    [
      'rate exceeded reason on a 400',
      { status: 400, reason: 'SERVICE_REQUEST_RATE_EXCEEDED', message: 'Too many requests, please wait' },
      'throttled',
      429,
    ],
    ['monthly count on a 429', { status: 429, reason: 'MONTHLY_REQUEST_COUNT' }, 'quota', 402],
    ['daily count', { status: 429, reason: 'DAILY_REQUEST_COUNT' }, 'quota', 402],
    ['overage cap', { status: 402, reason: 'OVERAGE_REQUEST_LIMIT_EXCEEDED' }, 'quota', 402],
    ['a bare 402', { status: 402 }, 'quota', 402],
    [
      'credits gone said in words on a bare 429',
      { status: 429, message: 'You have reached the monthly usage limit for your plan.' },
      'quota',
      402,
    ],
    ['a conversation limit', { status: 402, reason: 'CONVERSATION_LIMIT_EXCEEDED' }, 'request', 402],
    ['a suspension', { status: 403, reason: 'TEMPORARILY_SUSPENDED' }, 'suspended', 403],
    [
      'suspicious activity on a 429',
      { status: 429, message: 'Your account was flagged for suspicious activity.' },
      'suspended',
      403,
    ],
    ['model capacity', { status: 429, reason: 'INSUFFICIENT_MODEL_CAPACITY' }, 'model_capacity', 529],
    [
      'an invalid bearer',
      { status: 403, message: 'The bearer token included in the request is invalid.' },
      'token_invalid',
      401,
    ],
    ['a 401', { status: 401, message: 'Unauthorized' }, 'invalid_login', 401],
    ['a feature not enabled', { status: 403, reason: 'FEATURE_NOT_SUPPORTED' }, 'request', 403],
    ['a validation error', { status: 400, message: 'Improperly formed request.' }, 'request', 400],
    ['an unknown model', { status: 400, reason: 'INVALID_MODEL_ID' }, 'request', 404],
    ['a 500', { status: 500 }, 'server', 500],
    ['a 503', { status: 503 }, 'server', 529],
  ])('%s', (_name, failure, kind, status) => {
    const result = classifyKiroFailure(failure)
    expect(result.kind).toBe(kind)
    expect(result.status).toBe(status)
    expect(result.tokenInvalid).toBe(kind === 'token_invalid')
  })

  it('keeps a quota before anything else, even a suspension word', () => {
    expect(
      classifyKiroFailure({ status: 429, reason: 'MONTHLY_REQUEST_COUNT', message: 'suspended' }).kind,
    ).toBe('quota')
  })
})

describe('failureKindOf', () => {
  it('reads errors built from real answers', () => {
    expect(failureKindOf(answer(429, { __type: 'ThrottlingException', message: 'slow down' }))).toBe(
      'throttled',
    )
    expect(failureKindOf(answer(402, { message: 'Maximum Request reached for this month.' }))).toBe('quota')
    expect(
      failureKindOf(answer(403, { message: 'Account suspended', reason: 'TEMPORARILY_SUSPENDED' })),
    ).toBe('suspended')
    expect(failureKindOf(answer(400, { message: 'Improperly formed request.', reason: null }))).toBe(
      'request',
    )
  })

  it('reads credentials failures: dead logins apart from passing trouble', () => {
    expect(failureKindOf(new CredentialsError('refresh_token_invalid', 'invalid_grant'))).toBe(
      'invalid_login',
    )
    expect(failureKindOf(new CredentialsError('not_found', 'no login'))).toBe('invalid_login')
    expect(failureKindOf(new CredentialsError('refresh_failed', 'network', { status: 503 }))).toBe('server')
    expect(failureKindOf(new CredentialsError('refresh_timeout', 'slow'))).toBe('server')
  })

  it('calls connection trouble a server failure and an abort nothing', () => {
    expect(failureKindOf(new APIConnectionError())).toBe('server')
    expect(failureKindOf(new APIConnectionTimeoutError('idle', 1000))).toBe('server')
    expect(failureKindOf(new APIUserAbortError())).toBeUndefined()
    expect(failureKindOf(new TypeError('bug'))).toBeUndefined()
  })
})
