import Anthropic from '@anthropic-ai/sdk'
import Anthropic0 from 'anthropic-sdk-0x'
import { describe, expect, it } from 'vitest'
import type { KiroClientOptions } from '../../src/client/kiro-client.js'
import { buildClaudeCodeParams } from '../fixtures/translate/claude-code.js'
import { parseSSE } from './fake-backend.js'
import { proxy } from './proxy-harness.js'

// SDK -> HTTP -> handler -> KiroClient -> loopback Kiro simulator (binary event streams).

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
}

/**
 * A fetch that hands the client one event-stream frame per chunk (each frame starts with its total
 * length, big-endian). The client reports a failure as a pre-stream error when it arrives in the
 * same chunk as the first events; one frame per chunk makes "text first, failure later" certain
 * instead of a matter of socket timing.
 */
const framePerChunkFetch: typeof globalThis.fetch = async (input, init) => {
  const response = await fetch(input, init)
  if (response.body === null) return response
  let pending = new Uint8Array(0)
  const split = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const joined = new Uint8Array(pending.length + chunk.length)
      joined.set(pending)
      joined.set(chunk, pending.length)
      let offset = 0
      while (joined.length - offset >= 4) {
        const length = new DataView(joined.buffer, offset, 4).getUint32(0)
        if (joined.length - offset < length) break
        controller.enqueue(joined.slice(offset, offset + length))
        offset += length
      }
      pending = joined.slice(offset)
    },
  })
  return new Response(response.body.pipeThrough(split), response)
}

