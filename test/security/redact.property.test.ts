import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { scrubbedIo } from '../../src/cli/io.js'
import { APIError } from '../../src/errors/api-error.js'
import { KiroError } from '../../src/errors/kiro-error.js'
import { streamFailureError } from '../../src/mapper/kiro-frames.js'
import { errorResponse } from '../../src/server/error-response.js'
import { toSSEStream } from '../../src/server/sse.js'
import { errorFromResponse } from '../../src/transport/kiro-errors.js'
import { clearSecrets, REDACTED, redactSecrets, registerSecret, safeHeaders } from '../../src/util/redact.js'
import { echoArb, reveals, secretArb } from './echoes.js'

afterEach(() => clearSecrets())

/** Every string a caller can read off an error. */
function readable(error: APIError): string {
  const headers: string[] = []
  error.headers?.forEach((value, name) => {
    headers.push(`${name}: ${value}`)
  })
  return [error.message, JSON.stringify(error.error), headers.join('\n'), String(error)].join('\n')
}

async function sseErrorText(error: unknown): Promise<string> {
  const failing: AsyncIterable<never> = {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  }
  return new Response(toSSEStream(failing)).text()
}

const secretAndEcho = secretArb.chain((secret) => fc.tuple(fc.constant(secret), echoArb(secret)))

describe('a registered secret never leaves, however it is echoed', () => {
  it('through redactSecrets itself', () => {
    fc.assert(
      fc.property(secretAndEcho, ([secret, echo]) => {
        registerSecret(secret)
        expect(reveals(redactSecrets(echo), secret)).toBe(false)
      }),
      { numRuns: 300 },
    )
  })

  it('through every exit: error message, error body, headers, HTTP error body, SSE error event, CLI output', async () => {
    await fc.assert(
      fc.asyncProperty(secretAndEcho, async ([secret, echo]) => {
        registerSecret(secret)
        // An HTTP error of Kiro, the echo in its JSON body, its text and a header.
        const response = new Response(JSON.stringify({ message: echo, detail: { nested: [echo] } }), {
          status: 500,
          headers: { 'x-echo': encodeURIComponent(echo).slice(0, 4000), authorization: `Bearer ${secret}` },
        })
        const http = errorFromResponse(response, await response.clone().text())
        expect(reveals(readable(http), secret)).toBe(false)
        expect(http.headers?.has('authorization')).toBe(false)
        const textError = errorFromResponse(new Response(echo, { status: 502 }), echo)
        expect(reveals(readable(textError), secret)).toBe(false)

        // An in-stream exception frame.
        const frame = streamFailureError({
          kiroErrorType: 'InternalServerException',
          reason: undefined,
          message: echo,
          body: { message: echo },
        })
        expect(reveals(readable(frame), secret)).toBe(false)

        // What the server answers with: the HTTP error body and the SSE error event.
        const body = await errorResponse(500, 'api_error', echo, 'req_1').text()
        expect(reveals(body, secret)).toBe(false)
        expect(reveals(await sseErrorText(new KiroError(echo)), secret)).toBe(false)
        expect(reveals(await sseErrorText(frame), secret)).toBe(false)

        // CLI output and log lines.
        const written: string[] = []
        const io = scrubbedIo({
          out: (text) => written.push(text),
          err: (text) => written.push(text),
          color: false,
          env: {},
          readStdin: async () => undefined,
        })
        io.err(`req_1 POST /v1/messages: ${echo}\n`)
        io.out(echo)
        expect(reveals(written.join(''), secret)).toBe(false)
      }),
      { numRuns: 150 },
    )
  })

  it('a secret passed as `extra` is cut without being registered', () => {
    fc.assert(
      fc.property(secretAndEcho, ([secret, echo]) => {
        expect(reveals(redactSecrets(echo, [secret]), secret)).toBe(false)
      }),
      { numRuns: 100 },
    )
  })
})

describe('redactSecrets', () => {
  it('keeps ordinary text, field names and reasons', () => {
    registerSecret('aoaAAAAAGh1xK9zQ2-registered-secret-0001')
    for (const text of [
      'messages.3.content.1.tool_use_id: Field required',
      'apiKey: expected a Kiro API key starting with "ksk_".',
      'The bearer token included in the request is invalid',
      'refreshToken: the login has no refresh token.',
      'arn:aws:codewhisperer:us-east-1:699475941385:profile/EHGA3GRVQMUK',
      'Kiro is throttling requests: Too many requests. Wait and try again.',
    ]) {
      expect(redactSecrets(text)).toBe(text)
    }
  })

  it('cuts credential-looking values it was never told about', () => {
    const cases: Array<[string, string]> = [
      ['Authorization: Bearer abc.def-123456', `Authorization: Bearer ${REDACTED}`],
      ['{"refreshToken":"r-0123456789"}', `{"refreshToken":"${REDACTED}"}`],
      ['client_secret=s3cr3t-value-42&x=1', `client_secret=${REDACTED}&x=1`],
      ['x-api-key: sk-ant-api03-0123456789', `x-api-key: ${REDACTED}`],
      ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl here', `token ${REDACTED} here`],
      ['key ksk_0123456789abcdef end', `key ${REDACTED} end`],
      ['got aoaAAAAAGh1xK9zQ2abcdefghijklmnop:MGUC==', `got ${REDACTED}`],
    ]
    for (const [text, expected] of cases) expect(redactSecrets(text)).toBe(expected)
  })

  it('cuts 16 characters of a secret but not 15', () => {
    const secret = 'S3cr3t-0123456789-abcdefghijklmnop'
    registerSecret(secret)
    expect(redactSecrets(`x ${secret.slice(3, 19)} y`)).toBe(`x ${REDACTED} y`)
    expect(redactSecrets(`x ${secret.slice(3, 18)} y`)).toBe(`x ${secret.slice(3, 18)} y`)
  })

  it('drops credential headers and scrubs the others', () => {
    const secret = 'hdr-secret-0123456789abcdef'
    registerSecret(secret)
    const headers = safeHeaders(
      new Headers({
        authorization: 'Bearer x',
        cookie: 'a=b',
        'x-api-key': 'k',
        'x-echo': secret,
        'retry-after': '2',
      }),
    )!
    expect([...headers.keys()].sort()).toEqual(['retry-after', 'x-echo'])
    expect(headers.get('x-echo')).toBe(REDACTED)
  })

  it('never carries `authorization` on APIError.headers', () => {
    const error = new APIError('x', {
      status: 500,
      headers: new Headers({ authorization: 'Bearer abc-0123456789' }),
    })
    expect(error.headers?.has('authorization')).toBe(false)
  })
})
