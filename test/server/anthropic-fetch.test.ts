import Anthropic from '@anthropic-ai/sdk'
import Anthropic0 from 'anthropic-sdk-0x'
import { describe, expect, it } from 'vitest'
import { OverloadedError, RateLimitError } from '../../src/errors/api-error.js'
import { createAnthropicFetch } from '../../src/server/anthropic-fetch.js'
import { type FakeTurn, fakeBackend, MODELS, textEvents } from './fake-backend.js'

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Hi' }],
}

const lines = [
  [
    '1.x',
    Anthropic,
    (fetch: typeof globalThis.fetch) => new Anthropic({ apiKey: 'unused', fetch, maxRetries: 0 }),
  ],
  [
    '0.x',
    Anthropic0,
    (fetch: typeof globalThis.fetch) => new Anthropic0({ apiKey: 'unused', fetch, maxRetries: 0 }),
  ],
] as const

describe.each(lines)('createAnthropicFetch under @anthropic-ai/sdk %s', (line, SDK, makeClient) => {
  const sdk = (turns: FakeTurn[] = []) => {
    const backend = fakeBackend(turns)
    return { backend, client: makeClient(createAnthropicFetch(backend)) as Anthropic }
  }

  it('streams: finalMessage and the text events', async () => {
    const { client, backend } = sdk([{ events: textEvents('Hello there.') }])
    const stream = client.messages.stream(params)
    const deltas: string[] = []
    stream.on('text', (delta) => deltas.push(delta))
    const message = await stream.finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there.', citations: null }])
    expect(deltas.join('')).toBe('Hello there.')
    expect(stream.request_id).toMatch(/^req_/)
    expect(backend.calls[0]?.method).toBe('stream')
  })

  it('creates without streaming', async () => {
    const { client } = sdk([{ events: textEvents('One shot.') }])
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'One shot.' })
    expect(message._request_id).toMatch(/^req_/)
  })

  it('counts tokens and lists models', async () => {
    const { client } = sdk()
    expect(await client.messages.countTokens(params)).toEqual({ input_tokens: 42 })
    const page = await client.models.list()
    expect(page.data.map((model) => model.id)).toEqual(MODELS.map((model) => model.id))
  })

  it('raises the SDK RateLimitError for a throttled request, with retry-after passed through', async () => {
    const throttled = new RateLimitError('Kiro is throttling requests.', {
      headers: new Headers({ 'retry-after': '5' }),
    })
    const { client } = sdk([{ failBefore: throttled }])
    const error = await client.messages
      .stream(params)
      .finalMessage()
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SDK.RateLimitError)
    const apiError = error as InstanceType<typeof Anthropic.RateLimitError>
    expect(apiError.status).toBe(429)
    expect(apiError.headers.get('retry-after')).toBe('5')
    expect(apiError.requestID).toMatch(/^req_/)
  })

  it(`raises ${line === '1.x' ? 'OverloadedError' : 'InternalServerError'} for an overloaded upstream`, async () => {
    const { client } = sdk([{ failBefore: new OverloadedError('Kiro is overloaded.') }])
    const error = await client.messages.create(params).catch((caught: unknown) => caught)
    const expected = line === '1.x' ? Anthropic.OverloadedError : SDK.InternalServerError
    expect(error).toBeInstanceOf(expected)
    expect((error as { status: number }).status).toBe(529)
  })

  it('raises an APIError without status for an error after the stream started', async () => {
    const { client } = sdk([
      {
        events: textEvents('partial'),
        failAfter: { events: 3, error: new OverloadedError('Kiro is overloaded.') },
      },
    ])
    const error = await client.messages
      .stream(params)
      .finalMessage()
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SDK.APIError)
    expect((error as { status?: number }).status).toBeUndefined()
    expect(String((error as Error).message)).toMatch(/overloaded/)
  })

  it('cancels the upstream request when the SDK stream is aborted', async () => {
    const { client, backend } = sdk([{ events: textEvents('first').slice(0, 3), hang: true }])
    const stream = client.messages.stream(params)
    await new Promise<void>((resolve) => stream.once('text', () => resolve()))
    stream.abort()
    await stream.done().catch(() => {})
    expect(backend.calls[0]!.stream!.controller.signal.aborted).toBe(true)
  })
})

describe('createAnthropicFetch routing', () => {
  it('routes by the path from /v1/ on, whatever the base URL', async () => {
    const fetch = createAnthropicFetch(fakeBackend())
    const body = JSON.stringify(params)
    for (const url of [
      'https://api.anthropic.com/v1/messages/count_tokens',
      'http://x.test/some/prefix/v1/messages/count_tokens',
    ]) {
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      })
      expect(await response.json()).toEqual({ input_tokens: 42 })
    }
  })

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const backend = fakeBackend()
    const fetch = createAnthropicFetch(backend)
    const controller = new AbortController()
    controller.abort(new Error('caller gave up'))
    await expect(
      fetch('http://x.test/v1/messages', {
        method: 'POST',
        body: JSON.stringify(params),
        signal: controller.signal,
      }),
    ).rejects.toThrow('caller gave up')
    expect(backend.calls).toHaveLength(0)
  })
})
