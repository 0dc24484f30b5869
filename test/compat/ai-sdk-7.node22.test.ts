import { describe, expect, it } from 'vitest'
import { serveStack } from './serve-stack.js'

// The Vercel AI SDK 7 (`ai` 7 with `@ai-sdk/anthropic` 4, installed as `ai-7` and
// `ai-sdk-anthropic-4`) against the stack `kiro-client serve` runs. AI SDK 7 needs Node 22: a
// `*.node22.test.ts` file is left out of the run on older Node and always run on 22 and later
// (vitest.config.ts). Run by mistake on an older Node, it fails here, loudly, rather than with an
// obscure import error or not at all.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  throw new Error(
    `test/compat/ai-sdk-7.node22.test.ts needs Node 22 or later (AI SDK 7 does); this is Node ${process.versions.node}. ` +
      'It must be left out of the run on older Node (see vitest.config.ts), never skipped.',
  )
}

const { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } = await import('ai-7')
const { createAnthropic } = await import('ai-sdk-anthropic-4')

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
  execute: async ({ city }: { city: string }) => ({ city, sky: 'clear', celsius: 21 }),
})

describe('AI SDK 7 (@ai-sdk/anthropic 4) against serve', () => {
  it('generateText reads the non-streaming JSON as text', async () => {
    const { model } = await connect()
    const result = await generateText({ model, prompt: 'Hello from AI SDK 7', maxRetries: 0 })
    expect(result.text).toContain('You said: "Hello from AI SDK 7"')
    expect(result.finishReason).toBe('stop')
  })

  it('streamText streams the text', async () => {
    const { model } = await connect()
    const result = streamText({ model, prompt: 'Streaming with AI SDK 7', maxRetries: 0 })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(text).toContain('You said: "Streaming with AI SDK 7"')
    expect(await result.finishReason).toBe('stop')
  })

  it('runs a tool round trip with generateText', async () => {
    const { sim, model } = await connect()
    const result = await generateText({
      model,
      tools: { get_weather: weather },
      stopWhen: stepCountIs(3),
      prompt: 'call get_weather {"city":"Lisbon"}',
      maxRetries: 0,
    })
    expect(result.steps[0]?.toolCalls).toMatchObject([{ toolName: 'get_weather', input: { city: 'Lisbon' } }])
    expect(result.text).toContain('The tool answered')
    expect(sim.generateRequests).toHaveLength(2)
  })

  it("gets a throttled Kiro at once as a 429 with Kiro's retry-after", async () => {
    const { sim, model } = await connect()
    sim.enqueue([
      { error: { status: 429, body: { message: 'Rate exceeded.' }, headers: { 'retry-after': '3' } } },
    ])
    const error = await generateText({ model, prompt: 'Hi', maxRetries: 0 }).catch(
      (caught: unknown) => caught,
    )
    expect(APICallError.isInstance(error)).toBe(true)
    expect((error as InstanceType<typeof APICallError>).statusCode).toBe(429)
    expect((error as InstanceType<typeof APICallError>).responseHeaders?.['retry-after']).toBe('3')
  })
})
