import { describe, expect, it } from 'vitest'
import { requestBody } from '../../src/client/request-body.js'
import { BadRequestError } from '../../src/errors/api-error.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { ACCESS_TOKEN, rejectionOf, setup } from './helpers.js'

const ARN = 'arn:aws:codewhisperer:us-east-1:699475941385:profile/EHGA3GRVQMUK'
const SPLICE = `,"profileArn":${JSON.stringify(ARN)}`.length
const LIMIT = 4_000

/** One user message whose translated body (without a profile ARN) is exactly `bytes` long. */
function paramsOfSize(bytes: number) {
  const make = (text: string) => ({
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    messages: [{ role: 'user' as const, content: text }],
  })
  const base = toKiroRequest(make('x')).serialized.length - 1
  const params = make('x'.repeat(bytes - base))
  expect(toKiroRequest(params).serialized.length).toBe(bytes)
  return params
}

describe('requestBody', () => {
  const translation = toKiroRequest(paramsOfSize(1_000))

  it('adds the login profile ARN to the serialized body as valid JSON', () => {
    const body = requestBody(translation, ARN, LIMIT)
    expect(JSON.parse(body)).toEqual({ ...translation.body, profileArn: ARN })
    expect(body.length).toBe(translation.serialized.length + SPLICE)
  })

  it('leaves the body alone without an ARN, or when the translation already has one', () => {
    expect(requestBody(translation, undefined, LIMIT)).toBe(translation.serialized)
    const own = toKiroRequest(paramsOfSize(1_000), { profileArn: 'arn:configured' })
    expect(requestBody(own, ARN, LIMIT)).toBe(own.serialized)
  })

  it('refuses a splice that would take the body past the limit', () => {
    expect(() => requestBody(translation, ARN, 1_000 + SPLICE - 1)).toThrow(BadRequestError)
    expect(() => requestBody(translation, ARN, 1_000 + SPLICE - 1)).toThrow(/profileArn is added/)
    expect(requestBody(translation, ARN, 1_000 + SPLICE)).toHaveLength(1_000 + SPLICE)
  })
})

describe('the login profile ARN never takes a body past maxBodyBytes', () => {
  const credentials = { accessToken: ACCESS_TOKEN, expiresAt: Date.now() + 3_600_000, profileArn: ARN }

  it('a body that only fits without the ARN fails before sending, instead of meeting Kiro’s 400', async () => {
    const { sim, client } = await setup(
      { credentials, maxBodyBytes: LIMIT, maxRetries: 0 },
      { maxBodyBytes: LIMIT },
    )
    const error = await rejectionOf(client.messages.create(paramsOfSize(LIMIT - SPLICE + 10)))
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error.message).toMatch(/too large/)
    expect(sim.generateRequests).toHaveLength(0)
  })

  it('trimHistory keeps room for the ARN', async () => {
    const { sim, client } = await setup(
      { credentials, maxBodyBytes: LIMIT, trimHistory: true },
      { maxBodyBytes: LIMIT },
    )
    // The last three turns alone come to 40 bytes under the limit: they would be kept if the
    // translator did not know that the ARN is still to come.
    const tail = (n: number) => [
      { role: 'user' as const, content: `two ${'y'.repeat(n)}` },
      { role: 'assistant' as const, content: 'three' },
      { role: 'user' as const, content: 'four' },
    ]
    const request = (messages: ReturnType<typeof tail>) => ({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages,
    })
    const n = LIMIT - 40 - toKiroRequest(request(tail(0))).serialized.length
    expect(toKiroRequest(request(tail(n))).serialized.length).toBe(LIMIT - 40)
    const message = await client.messages.create({
      ...request(tail(n)),
      messages: [
        { role: 'user', content: `one ${'z'.repeat(800)}` },
        { role: 'assistant', content: 'ok' },
        ...tail(n),
      ],
    })
    expect(message.role).toBe('assistant')
    const sent = sim.generateRequests[0]!
    expect(sent.shapeIssues).toEqual([])
    expect(sent.bodyBytes).toBeLessThanOrEqual(LIMIT)
    expect((sent.json as { profileArn?: string }).profileArn).toBe(ARN)
  })
})
