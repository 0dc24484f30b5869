/**
 * CPU of the hot paths, measured side by side in one process, contenders alternated request by
 * request after a warm-up of 50 requests each; medians over the requests, with the spread
 * (25th-75th percentile). The simulator runs in a child process, so its work is not counted.
 *
 * - serve: the same 5,000-message answer read through `messages.stream()` (the client path), through
 *   the Anthropic handler answering `stream: true` with its SSE body drained (the serve path; once
 *   as the library's default, once with `coalesceDeltas` as `kiro-client serve` runs it), by the
 *   official `@aws/codewhisperer-streaming-client`, by a plain `fetch` draining the bytes (floor), and
 *   by a `fetch` that also checks each message's CRC and parses its JSON (the floor of any client).
 * - long answers: the client path on 5,000 and 50,000 messages, CPU per message.
 * - fragmented tool: one tool call whose input arrives in 8,000 fragments, with an `inputJson`
 *   listener (each fragment's snapshot read), against the same stream read without a listener.
 *
 *   node --import tsx bench/e2e/hot-paths.ts
 */
import { loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { KiroClient } from '../../src/client/kiro-client.js'
import { crc32Range } from '../../src/eventstream/crc32.js'
import { createAnthropicHandler } from '../../src/server/handler.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { chunksOf } from '../lib/body.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt, percentile } from '../lib/stats.js'
import { createOfficialRunner } from './official-client.js'
import { startRemoteSimulator } from './remote-simulator.js'
import { benchParams, SCENARIO_HEADER, type ScenarioName, TOOL_FRAGMENTS } from './scenarios.js'

const WARMUP = 50
const quick = process.argv.includes('--quick')
const RUNS = quick ? 20 : 60

const sim = await startRemoteSimulator('bulk')
const client = new KiroClient({
  baseURL: sim.url,
  credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
})
const handler = createAnthropicHandler(client)
// As `kiro-client serve` runs it: the deltas of one read joined into one event.
const joiningHandler = createAnthropicHandler(client, { coalesceDeltas: true })
const kiroBody = toKiroRequest(benchParams).serialized
const serveBody = JSON.stringify({ ...benchParams, stream: true })

type Run = () => Promise<number>

function clientRun(scenario: ScenarioName, onInputJson = false): Run {
  return async () => {
    const stream = client.messages.stream(benchParams, { headers: { [SCENARIO_HEADER]: scenario } })
    let items = 0
    if (onInputJson) stream.on('inputJson', (_partial, snapshot) => void (snapshot && items++))
    for await (const _event of stream) items++
    return items
  }
}

const serveRun =
  (through = handler): Run =>
  async () => {
    const response = await through(
      new Request('http://localhost/v1/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: serveBody,
      }),
    )
    if (response.status !== 200) throw new Error(`serve answered ${response.status}`)
    let bytes = 0
    for await (const chunk of chunksOf(response.body)) bytes += chunk.byteLength
    return bytes
  }

const floorRun: Run = async () => {
  const response = await fetch(`${sim.url}/generateAssistantResponse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body: kiroBody,
  })
  let bytes = 0
  for await (const chunk of chunksOf(response.body)) bytes += chunk.byteLength
  return bytes
}

const utf8 = new TextDecoder()

/**
 * The floor of any event-stream client: the same fetch, then only the work none can skip, one CRC
 * pass, a UTF-8 decode and a JSON.parse per message (the floor of bench/eventstream.bench.ts). The
 * CRC is the fastest one known for messages this small, the table CRC in JS (a call into zlib's
 * native `crc32` costs more than hashing 158 bytes), so the floor is not inflated.
 */
const parseFloorRun: Run = async () => {
  const response = await fetch(`${sim.url}/generateAssistantResponse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body: kiroBody,
  })
  let pending: Uint8Array = new Uint8Array(0)
  let messages = 0
  // The CRCs are returned, so that no work is optimised away.
  let crcs = 0
  for await (const chunk of chunksOf(response.body)) {
    let bytes: Uint8Array = chunk
    if (pending.length > 0) {
      bytes = new Uint8Array(pending.length + chunk.length)
      bytes.set(pending)
      bytes.set(chunk, pending.length)
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    let at = 0
    while (bytes.length - at >= 12) {
      const total = view.getUint32(at)
      if (bytes.length - at < total) break
      const payload = at + 12 + view.getUint32(at + 4)
      crcs ^= crc32Range(bytes, at, at + total - 4)
      if (JSON.parse(utf8.decode(bytes.subarray(payload, at + total - 4))) !== null) messages++
      at += total
    }
    pending = bytes.subarray(at)
  }
  return messages + crcs
}

const official = await createOfficialRunner(sim.url, toKiroRequest(benchParams).body)

// A young-generation collection before and after each measured request: each contender pays for
// collecting its own garbage, not for whatever the one before it left (which made the per-request
// figures swing by 2x from run to run).
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as (options: { type: 'minor'; execution: 'sync' }) => void
const minorGc = () => collect({ type: 'minor', execution: 'sync' })

/**
 * Each contender's CPU ms per request, `RUNS` requests each, alternated after the warm-up. The order
 * rotates every round, so no contender always follows the same one; each request's CPU includes the
 * collection of its young garbage.
 */
