// A whole message at once, without streaming.
import { KiroClient } from 'kiro-client'
import { createKiroSimulator } from 'kiro-client/testing'

// A local Kiro simulator; with a Kiro login, use `new KiroClient()`.
const kiro = await createKiroSimulator()
const client = new KiroClient({ baseURL: kiro.url, credentials: { accessToken: 'simulated' } })

const message = await client.messages.create({
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  system: 'Answer in one sentence.',
  messages: [{ role: 'user', content: 'What is an event stream?' }],
})
for (const block of message.content) {
  if (block.type === 'text') console.log(block.text)
}
console.log(`stop_reason: ${message.stop_reason}`)
console.log(`usage: ${message.usage.input_tokens} in, ${message.usage.output_tokens} out`)

client.close()
await kiro.close()
