// A smoke test of the built package that runs on Node, Bun and Deno alike (no node: import): the
// fetch simulator, a KiroClient streaming one answer, and createAnthropicHandler streaming one SSE
// answer. Run from a directory where `kiro-client` resolves to the package (scripts/ci-runtimes.sh
// unpacks the tarball for it): `node smoke-runtime.mjs`, `bun smoke-runtime.mjs`, `deno run -A ...`.
import { createAnthropicHandler, KiroClient } from 'kiro-client'
import { createKiroFetchSimulator } from 'kiro-client/testing'

const runtime =
  typeof globalThis.Bun !== 'undefined'
    ? `Bun ${globalThis.Bun.version}`
    : typeof globalThis.Deno !== 'undefined'
      ? `Deno ${globalThis.Deno.version.deno}`
      : `Node ${globalThis.process.versions.node}`

function check(condition, what) {
  if (!condition) throw new Error(`smoke on ${runtime}: ${what}`)
}

const sim = createKiroFetchSimulator()
const client = new KiroClient({ baseURL: sim.url, fetch: sim.fetch, credentials: { accessToken: 'smoke' } })
const params = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }

// 1. The client: one streamed answer, text deltas as they arrive.
sim.enqueue([{ text: ['streamed ', 'by the ', 'client'] }])
const deltas = []
const stream = client.messages.stream(params)
for await (const event of stream) {
  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas.push(event.delta.text)
}
check(deltas.length >= 2, `expected several text deltas, got ${deltas.length}`)
check(deltas.join('') === 'streamed by the client', `client text: ${JSON.stringify(deltas.join(''))}`)
check((await stream.finalMessage()).stop_reason === 'end_turn', 'client stop_reason')

// 2. The Anthropic-compatible handler: one streamed SSE answer.
sim.enqueue([{ text: ['streamed ', 'by the ', 'handler'] }])
const handler = createAnthropicHandler(client)
const response = await handler(
  new Request('http://localhost/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ ...params, stream: true }),
  }),
)
check(response.status === 200, `handler status ${response.status}`)
check(response.headers.get('content-type')?.startsWith('text/event-stream'), 'handler content-type')
const sse = await response.text()
const text = [...sse.matchAll(/"text_delta","text":"([^"]*)"/g)].map((m) => m[1]).join('')
check(text === 'streamed by the handler', `handler text: ${JSON.stringify(text)}`)
check(sse.includes('event: message_stop'), 'handler: no message_stop')

client.close()
console.log(`smoke (${runtime}): ok`)
