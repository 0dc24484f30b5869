// Stream one answer and print its text as it arrives.
import { KiroClient } from 'kiro-client'
import { createKiroSimulator } from 'kiro-client/testing'

// A local Kiro simulator, so this runs anywhere. With a Kiro login on this machine,
// `new KiroClient()` is all you need.
const kiro = await createKiroSimulator()
const client = new KiroClient({ baseURL: kiro.url, credentials: { accessToken: 'simulated' } })

const stream = client.messages.stream({
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Say hello in three languages.' }],
})
for await (const event of stream) {
  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
    process.stdout.write(event.delta.text)
  }
}
const message = await stream.finalMessage()
console.log(`\n[${message.stop_reason}, ${message.usage.output_tokens} output tokens]`)

client.close()
await kiro.close()
