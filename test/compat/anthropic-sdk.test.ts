import Anthropic, { type APIError } from '@anthropic-ai/sdk'
import Anthropic0 from 'anthropic-sdk-0x'
import { describe, expect, it } from 'vitest'
import { serveStack } from './serve-stack.js'

// @anthropic-ai/sdk 1.x and 0.x against the stack `kiro-client serve` runs, on loopback, with the
// simulator's default assistant. One client per line; the same checks for both.

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Hello from the SDK' }],
}
const tools = [
  {
    name: 'get_weather',
    description: 'The weather in a city.',
    input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
  },
]

const lines = [
  ['1.x', Anthropic, (baseURL: string) => new Anthropic({ baseURL, apiKey: 'proxy-key', maxRetries: 0 })],
  ['0.x', Anthropic0, (baseURL: string) => new Anthropic0({ baseURL, apiKey: 'proxy-key', maxRetries: 0 })],
] as const

describe.each(lines)('@anthropic-ai/sdk %s against serve', (_line, SDK, makeClient) => {
  const connect = async () => {
    const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
    return { sim, url, sdk: makeClient(url) as Anthropic }
  }

  it('streams text and creates a message; withResponse gives the request id', async () => {
    const { sdk } = await connect()
    const streamed = await sdk.messages.stream(params).finalMessage()
    expect(streamed.content).toMatchObject([
      { type: 'text', text: expect.stringContaining('Hello from the SDK') },
    ])
    const { data, response, request_id } = await sdk.messages.create(params).withResponse()
    expect(data.content).toEqual([{ type: 'text', text: expect.stringContaining('Hello from the SDK') }])
    expect(request_id).toMatch(/^req_/)
    expect(response.headers.get('content-type')).toBe('application/json')
  })

  it('runs a tool round trip: the call asked for by name, the result, the answer', async () => {
    const { sdk } = await connect()
    const ask = { role: 'user' as const, content: 'call get_weather {"city":"Paris"}' }
    const first = await sdk.messages.create({ ...params, tools, messages: [ask] })
    expect(first.stop_reason).toBe('tool_use')
    const call = first.content.find((block) => block.type === 'tool_use')
    expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } })
    const second = await sdk.messages.create({
      ...params,
      tools,
      messages: [
        ask,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call?.id ?? '', content: 'Sunny, 21 °C' }],
        },
      ],
    })
    expect(second.stop_reason).toBe('end_turn')
    expect(second.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Sunny, 21 °C') })
  })

  it('hands kiro_credits to a MessageStream user through streamEvent, and to create() in usage', async () => {
    const { sim, sdk } = await connect()
    sim.enqueue([{ text: 'Counted.' }, { metering: 0.25 }], [{ text: 'Counted.' }, { metering: 0.5 }])
    const stream = sdk.messages.stream(params)
    let credits: number | undefined
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_delta') credits = (event.usage as { kiro_credits?: number }).kiro_credits
    })
    await stream.finalMessage()
    expect(credits).toBe(0.25)
    const created = await sdk.messages.create(params)
    expect((created.usage as { kiro_credits?: number }).kiro_credits).toBe(0.5)
  })

  it('serves models.list (auto-paginated), models.retrieve and count_tokens', async () => {
    const { sdk } = await connect()
    const ids: string[] = []
    for await (const model of sdk.models.list({ limit: 3 })) ids.push(model.id)
    expect(ids.length).toBeGreaterThan(3)
    expect(new Set(ids).size).toBe(ids.length)
    const one = await sdk.models.retrieve(ids[0] ?? '')
    expect(one).toMatchObject({ type: 'model', id: ids[0] })
    await expect(sdk.models.retrieve('claude-nonexistent-1')).rejects.toBeInstanceOf(SDK.NotFoundError)
    expect((await sdk.messages.countTokens(params)).input_tokens).toBeGreaterThan(0)
  })

  it('serves client.beta.messages: ?beta=true, the betas header, beta-only params', async () => {
    const { sim, sdk } = await connect()
    const message = await sdk.beta.messages.create({
      ...params,
      betas: ['context-management-2025-06-27', 'dangerous-tool-use-2026-09-03'],
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    })
    expect(message.content[0]).toMatchObject({ type: 'text' })
    const streamed = await sdk.beta.messages
      .stream({ ...params, betas: ['interleaved-thinking-2025-05-14'] })
      .finalMessage()
    expect(streamed.stop_reason).toBe('end_turn')
    expect(
      (await sdk.beta.messages.countTokens({ ...params, betas: ['x-2099-01-01'] })).input_tokens,
    ).toBeGreaterThan(0)
    expect(sim.generateRequests).toHaveLength(2)
  })

  it('raises the SDK classes: 429 at once with retry-after, 402 and 403 that no client retries', async () => {
    const { sim, sdk } = await connect()
    sim.enqueue(
      [{ error: { status: 429, body: { message: 'Rate exceeded.' }, headers: { 'retry-after': '4' } } }],
      [
        {
          error: {
            status: 402,
            body: { message: 'Monthly limit reached.', reason: 'MONTHLY_REQUEST_COUNT' },
          },
        },
      ],
      [{ error: { status: 403, body: { message: 'Account suspended.', reason: 'TEMPORARILY_SUSPENDED' } } }],
    )
    const throttled = await sdk.messages.create(params).catch((error: unknown) => error)
    expect(throttled).toBeInstanceOf(SDK.RateLimitError)
    expect((throttled as APIError).headers?.get('retry-after')).toBe('4')
    expect((throttled as APIError).message).toContain('Kiro is throttling requests: Rate exceeded. Wait')
    const quota = (await sdk.messages.create(params).catch((error: unknown) => error)) as APIError
    expect(quota.status).toBe(402)
    expect(quota.headers?.get('x-should-retry')).toBe('false')
    const suspended = await sdk.messages.create(params).catch((error: unknown) => error)
    expect(suspended).toBeInstanceOf(SDK.PermissionDeniedError)
    expect((suspended as APIError).headers?.get('x-should-retry')).toBe('false')
    // One upstream call each: nothing was retried behind the client's back.
    expect(sim.generateRequests).toHaveLength(3)
  })
})