async function measure<K extends string>(
  contenders: Record<K, Run>,
  runs = RUNS,
): Promise<Record<K, number[]>> {
  const entries = Object.entries(contenders) as [K, Run][]
  for (let i = 0; i < WARMUP; i++) for (const [, run] of entries) await run()
  const samples = Object.fromEntries(entries.map(([name]) => [name, [] as number[]])) as Record<K, number[]>
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < entries.length; k++) {
      const [name, run] = entries[(i + k) % entries.length] as [K, Run]
      minorGc()
      const start = process.cpuUsage()
      await run()
      minorGc()
      const used = process.cpuUsage(start)
      samples[name].push((used.user + used.system) / 1000)
    }
  }
  return samples
}

interface Figure {
  median: number
  p25: number
  p75: number
}
const figure = (values: number[]): Figure => ({
  median: percentile(values, 50),
  p25: percentile(values, 25),
  p75: percentile(values, 75),
})
const show = (f: Figure) => `${fmt(f.median)} ms (${fmt(f.p25)}-${fmt(f.p75)})`

const loadBefore = loadavg()[0] ?? 0

progress(`serve: 5,000-message answer, ${RUNS} requests per contender after ${WARMUP} each of warm-up`)
const serveContenders: Record<string, Run> = {
  client: clientRun('bulk'),
  serve: serveRun(),
  joined: serveRun(joiningHandler),
  floor: floorRun,
  parse: parseFloorRun,
}
if ('run' in official) Object.assign(serveContenders, { official: official.run })
const serveSamples = await measure(serveContenders)
const serve: Partial<Record<'client' | 'serve' | 'joined' | 'floor' | 'parse' | 'official', Figure>> =
  Object.fromEntries(Object.entries(serveSamples).map(([name, values]) => [name, figure(values as number[])]))
for (const [name, f] of Object.entries(serve)) if (f) progress(`  ${name.padEnd(9)} cpu ${show(f)}`)
const ratio = (a: keyof typeof serve, b: keyof typeof serve) => {
  const top = serve[a]
  const bottom = serve[b]
  return top && bottom ? top.median / bottom.median : Number.NaN
}
progress(`  serve / client    = ${fmt(ratio('serve', 'client'))} (target <= 1.5)`)
progress(`  serve with coalesceDeltas / client = ${fmt(ratio('joined', 'client'))}`)
const sseBytes = { frames: await serveRun()(), joined: await serveRun(joiningHandler)() }
progress(
  `  SSE bytes per answer: ${sseBytes.frames.toLocaleString('en-US')} one frame per event, ${sseBytes.joined.toLocaleString('en-US')} with coalesceDeltas (the answer written at once: its deltas join by read)`,
)
progress(`  client / official = ${fmt(ratio('client', 'official'))} (target <= 0.2)`)
progress(`  client - floor    = ${fmt((serve.client?.median ?? 0) - (serve.floor?.median ?? 0))} ms`)
const overParse = (serve.client?.median ?? 0) - (serve.parse?.median ?? 0)
progress(`  client - (floor + CRC + JSON.parse of every message) = ${fmt(overParse)} ms (target <= 3)`)
if ('error' in official) progress(`  official client not measured: ${official.error}`)

progress(`long answers: 5,000 vs 50,000 messages through messages.stream()`)
const longSamples = await measure({ short: clientRun('bulk'), long: clientRun('bulk-50k') }, quick ? 5 : 15)
const short = figure(longSamples.short.map((ms) => ms / 5_000))
const long = figure(longSamples.long.map((ms) => ms / 50_000))
progress(`  per message at 5,000:  ${fmt(short.median * 1000, 3)} µs`)
progress(`  per message at 50,000: ${fmt(long.median * 1000, 3)} µs`)
progress(`  50,000 / 5,000 per message = ${fmt(long.median / short.median)} (target <= 1.2)`)

progress(`fragmented tool: ${TOOL_FRAGMENTS} input fragments`)
const toolSamples = await measure(
  { listener: clientRun('tool-8k', true), none: clientRun('tool-8k') },
  quick ? 10 : 30,
)
const tool = { listener: figure(toolSamples.listener), none: figure(toolSamples.none) }
progress(`  with an inputJson listener: ${show(tool.listener)}`)
progress(`  without a listener:         ${show(tool.none)}`)
progress(`  the snapshots' cost: ${fmt(tool.listener.median - tool.none.median)} ms (target < 20 ms total)`)

const result = {
  load: { before: loadBefore, after: loadavg()[0] ?? 0 },
  warmup: WARMUP,
  runs: RUNS,
  serve,
  ratios: {
    serveOverClient: ratio('serve', 'client'),
    joinedServeOverClient: ratio('joined', 'client'),
    clientOverOfficial: ratio('client', 'official'),
    clientMinusFloorMs: (serve.client?.median ?? 0) - (serve.floor?.median ?? 0),
    clientMinusParseFloorMs: overParse,
  },
  sseBytes,
  long: { perMessage5k: short, perMessage50k: long, ratio: long.median / short.median },
  tool,
}
progress(`load average (1 min): ${fmt(result.load.before)} before, ${fmt(result.load.after)} after`)
writeResult(result)
client.close()
await sim.close()
