import { describe, expect, it } from 'vitest'
import { BadRequestError, OverloadedError, RateLimitError } from '../../src/errors/api-error.js'
import { createAnthropicHandler } from '../../src/server/handler.js'
import type { HandlerErrorContext } from '../../src/server/options.js'
import { fakeBackend, MODELS, parseSSE, textEvents } from './fake-backend.js'

const BASE = 'http://proxy.test'

function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  })
}

const params = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] }

describe('createAnthropicHandler: POST /v1/messages', () => {
  it('streams Anthropic SSE with a request-id header, ignoring the query string', async () => {
    const handler = createAnthropicHandler(fakeBackend())
    const response = await handler(post('/v1/messages?beta=true', { ...params, stream: true }))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{24}$/)
    expect(response.headers.get('x-kiro-request-id')).toBe('kiro-fake-request')
    const frames = parseSSE(await response.text())
    for (const frame of frames) expect(frame.event).toBe(frame.data.type)
    expect(frames.map((frame) => frame.event)).toEqual(textEvents('x').map((event) => event.type))
  })

  it('answers a non-streaming request with the Message as JSON', async () => {
    const handler = createAnthropicHandler(fakeBackend([{ events: textEvents('Whole answer.') }]))
    const response = await handler(post('/v1/messages', params))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('request-id')).toMatch(/^req_/)
    const message = await response.json()
    expect(message).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn' })
    // Written as the Anthropic API writes it: no member without a value (no `citations: null`).
    expect(message.content).toEqual([{ type: 'text', text: 'Whole answer.' }])
    expect(Object.keys(message)).not.toContain('container')
    expect(Object.keys(message)).not.toContain('stop_details')
    expect(Object.keys(message)).toContain('stop_sequence')
    expect(Object.values(message.usage)).not.toContain(null)
  })

  it('hands the body to the client as it came (unknown fields, system messages), the beta header as `betas`', async () => {
    const backend = fakeBackend()
    const handler = createAnthropicHandler(backend)
    const body = {
      ...params,
      stream: true,
      messages: [{ role: 'system', content: 'Be brief.' }, ...params.messages],
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'medium' },
    }
    const headers = { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'made-up-beta-2099-01-01' }
    const response = await handler(post('/v1/messages', body, headers))
    expect(response.status).toBe(200)
    await response.text()
    expect(backend.calls[0]?.params).toEqual({ ...body, betas: ['made-up-beta-2099-01-01'] })
  })

  it('answers a failure before the first event with its real status, Anthropic body and retry-after', async () => {
    const throttled = new RateLimitError('Kiro is throttling requests. Wait and try again.', {
      headers: new Headers({ 'retry-after': '3' }),
    })
    const handler = createAnthropicHandler(fakeBackend([{ failBefore: throttled }]))
    const response = await handler(post('/v1/messages', { ...params, stream: true }))
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('3')
    const requestId = response.headers.get('request-id')
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Kiro is throttling requests. Wait and try again.' },
      request_id: requestId,
    })
  })

  it('answers a validation error from the translator with 400 and its field-naming message', async () => {
    const invalid = new BadRequestError('messages.0.content.1.tool_use_id: Field required')
    const handler = createAnthropicHandler(fakeBackend([{ failBefore: invalid }]))
    const response = await handler(post('/v1/messages', params))
    expect(response.status).toBe(400)
    expect((await response.json()).error).toEqual({
      type: 'invalid_request_error',
      message: 'messages.0.content.1.tool_use_id: Field required',
    })
  })

  it('frames a failure after the first event as event: error and ends the stream', async () => {
    const handler = createAnthropicHandler(
      fakeBackend([
        {
          events: textEvents('partial'),
          failAfter: { events: 3, error: new OverloadedError('Kiro is overloaded.') },
        },
      ]),
    )
    const response = await handler(post('/v1/messages', { ...params, stream: true }))
    expect(response.status).toBe(200)
    const frames = parseSSE(await response.text())
    expect(frames.map((frame) => frame.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'error',
    ])
    expect(frames.at(-1)?.data).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Kiro is overloaded.' },
    })
  })

  it('rejects a body that is not JSON, or a stream flag that is not a boolean, naming the problem', async () => {
    const handler = createAnthropicHandler(fakeBackend())
    const broken = await handler(post('/v1/messages', '{"model": "claude'))
    expect(broken.status).toBe(400)
    expect((await broken.json()).error.message).toMatch(/not valid JSON/)
    const flag = await handler(post('/v1/messages', { ...params, stream: 'yes' }))
    expect(flag.status).toBe(400)
    expect((await flag.json()).error.message).toMatch(/^stream: /)
  })

  it('answers 413 request_too_large over the body limit', async () => {
    const backend = fakeBackend()
    const handler = createAnthropicHandler(backend, { maxRequestBytes: 1000 })
    const response = await handler(post('/v1/messages', { ...params, pad: 'x'.repeat(2000) }))
    expect(response.status).toBe(413)
    expect((await response.json()).error.type).toBe('request_too_large')
    expect(backend.calls).toHaveLength(0)
  })
})

