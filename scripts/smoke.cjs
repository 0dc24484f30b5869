// Loads the built package through its exports map with `require`, as a CommonJS user would.
const assert = require('node:assert/strict')
const kiro = require('kiro-client')
const eventstream = require('kiro-client/eventstream')
const kiroParts = require('kiro-client/kiro')
const redisState = require('kiro-client/redis')

const testing = require('kiro-client/testing')

for (const name of ['KiroClient', 'MessageStream', 'createAnthropicHandler']) {
  assert.equal(typeof kiro[name], 'function', name)
}
assert.equal(typeof eventstream.EventStreamDecoder, 'function')
assert.equal(eventstream.EventStreamError, kiro.EventStreamError)
assert.equal(typeof kiroParts.toKiroRequest, 'function')
assert.equal(typeof redisState.createRedisState, 'function')
assert.ok(new redisState.StateUnavailableError('x') instanceof kiro.KiroError)
assert.equal(typeof testing.createKiroSimulator, 'function')
// The build minifies identifiers; the exported classes and functions still carry their public names,
// which is what `util.inspect` and a printed error show.
for (const entry of [kiro, eventstream, kiroParts, redisState, testing]) {
  for (const [name, value] of Object.entries(entry)) {
    if (typeof value === 'function') assert.equal(value.name, name, `the name of ${name}`)
  }
}
const printed = require('node:util').inspect(new redisState.StateUnavailableError('down'))
assert.match(printed, /^StateUnavailableError: /, 'a printed error names its class once')

async function main() {
  const sim = await testing.createKiroSimulator()
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
  console.log('smoke (require): ok')
}
main().catch((error) => {
  console.error(error)
  process.exit(1)
})