/** Waits for a condition the test cannot await directly (the simulator seeing a socket close). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}

const lines = [
  ['1.x', Anthropic, (baseURL: string) => new Anthropic({ baseURL, apiKey: 'unused', maxRetries: 0 })],
  ['0.x', Anthropic0, (baseURL: string) => new Anthropic0({ baseURL, apiKey: 'unused', maxRetries: 0 })],
] as const

describe.each(lines)('end to end with @anthropic-ai/sdk %s', (line, SDK, makeClient) => {
  const connect = async (clientOptions: KiroClientOptions = {}) => {
    const { sim, url } = await proxy({}, clientOptions)
    return { sim, sdk: makeClient(url) as Anthropic }
  }

  it('streams text and a tool call', async () => {
    const { sim, sdk } = await connect()
    sim.enqueue([
      { text: ['Let me ', 'check.'] },
      { toolUse: { name: 'get_weather', input: { city: 'Paris' }, fragments: 3 } },
      { metering: 0.02 },
    ])
    const tools = [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: {} } }]
    const stream = sdk.messages.stream({ ...params, tools })
    const text: string[] = []
    stream.on('text', (delta) => text.push(delta))
    const message = await stream.finalMessage()
    expect(text.join('')).toBe('Let me check.')
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    })
    expect(stream.request_id).toMatch(/^req_/)
  })

  it('creates a message without streaming', async () => {
    const { sim, sdk } = await connect()
    sim.enqueue([{ text: ['Sunny, ', '21 °C.'] }])
    const message = await sdk.messages.create(params)
    expect(message.content).toEqual([{ type: 'text', text: 'Sunny, 21 °C.' }])
    expect(message.stop_reason).toBe('end_turn')
  })

  it('counts tokens', async () => {
    const { sdk } = await connect()
    const counted = await sdk.messages.countTokens(params)
    expect(counted.input_tokens).toBeGreaterThan(0)
  })

  it('raises RateLimitError for a Kiro 429, with its retry-after passed through', async () => {
    const { sim, sdk } = await connect()
    sim.enqueue([
      {
        error: {
          status: 429,
          headers: { 'retry-after': '7', 'x-amzn-errortype': 'ThrottlingException' },
          body: { message: 'Rate exceeded' },
        },
      },
    ])
    const error = await sdk.messages
      .stream(params)
      .finalMessage()
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SDK.RateLimitError)
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('7')
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).requestID).toMatch(/^req_/)
  })

  it(`raises ${line === '1.x' ? 'OverloadedError' : 'InternalServerError'} (529) when Kiro has no capacity`, async () => {
    const { sim, sdk } = await connect()
    sim.enqueue([
      {
        error: {
          status: 429,
          headers: { 'x-amzn-errortype': 'ThrottlingException' },
          body: { message: 'I am experiencing high traffic.', reason: 'INSUFFICIENT_MODEL_CAPACITY' },
        },
      },
    ])
    const error = await sdk.messages.create(params).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(line === '1.x' ? Anthropic.OverloadedError : SDK.InternalServerError)
    expect((error as { status: number }).status).toBe(529)
  })

  it('raises an APIError without status for a Kiro exception after the stream started', async () => {
    const { sim, sdk } = await connect({ fetch: framePerChunkFetch })
    sim.enqueue([
      { text: ['Half an ', 'answer'] },
      { exception: { type: 'InternalServerException', message: 'Encountered an unexpected error.' } },
    ])
    const stream = sdk.messages.stream(params)
    const text: string[] = []
    stream.on('text', (delta) => text.push(delta))
    const error = await stream.finalMessage().catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SDK.APIError)
    expect((error as { status?: number }).status).toBeUndefined()
    expect(text.join('')).toBe('Half an answer')
  })

  it('cancels the Kiro request when the SDK client goes away', async () => {
    const { sim, sdk } = await connect()
    sim.enqueue([{ text: ['Beginning of a long answer'] }, { stall: true }])
    const stream = sdk.messages.stream(params)
    const ended = stream.done().catch((error: unknown) => error)
    await new Promise<void>((resolve) => stream.once('text', () => resolve()))
    const upstream = sim.generateRequests[0]!
    expect(upstream.response.outcome).toBe('stalled')
    stream.abort()
    expect(await ended).toBeInstanceOf(SDK.APIUserAbortError)
    await until(() => upstream.response.outcome === 'client-closed')
    expect(upstream.response.outcome).toBe('client-closed')
  })
})

describe('client disconnects', () => {
  it('cancel the Kiro request even before its first event arrived', async () => {
    const { sim, url } = await proxy()
    sim.enqueue([{ flushHeaders: true }, { stall: true }])
    const controller = new AbortController()
    const pending = fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true }),
      signal: controller.signal,
    }).catch((error: unknown) => error)
    await until(() => sim.generateRequests[0]?.response.outcome === 'stalled')
    controller.abort()
    expect(await pending).toBeInstanceOf(Error)
    await until(() => sim.generateRequests[0]?.response.outcome === 'client-closed')
    expect(sim.generateRequests[0]?.response.outcome).toBe('client-closed')
  })
})

describe('a Claude-Code-shaped request end to end', () => {
  const claudeCode = {
    ...buildClaudeCodeParams(),
    model: 'claude-opus-4-6',
    max_tokens: 128000,
    thinking: { type: 'adaptive', display: 'omitted' },
    output_config: { effort: 'medium' },
  }
  const headers = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'anthropic-beta':
      'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,effort-2025-11-24,made-up-beta-2099-01-01',
    'anthropic-dangerous-direct-browser-access': 'true',
    'x-app': 'cli',
    'user-agent': 'claude-cli/2.1.332 (external, sdk-cli)',
  }

  it.each([
    ['x-api-key', { 'x-api-key': 'cc-key' }],
    ['Authorization: Bearer', { authorization: 'Bearer cc-key' }],
  ])('streams a valid answer with %s', async (_, auth) => {
    const { sim, url } = await proxy({ apiKey: 'cc-key' })
    expect(claudeCode.tools).toHaveLength(20)
    expect(claudeCode.messages.some((message) => message.role === 'system')).toBe(true)

    const hello = await fetch(`${url}/api/hello`, { method: 'HEAD' })
    expect(hello.status).toBe(200)
    const response = await fetch(`${url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { ...headers, ...auth },
      body: JSON.stringify(claudeCode),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    const frames = parseSSE(await response.text())
    for (const frame of frames) expect(frame.event).toBe(frame.data.type)
    expect(frames[0]?.event).toBe('message_start')
    expect(frames.at(-1)?.event).toBe('message_stop')

    const upstream = sim.generateRequests[0]!
    expect(upstream.shapeIssues).toEqual([])
    expect(upstream.response.status).toBe(200)
  })

  it('is refused with 401 authentication_error without the key', async () => {
    const { sim, url } = await proxy({ apiKey: 'cc-key' })
    const response = await fetch(`${url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { ...headers, 'x-api-key': 'other-key' },
      body: JSON.stringify(claudeCode),
    })
    expect(response.status).toBe(401)
    expect((await response.json()).error.type).toBe('authentication_error')
    expect(sim.generateRequests).toHaveLength(0)
  })
})
