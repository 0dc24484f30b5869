import { createAnthropic } from '@ai-sdk/anthropic'
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { describe, expect, it } from 'vitest'
import { serveStack } from './serve-stack.js'

// The Vercel AI SDK 6 (`ai` 6 with `@ai-sdk/anthropic` 3) against the stack `kiro-client serve`
// runs, on loopback, with the simulator's default assistant: what its users run daily.

async function connect() {
  const { sim, url } = await serveStack({ apiKey: 'proxy-key' })
  const anthropic = createAnthropic({ baseURL: `${url}/v1`, apiKey: 'proxy-key' })
  return { sim, model: anthropic('claude-sonnet-4-6') }
}

const weather = tool({
  description: 'The weather in a city.',
  inputSchema: jsonSchema<{ city: string }>({
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  }),
  execute: async ({ city }) => ({ city, sky: 'clear', celsius: 21 }),
})

describe('AI SDK 6 (@ai-sdk/anthropic 3) against serve', () => {
  it('generateText: the non-streaming JSON validates (no citations: null) and reads as text', async () => {
    const { model } = await connect()
    const result = await generateText({ model, prompt: 'Hello from generateText', maxRetries: 0 })
    expect(result.text).toContain('You said: "Hello from generateText"')
    expect(result.finishReason).toBe('stop')
    expect(result.usage.inputTokens).toBeGreaterThan(0)
    expect(result.usage.outputTokens).toBeGreaterThan(0)
  })

  it('streamText: text deltas, finish reason and usage', async () => {
    const { model } = await connect()
    const result = streamText({ model, prompt: 'Hello from streamText', maxRetries: 0 })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toContain('You said: "Hello from streamText"')
    expect(await result.finishReason).toBe('stop')
    expect((await result.usage).outputTokens).toBeGreaterThan(0)
  })

  it('generateText with tools: the call, its execution, the result sent back, the final answer', async () => {
    const { sim, model } = await connect()
    const result = await generateText({
      model,
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
      prompt: 'Is it warm in Paris?\ncall get_weather {"city":"Paris"}',
      maxRetries: 0,
    })
    expect(result.steps).toHaveLength(2)
    expect(result.steps[0]?.toolCalls).toMatchObject([{ toolName: 'get_weather', input: { city: 'Paris' } }])
    expect(result.steps[0]?.toolResults).toMatchObject([{ output: { city: 'Paris', celsius: 21 } }])
    expect(result.text).toContain('The tool answered')
    expect(result.text).toContain('celsius')
    // The second request carried the tool result to Kiro, paired with its call.
    expect(sim.generateRequests).toHaveLength(2)
    expect(sim.generateRequests[1]?.body).toContain('toolResults')
  })

  it('streamText with tools streams the call and its input', async () => {
    const { model } = await connect()
    const result = streamText({
      model,
      tools: { get_weather: weather },
      prompt: 'call get_weather {"city":"Oslo"}',
      maxRetries: 0,
    })
    const calls: unknown[] = []
    for await (const part of result.fullStream) if (part.type === 'tool-call') calls.push(part.input)
    expect(calls).toEqual([{ city: 'Oslo' }])
    expect(await result.finishReason).toBe('tool-calls')
  })

  it("a throttled Kiro reaches it at once as a 429 with Kiro's retry-after", async () => {
    const { sim, model } = await connect()
    sim.enqueue([
      { error: { status: 429, body: { message: 'Rate exceeded.' }, headers: { 'retry-after': '7' } } },
    ])
    const error = await generateText({ model, prompt: 'Hi', maxRetries: 0 }).catch(
      (caught: unknown) => caught,
    )
    expect(APICallError.isInstance(error)).toBe(true)
    const call = error as APICallError
    expect(call.statusCode).toBe(429)
    expect(call.responseHeaders?.['retry-after']).toBe('7')
    expect(call.isRetryable).toBe(true)
    expect(sim.generateRequests).toHaveLength(1)
  })
})
