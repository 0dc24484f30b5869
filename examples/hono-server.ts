// An Anthropic-compatible endpoint inside a Hono app (the same handler runs on Bun, Deno, Next.js).
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createAnthropicHandler, KiroClient } from 'kiro-client'
import { createKiroSimulator } from 'kiro-client/testing'

// A local Kiro simulator; with a Kiro login, use `new KiroClient()`.
const kiro = await createKiroSimulator()
const client = new KiroClient({ baseURL: kiro.url, credentials: { accessToken: 'simulated' } })

const anthropic = createAnthropicHandler(client, { apiKey: 'my-proxy-key' })
const app = new Hono()
app.get('/', (c) => c.text('An Anthropic-compatible API lives under /v1.'))
app.all('/v1/*', (c) => anthropic(c.req.raw))
app.all('/api/hello', (c) => anthropic(c.req.raw))

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
await new Promise((resolve) => server.once('listening', resolve))
const { port } = server.address() as { port: number }
console.log(`listening on http://127.0.0.1:${port}`)

// Any Anthropic client can use it now; here, a plain non-streaming request.
const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': 'my-proxy-key' },
  body: JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Hello through Hono' }],
  }),
})
const message = (await response.json()) as { content: Array<{ type: string; text?: string }> }
console.log(`${response.status} ${message.content[0]?.text}`)

server.close()
client.close()
await kiro.close()
