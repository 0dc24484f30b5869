import { describe, expect, it } from 'vitest'
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { errorFromResponse, requestIdOf } from '../../src/transport/kiro-errors.js'

function respond(status: number, body: unknown, headers: Record<string, string> = {}): [Response, string] {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  return [new Response(null, { status, headers }), text]
}

describe('errorFromResponse', () => {
  it.each([
    {
      name: 'the catch-all 400',
      reply: respond(400, { message: 'Improperly formed request.', reason: null }),
      kind: BadRequestError,
      type: 'invalid_request_error',
      says: /Improperly formed request/,
    },
    {
      name: 'context too long',
      reply: respond(400, { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' }),
      kind: BadRequestError,
      type: 'invalid_request_error',
      says: /^prompt is too long: .*Compact or shorten the conversation/,
    },
    {
      name: 'throttling',
      reply: respond(429, {
        __type: 'com.amazon.aws.codewhisperer#ThrottlingException',
        message: 'Too many requests',
      }),
      kind: RateLimitError,
      type: 'rate_limit_error',
      says: /Wait and try again/,
    },
    {
      name: 'model capacity',
      reply: respond(429, { message: 'busy', reason: 'INSUFFICIENT_MODEL_CAPACITY' }),
      kind: OverloadedError,
      type: 'overloaded_error',
      says: /overloaded/,
    },
    {
      name: 'monthly quota',
      reply: respond(402, {
        message: 'Maximum Request reached for this month.',
        reason: 'MONTHLY_REQUEST_COUNT',
      }),
      kind: APIError,
      type: 'billing_error',
      says: /quota/,
    },
    {
      name: 'an invalid token',
      reply: respond(403, { message: 'The bearer token included in the request is invalid.' }),
      kind: AuthenticationError,
      type: 'authentication_error',
      says: /sign in to Kiro again/,
    },
    {
      name: 'a suspended account',
      reply: respond(403, { message: 'Account suspended', reason: 'TEMPORARILY_SUSPENDED' }),
      kind: PermissionDeniedError,
      type: 'permission_error',
      says: /TEMPORARILY_SUSPENDED/,
    },
    {
      name: 'high load',
      reply: respond(500, {
        message: 'Encountered unexpectedly high load when processing the request, please try again.',
      }),
      kind: OverloadedError,
      type: 'overloaded_error',
      says: /Try again shortly/,
    },
    {
      name: 'a bare 502',
      reply: respond(502, ''),
      kind: InternalServerError,
      type: 'api_error',
      says: /Kiro failed/,
    },
  ])('maps $name', ({ reply, kind, type, says }) => {
    const error = errorFromResponse(...reply)
    expect(error).toBeInstanceOf(kind)
    expect(error.type).toBe(type)
    expect(error.status).toBe(reply[0].status)
    expect(error.message).toMatch(says)
  })

  it.each([
    ['Rate exceeded.', 429, {}],
    ['Too many requests!', 429, {}],
    ['Maximum Request reached for this month.', 402, { reason: 'MONTHLY_REQUEST_COUNT' }],
    ['Account suspended. ', 403, { reason: 'TEMPORARILY_SUSPENDED' }],
    ['Something broke...', 500, {}],
    ['Bad\n  input.', 400, {}],
  ])('writes clean sentences around what Kiro said (%j)', (said, status, extra) => {
    const error = errorFromResponse(...respond(status, { message: said, ...extra }, { 'retry-after': '2' }))
    // Kiro's words appear once, without their own closing punctuation; every sentence ends once.
    expect(error.message).not.toMatch(/[.!]{2}|\.\s*\.|\s{2}/)
    expect(error.message).toMatch(/[.]$/)
    expect(error.message).toContain(
      said
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/[\s.!]+$/, ''),
    )
  })

  it('words throttling as one clean sentence: "Rate exceeded." does not end in ".."', () => {
    const error = errorFromResponse(...respond(429, { message: 'Rate exceeded.' }))
    expect(error.message).toBe('Kiro is throttling requests: Rate exceeded. Wait and try again.')
  })

  it('says how long Kiro asks to wait, when it says so', () => {
    const error = errorFromResponse(...respond(429, { message: 'Too many requests' }, { 'retry-after': '7' }))
    expect(error.message).toMatch(/Kiro asks to wait 7 s before retrying\.$/)
    const final = errorFromResponse(...respond(400, { message: 'bad' }, { 'retry-after': '7' }))
    expect(final.message).not.toMatch(/wait/)
  })

  it('reads the error type from x-amzn-errortype, namespace and suffix stripped', () => {
    const error = errorFromResponse(
      ...respond(
        400,
        { message: 'bad' },
        {
          'x-amzn-errortype':
            'com.amazon.aws.codewhisperer#ValidationException:http://internal.amazon.com/coral/',
        },
      ),
    )
    expect(error.kiroErrorType).toBe('ValidationException')
  })

  it('keeps a non-JSON body as text and clips it in the message', () => {
    const html = `<html>${'x'.repeat(5000)}</html>`
    const error = errorFromResponse(...respond(503, html, { 'content-type': 'text/html' }))
    expect(error.error).toBe(html)
    expect(error.message.length).toBeLessThan(700)
  })

  it('finds the request id under each spelling', () => {
    for (const name of ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id']) {
      expect(requestIdOf(new Headers({ [name]: 'abc' }))).toBe('abc')
    }
    expect(errorFromResponse(...respond(500, '', { 'x-amzn-request-id': 'r1' })).requestID).toBe('r1')
  })
})