describe('createAnthropicHandler: client disconnects', () => {
  it('cancels the upstream request when the client aborts mid-stream', async () => {
    const backend = fakeBackend([{ events: textEvents('first words').slice(0, 3), hang: true }])
    const handler = createAnthropicHandler(backend)
    const controller = new AbortController()
    const response = await handler(post('/v1/messages', { ...params, stream: true }, {}, controller.signal))
    const reader = response.body!.getReader()
    await reader.read()
    const upstream = backend.calls[0]!.stream!.controller.signal
    expect(upstream.aborted).toBe(false)
    controller.abort()
    expect(upstream.aborted).toBe(true)
  })

  it('cancels the upstream request when the response body is cancelled', async () => {
    const backend = fakeBackend([{ events: textEvents('first words').slice(0, 3), hang: true }])
    const handler = createAnthropicHandler(backend)
    const response = await handler(post('/v1/messages', { ...params, stream: true }))
    const reader = response.body!.getReader()
    await reader.read()
    const upstream = backend.calls[0]!.stream!
    expect(upstream.controller.signal.aborted).toBe(false)
    await reader.cancel()
    expect(upstream.controller.signal.aborted).toBe(true)
    expect(upstream.aborted).toBe(true)
  })
})

describe('createAnthropicHandler: other routes', () => {
  it('counts tokens', async () => {
    const handler = createAnthropicHandler(fakeBackend())
    const response = await handler(post('/v1/messages/count_tokens', params))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ input_tokens: 42 })
  })

  it('lists models in the Anthropic shape, with pagination, and retrieves one', async () => {
    const handler = createAnthropicHandler(fakeBackend())
    const all = await handler(new Request(`${BASE}/v1/models?limit=1000`))
    expect(await all.json()).toEqual({
      data: MODELS,
      has_more: false,
      first_id: MODELS[0]!.id,
      last_id: MODELS[1]!.id,
    })
    const first = await (await handler(new Request(`${BASE}/v1/models?limit=1`))).json()
    expect(first).toMatchObject({ has_more: true, first_id: MODELS[0]!.id })
    const one = await handler(new Request(`${BASE}/v1/models/claude-haiku-4-5`))
    expect(await one.json()).toEqual(MODELS[1])
    const missing = await handler(new Request(`${BASE}/v1/models/gpt-4`))
    expect(missing.status).toBe(404)
    expect((await missing.json()).error.type).toBe('not_found_error')
  })

  it('answers HEAD and GET /api/hello (Claude Code probes it)', async () => {
    const handler = createAnthropicHandler(fakeBackend(), { apiKey: 'k' })
    const head = await handler(new Request(`${BASE}/api/hello`, { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect((await handler(new Request(`${BASE}/api/hello`))).status).toBe(200)
  })

  it('answers HEAD / without a key (Claude Code 2.1.197 probes the base URL itself)', async () => {
    const handler = createAnthropicHandler(fakeBackend(), { apiKey: 'k' })
    const head = await handler(new Request(`${BASE}/`, { method: 'HEAD' }))
    expect(head.status).toBe(200)
    expect(head.headers.get('request-id')).toMatch(/^req_/)
    const mounted = createAnthropicHandler(fakeBackend(), { basePath: '/api/anthropic' })
    expect((await mounted(new Request(`${BASE}/api/anthropic`, { method: 'HEAD' }))).status).toBe(200)
    expect((await handler(new Request(`${BASE}/`, { method: 'POST', body: '{}' }))).status).toBe(405)
  })

  it('answers unknown paths with 404 and wrong methods with 405, in Anthropic shape', async () => {
    const handler = createAnthropicHandler(fakeBackend())
    const unknown = await handler(new Request(`${BASE}/v1/complete`, { method: 'POST', body: '{}' }))
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    const wrong = await handler(new Request(`${BASE}/v1/messages`))
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('POST')
  })

  it('serves below a basePath', async () => {
    const handler = createAnthropicHandler(fakeBackend(), { basePath: '/api/anthropic/' })
    const response = await handler(post('/api/anthropic/v1/messages/count_tokens', params))
    expect(response.status).toBe(200)
    expect((await handler(post('/v1/messages/count_tokens', params))).status).toBe(404)
  })
})

describe('createAnthropicHandler: request-id', () => {
  it('is on every response: success, probe, every kind of error, a mount miss', async () => {
    const backend = fakeBackend([{ failBefore: new RateLimitError('slow down') }])
    const keyed = createAnthropicHandler(backend, { apiKey: 'k', maxRequestBytes: 500 })
    const mounted = createAnthropicHandler(fakeBackend(), { basePath: '/api' })
    const withKey = { 'x-api-key': 'k' }
    const responses = [
      await keyed(post('/v1/messages', { ...params, stream: true }, withKey)),
      await keyed(post('/v1/messages', params, withKey)),
      await keyed(post('/v1/messages/count_tokens', params, withKey)),
      await keyed(new Request(`${BASE}/v1/models`, { headers: withKey })),
      await keyed(new Request(`${BASE}/api/hello`, { method: 'HEAD' })),
      await keyed(post('/v1/messages', params)),
      await keyed(post('/v1/messages', '{', withKey)),
      await keyed(post('/v1/messages', { ...params, pad: 'x'.repeat(600) }, withKey)),
      await keyed(new Request(`${BASE}/v1/messages`, { headers: withKey })),
      await keyed(new Request(`${BASE}/v1/nothing`)),
      await mounted(new Request(`${BASE}/elsewhere`)),
    ]
    expect(responses.map((response) => response.status)).toEqual([
      429, 200, 200, 200, 200, 401, 400, 413, 405, 404, 404,
    ])
    for (const response of responses) {
      expect(response.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{24}$/)
      await response.body?.cancel()
    }
  })
})

describe('createAnthropicHandler: apiKey', () => {
  const handler = createAnthropicHandler(fakeBackend(), { apiKey: 'proxy-key' })

  it('accepts the key as x-api-key or as a Bearer token', async () => {
    expect(
      (await handler(post('/v1/messages/count_tokens', params, { 'x-api-key': 'proxy-key' }))).status,
    ).toBe(200)
    const bearer = post('/v1/messages/count_tokens', params, { authorization: 'Bearer proxy-key' })
    expect((await handler(bearer)).status).toBe(200)
  })

  it('accepts the key as a Bearer token next to another x-api-key (Claude Code with both variables set)', async () => {
    const both = { 'x-api-key': 'sk-ant-everyday-key', authorization: 'Bearer proxy-key' }
    expect((await handler(post('/v1/messages/count_tokens', params, both))).status).toBe(200)
    const swapped = { 'x-api-key': 'proxy-key', authorization: 'Bearer sk-ant-everyday-key' }
    expect((await handler(post('/v1/messages/count_tokens', params, swapped))).status).toBe(200)
  })

  it('answers 401 authentication_error for a missing or wrong key, before reading the body', async () => {
    for (const headers of [
      {},
      { 'x-api-key': 'nope' },
      { authorization: 'Bearer proxy-key-2' },
      { 'x-api-key': 'nope', authorization: 'Bearer nope-either' },
    ]) {
      const response = await handler(post('/v1/messages', params, headers))
      expect(response.status).toBe(401)
      // Claude Code would otherwise retry a 401 for minutes before saying anything.
      expect(response.headers.get('x-should-retry')).toBe('false')
      expect((await response.json()).error.type).toBe('authentication_error')
    }
  })
})

describe('createAnthropicHandler: onError', () => {
  it('does not report a client that left in the middle of sending its body', async () => {
    const seen: unknown[] = []
    const backend = fakeBackend()
    const handler = createAnthropicHandler(backend, { onError: (error) => seen.push(error) })
    const controller = new AbortController()
    // What a runtime does when the connection drops mid-upload: the body errors with its own
    // error (node: `Error: aborted`), and the request's signal aborts.
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode('{"model":"claude-sonnet-4-6","messages":[{"ro'))
      },
      pull(stream) {
        controller.abort()
        stream.error(new Error('aborted'))
      },
    })
    const request = new Request(`${BASE}/v1/messages`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
      signal: controller.signal,
      duplex: 'half',
    } as RequestInit)
    const response = await handler(request)
    expect(response.status).toBe(499)
    expect(seen).toEqual([])
    expect(backend.calls).toHaveLength(0)
  })

  it('reports errors before and after the stream started, and not client aborts', async () => {
    const seen: Array<[unknown, HandlerErrorContext]> = []
    const before = new RateLimitError('slow down')
    const after = new OverloadedError('busy')
    const handler = createAnthropicHandler(
      fakeBackend([
        { failBefore: before },
        { events: textEvents('x'), failAfter: { events: 2, error: after } },
      ]),
      { onError: (error, context) => seen.push([error, context]) },
    )
    await (await handler(post('/v1/messages', { ...params, stream: true }))).text()
    await (await handler(post('/v1/messages?beta=true', { ...params, stream: true }))).text()
    expect(seen.map(([error, context]) => [error, context.streaming, context.path])).toEqual([
      [before, false, '/v1/messages'],
      [after, true, '/v1/messages'],
    ])
    expect(seen[0]?.[1].requestId).toMatch(/^req_/)
  })
})
