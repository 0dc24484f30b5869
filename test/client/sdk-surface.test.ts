import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, it } from 'vitest'
import type { RequestHookEvent } from '../../src/client/hooks.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { BadRequestError, ConfigurationError, NotFoundError, RateLimitError } from '../../src/errors/index.js'
import { MessageStream } from '../../src/stream/message-stream.js'
import { ACCESS_TOKEN, collect, params, rejectionOf, setup } from './helpers.js'

// The parts of @anthropic-ai/sdk's client surface people reach for, on KiroClient itself.

describe('create() returns an APIPromise', () => {
  it('withResponse(): the message, Kiro’s response and request id', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'Hi there.' }])
    const { data, response, request_id } = await client.messages.create(params).withResponse()
    expect(data.content).toEqual([{ type: 'text', text: 'Hi there.', citations: null }])
    expect(data._request_id).toBe(request_id)
    expect(response.status).toBe(200)
    expect(request_id).toBe(sim.generateRequests[0]?.requestId)
    expect(response.headers.get('x-amzn-requestid')).toBe(request_id)
  })

  it('asResponse(): the answer as the Anthropic API writes it, ready to return from a route', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'As JSON.' }])
    const response = await client.messages.create(params).asResponse()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('request-id')).toMatch(/^req_/)
    expect(response.headers.get('x-kiro-request-id')).toBe(sim.generateRequests[0]?.requestId)
    const body = (await response.json()) as { content: unknown[] }
    expect(body.content).toEqual([{ type: 'text', text: 'As JSON.' }])
    // The official SDK reads it as its own answer.
    const sdk = new Anthropic({ apiKey: 'x', fetch: async () => response.clone(), maxRetries: 0 })
    sim.enqueue([{ text: 'As JSON.' }])
    const again = await client.messages.create(params).asResponse()
    const read = await new Anthropic({
      apiKey: 'x',
      fetch: async () => again,
      maxRetries: 0,
    }).messages.create({
      ...params,
    })
    expect(read.content).toEqual([{ type: 'text', text: 'As JSON.' }])
    expect(sdk).toBeInstanceOf(Anthropic)
  })

  it('asResponse(): a failure is an Anthropic error response, not a rejection', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    sim.enqueue([
      { error: { status: 429, body: { message: 'Rate exceeded.' }, headers: { 'retry-after': '2' } } },
    ])
    const response = await client.messages.create(params).asResponse()
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('rate_limit_error')
  })

  it('with stream: true it resolves to the MessageStream once Kiro answered, or rejects before', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    sim.enqueue([{ text: ['Str', 'eamed.'] }])
    const stream = await client.messages.create({ ...params, stream: true })
    expect(stream).toBeInstanceOf(MessageStream)
    const events = await collect(stream)
    expect(events.at(-1)?.type).toBe('message_stop')

    sim.enqueue([{ error: { status: 429, body: { message: 'Slow down.' } } }])
    expect(await rejectionOf(client.messages.create({ ...params, stream: true }))).toBeInstanceOf(
      RateLimitError,
    )

    sim.enqueue([{ text: 'As SSE.' }])
    const sse = await client.messages.create({ ...params, stream: true }).asResponse()
    expect(sse.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const text = await sse.text()
    expect(text).toContain('event: message_start')
    expect(text).toContain('"text":"As SSE."')
  })

  it('a bad request rejects the promise and each of its helpers, naming the field', async () => {
    const { client } = await setup()
    const bad = {
      ...params,
      messages: [{ role: 'user' as const, content: [{ type: 'tool_result' as const }] }],
    }
    expect(await rejectionOf(client.messages.create(bad as never))).toBeInstanceOf(BadRequestError)
    expect(await rejectionOf(client.messages.create(bad as never).withResponse())).toBeInstanceOf(
      BadRequestError,
    )
    const response = await client.messages.create(bad as never).asResponse()
    expect(response.status).toBe(400)
    expect(await rejectionOf(client.messages.create(params, { retries: 1 } as never))).toBeInstanceOf(
      ConfigurationError,
    )
  })
})

describe('the rest of the client surface', () => {
  it('withOptions(): another client with options changed, sharing the login', async () => {
    const { sim, client } = await setup({ maxRetries: 3 })
    const strict = client.withOptions({ maxRetries: 0 })
    expect(strict).toBeInstanceOf(KiroClient)
    expect(strict.credentials).toBe(client.credentials)
    sim.enqueue([{ error: { status: 500, body: {} } }])
    expect(await rejectionOf(strict.messages.create(params))).toMatchObject({ status: 500 })
    expect(sim.generateRequests).toHaveLength(1)
    expect(sim.generateRequests[0]?.headers['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`)
    expect(() => client.withOptions({ maxRetries: -1 })).toThrow(ConfigurationError)
  })

  it('models.list() is awaitable and iterable; models.retrieve() finds one or throws NotFoundError', async () => {
    const { client } = await setup()
    const page = await client.models.list()
    const ids: string[] = []
    for await (const model of client.models.list()) ids.push(model.id)
    expect(ids).toEqual(page.data.map((model) => model.id))
    const sonnet = await client.models.retrieve('claude-sonnet-4-5')
    expect(sonnet).toMatchObject({
      type: 'model',
      id: 'claude-sonnet-4-5',
      line: 'sonnet',
      lifecycle: 'active',
    })
    expect(sonnet.max_input_tokens).toBeGreaterThan(0)
    expect(await rejectionOf(client.models.retrieve('claude-nonexistent'))).toBeInstanceOf(NotFoundError)
  })

  it('beta.messages: the same methods; beta parameters accepted and listed as ignored', async () => {
    const requests: RequestHookEvent[] = []
    const { sim, client } = await setup({ hooks: { onRequest: (event) => requests.push(event) } })
    sim.enqueue([{ text: 'Beta.' }], [{ text: 'Beta stream.' }])
    const message = await client.beta.messages.create({
      ...params,
      betas: ['context-management-2025-06-27'],
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_format: { type: 'json_schema', schema: { type: 'object' } },
    })
    expect(message.content).toMatchObject([{ type: 'text', text: 'Beta.' }])
    expect(requests[0]?.ignored).toEqual(
      expect.arrayContaining(['betas', 'context_management', 'output_format', 'max_tokens']),
    )
    const streamed = await client.beta.messages.stream({ ...params, betas: ['x'] }).finalText()
    expect(streamed).toBe('Beta stream.')
    expect((await client.beta.messages.countTokens({ ...params, betas: ['x'] })).input_tokens).toBe(
      (await client.messages.countTokens(params)).input_tokens,
    )
  })
})
