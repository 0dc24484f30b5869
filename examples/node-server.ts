// An Anthropic-compatible server on plain node:http, and a streaming request to it.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createNodeHandler, KiroClient } from 'kiro-client'
import { createKiroSimulator } from 'kiro-client/testing'

// A local Kiro simulator; with a Kiro login, use `new KiroClient()`.
const kiro = await createKiroSimulator()
const client = new KiroClient({ baseURL: kiro.url, credentials: { accessToken: 'simulated' } })

const server = createServer(createNodeHandler(client))
server.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
console.log(
  `listening on ${base}  (Claude Code: ANTHROPIC_BASE_URL=${base} ANTHROPIC_AUTH_TOKEN=unused claude)`,
)

// Claude Code posts to /v1/messages?beta=true and streams; print the SSE events it would receive.
const response = await fetch(`${base}/v1/messages?beta=true`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'any' },
  body: JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 256,
    stream: true,
    messages: [{ role: 'user', content: 'Hello over SSE' }],
  }),
})
console.log(`${response.status} ${response.headers.get('content-type')}`)
const text = await response.text()
for (const frame of text.split('\n\n')) {
  const name = /^event: (\S+)/.exec(frame)?.[1]
  if (name) console.log(`event: ${name}`)
}

server.close()
client.close()
await kiro.close()
