// The Vercel AI SDK's Anthropic provider, running on Kiro in the same process.
import { createAnthropic } from '@ai-sdk/anthropic'
import { streamText } from 'ai'
import { createAnthropicFetch, KiroClient } from 'kiro-client'
import { createKiroSimulator } from 'kiro-client/testing'

// A local Kiro simulator; with a Kiro login, use `new KiroClient()`.
const kiro = await createKiroSimulator()
const client = new KiroClient({ baseURL: kiro.url, credentials: { accessToken: 'simulated' } })

const anthropic = createAnthropic({ apiKey: 'unused', fetch: createAnthropicFetch(client) })

const result = streamText({
  model: anthropic('claude-sonnet-4-6'),
  prompt: 'Hello from the Vercel AI SDK',
})
for await (const delta of result.textStream) process.stdout.write(delta)
const usage = await result.usage
console.log(`\n[finish: ${await result.finishReason}, ${usage.outputTokens} output tokens]`)

client.close()
await kiro.close()
