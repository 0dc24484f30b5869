/**
 * Time to first event on the serve path, in one process: from the simulator writing its first frame
 * (stamped with `performance.now()`) to the first bytes an HTTP client reads, for
 *
 * - serve: `POST /v1/messages` with `stream: true` through `createNodeHandler` over a `KiroClient`
 *   on a loopback port (as `kiro-client serve` runs it), the first SSE chunk read by `fetch`;
 * - pipe (its floor): the same Kiro request through a loopback server that only forwards it and
 *   pipes the response bytes back: two hops, no work;
 * - client: `messages.stream()` in this process, its first event in the `for await` loop;
 * - raw (its floor): a plain `fetch` of the simulator, its first chunk.
 *
 * The contenders alternate request by request after a warm-up. "Added" is a path's p50 minus its
 * floor's p50, measured in the same run. Each answer is 20 text events 2 ms apart, each written
 * alone, as a model emits tokens.
 *
 *   node --import tsx bench/e2e/serve-first-event.ts [--quick]
 */
import { once } from 'node:events'
import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createNodeHandler } from '../../src/server/node.js'
import { createKiroSimulator } from '../../src/testing/index.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { chunksOf } from '../lib/body.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt, percentile, type Summary, summarize, verdict } from '../lib/stats.js'
import { benchParams, SCENARIO_DESCRIPTIONS, scenario } from './scenarios.js'

const quick = process.argv.includes('--quick')
const REQUESTS = quick ? 60 : 200
const WARMUP = 50

const turn = scenario('tokens')
const sim = await createKiroSimulator({ script: () => turn })
const client = new KiroClient({
  baseURL: sim.url,
  credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
})

async function listen(listener: RequestListener): Promise<{ url: string; close: () => void }> {
  const server = createServer(listener)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections()
      server.close()
    },
  }
}

const serve = await listen(createNodeHandler(client, { retryScope: 'transient', coalesceDeltas: true }))
const pipe = await listen(async (request, response) => {
  const parts: Buffer[] = []
  for await (const part of request) parts.push(part as Buffer)
  const upstream = await fetch(`${sim.url}${request.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body: Buffer.concat(parts),
  })
  response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? '' })
  response.flushHeaders()
  for await (const chunk of chunksOf(upstream.body)) response.write(chunk)
  response.end()
})

const kiroBody = toKiroRequest(benchParams).serialized
const sseBody = JSON.stringify({ ...benchParams, stream: true })

/** When the first body chunk of a POST was read; the body is then drained. */
async function firstChunkAt(url: string, body: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      authorization: 'Bearer bench-token',
    },
    body,
  })
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
  let at = Number.NaN
  for await (const _chunk of chunksOf(response.body)) if (Number.isNaN(at)) at = performance.now()
  return at
}

type Contender = 'serve' | 'pipe' | 'client' | 'raw'
const contenders: Record<Contender, () => Promise<number>> = {
  serve: () => firstChunkAt(`${serve.url}/v1/messages`, sseBody),
  pipe: () => firstChunkAt(`${pipe.url}/generateAssistantResponse`, kiroBody),
  raw: () => firstChunkAt(`${sim.url}/generateAssistantResponse`, kiroBody),
  client: async () => {
    let at = Number.NaN
    for await (const _event of client.messages.stream(benchParams))
      if (Number.isNaN(at)) at = performance.now()
    return at
  },
}

/** The first frame write of the one request since the last `sim.clear()`. */
function firstFrame(): number {
  const at = sim.generateRequests[0]?.response.frameTimes[0]
  if (at === undefined) throw new Error('the simulator wrote no frame')
  return at
}

const samples: Record<Contender, number[]> = { serve: [], pipe: [], client: [], raw: [] }
for (let i = 0; i < WARMUP + REQUESTS; i++) {
  for (const [name, run] of Object.entries(contenders) as [Contender, () => Promise<number>][]) {
    sim.clear()
    const at = await run()
    if (i >= WARMUP) samples[name].push(at - firstFrame())
  }
}
serve.close()
pipe.close()
client.close()
await sim.close()

const s = Object.fromEntries(
  Object.entries(samples).map(([name, values]) => [name, summarize(values)]),
) as Record<Contender, Summary>
const addedServe = s.serve.p50 - s.pipe.p50
const addedClient = s.client.p50 - s.raw.p50
/** The path minus its floor request by request (the two ran back to back): median and 25th-75th. */
const paired = (path: Contender, floor: Contender) => {
  const differences = samples[path].map((value, i) => value - (samples[floor][i] as number))
  return {
    p25: percentile(differences, 25),
    p50: percentile(differences, 50),
    p75: percentile(differences, 75),
  }
}
const pairedServe = paired('serve', 'pipe')
const pairedClient = paired('client', 'raw')
const spread = (p: { p25: number; p50: number; p75: number }) =>
  `${fmt(p.p50, 3)} ms (${fmt(p.p25, 3)} to ${fmt(p.p75, 3)})`
progress(
  `first frame written -> first bytes read, ${REQUESTS} requests each (${SCENARIO_DESCRIPTIONS.tokens})`,
)
for (const [name, label] of [
  ['serve', 'serve: first SSE chunk at an HTTP client'],
  ['pipe', 'pipe proxy (floor of serve): first chunk'],
  ['client', 'client: first event in the for await loop'],
  ['raw', 'plain fetch (floor of client): first chunk'],
] as const) {
  progress(
    `  ${label.padEnd(44)} p50 ${fmt(s[name].p50, 3).padStart(7)} ms   p99 ${fmt(s[name].p99, 3).padStart(7)} ms`,
  )
}
progress(
  `  serve added over the pipe proxy (p50):  ${fmt(addedServe, 3)} ms (target < 0.5 ms) ${verdict(addedServe < 0.5)}`,
)
progress(
  `  client added over plain fetch (p50):    ${fmt(addedClient, 3)} ms (target < 0.5 ms) ${verdict(addedClient < 0.5)}`,
)
progress(`  request by request, median (25th to 75th percentile): serve - pipe ${spread(pairedServe)}`)
progress(`  request by request, median (25th to 75th percentile): client - fetch ${spread(pairedClient)}`)
writeResult({
  requests: REQUESTS,
  scenario: SCENARIO_DESCRIPTIONS.tokens,
  summaries: s,
  addedServe,
  addedClient,
  pairedServe,
  pairedClient,
})
