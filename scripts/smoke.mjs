// Loads the built package through its exports map with `import`, as a user would.
import assert from 'node:assert/strict'
import * as kiro from 'kiro-client'
import * as eventstream from 'kiro-client/eventstream'
import * as kiroParts from 'kiro-client/kiro'

import { createKiroSimulator } from 'kiro-client/testing'

for (const name of ['KiroClient', 'MessageStream', 'createAnthropicHandler']) {
  assert.equal(typeof kiro[name], 'function', name)
}
assert.equal(typeof eventstream.EventStreamDecoder, 'function')
assert.equal(eventstream.EventStreamError, kiro.EventStreamError)
assert.equal(typeof kiroParts.toKiroRequest, 'function')

// One real request through the built package.
const sim = await createKiroSimulator()
sim.enqueue([{ text: ['built ', 'ok'] }])
const client = new kiro.KiroClient({ baseURL: sim.url, credentials: { accessToken: 'smoke' } })
const message = await client.messages.create({
  model: 'claude-sonnet-4-6',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'hi' }],
})
assert.equal(message.content[0].text, 'built ok')
client.close()
await sim.close()
console.log('smoke (import): ok')
