/**
 * One hot path run in a loop, for `node --cpu-prof`: where the time of a path goes.
 *
 *   node --import tsx --cpu-prof --cpu-prof-dir=.tmp/prof bench/profile/run.ts client|serve|tool [count]
 *
 * client: `messages.stream()` iterated; serve: the Anthropic handler answering `stream: true`, its
 * SSE body drained in-process; tool: the fragmented tool call with an `inputJson` listener. The
 * simulator runs in a child process, so the profile holds this path alone.
 */
import { KiroClient } from '../../src/client/kiro-client.js'
import { createAnthropicHandler } from '../../src/server/handler.js'
import { startRemoteSimulator } from '../e2e/remote-simulator.js'
import { benchParams, type ScenarioName } from '../e2e/scenarios.js'
import { chunksOf } from '../lib/body.js'

const path = process.argv[2] ?? 'client'
const count = Number(process.argv[3] ?? 40)
const scenarioOf: Record<string, ScenarioName> = {
  client: 'bulk',
  serve: 'bulk',
  tool: 'tool-8k',
  long: 'bulk-50k',
}
const sim = await startRemoteSimulator(scenarioOf[path] ?? 'bulk')
const client = new KiroClient({
  baseURL: sim.url,
  credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
})
const handler = createAnthropicHandler(client)

async function once(): Promise<number> {
  if (path === 'serve') {
    const response = await handler(
      new Request('http://localhost/v1/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ ...benchParams, stream: true }),
      }),
    )
    let bytes = 0
    for await (const chunk of chunksOf(response.body)) bytes += chunk.byteLength
    return bytes
  }
  const stream = client.messages.stream(benchParams)
  let events = 0
  if (path === 'tool') stream.on('inputJson', () => events++)
  for await (const _event of stream) events++
  return events
}

let total = 0
const started = performance.now()
const cpu = process.cpuUsage()
for (let i = 0; i < count; i++) total += await once()
const used = process.cpuUsage(cpu)
process.stdout.write(
  `${path}: ${count} runs, ${((used.user + used.system) / 1000 / count).toFixed(2)} ms CPU / run, ${((performance.now() - started) / count).toFixed(2)} ms wall / run (${total} items)\n`,
)
client.close()
await sim.close()
