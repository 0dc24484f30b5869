// The official Anthropic SDK, running on Kiro in the same process: no server, no socket.
import Anthropic from '@anthropic-ai/sdk'
import { createAnthropicFetch, KiroClient } from 'kiro-client'
import { createKiroSimulator } from 'kiro-client/testing'

// A local Kiro simulator; with a Kiro login, use `new KiroClient()`.
const kiro = await createKiroSimulator()
const client = new KiroClient({ baseURL: kiro.url, credentials: { accessToken: 'simulated' } })

const anthropic = new Anthropic({ apiKey: 'unused', fetch: createAnthropicFetch(client) })

const stream = anthropic.messages.stream({
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Hello from the Anthropic SDK' }],
})
stream.on('text', (delta) => process.stdout.write(delta))
const message = await stream.finalMessage()
console.log(`\n[stream: ${message.stop_reason}, request ${stream.request_id}]`)

const created = await anthropic.messages.create({
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'And once more, without streaming' }],
})
console.log(`[create: ${created.content.length} block(s), ${created.usage.output_tokens} output tokens]`)

const counted = await anthropic.messages.countTokens({
  model: 'claude-sonnet-4-6',
  messages: [{ role: 'user', content: 'How many tokens is this?' }],
})
console.log(`[count_tokens: ${counted.input_tokens}]`)

client.close()
await kiro.close()
