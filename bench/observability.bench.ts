/**
 * What observability costs a request when nobody listens: the same requests through the client, in
 * one process, against the in-process Kiro simulator (no network, so the client's own CPU is what
 * is measured), with
 *
 * - `instrumentation: false` and no logger (the baseline),
 * - `@opentelemetry/api` not installed (simulated: its loader finds nothing),
 * - the API installed but no tracer or meter provider registered,
 * - and, for information, real SDK providers recording everything.
 *
 * Run: `node --import tsx bench/observability.bench.ts`. Prints each variant's median CPU time per
 * request (process CPU, steadier than wall time on a busy machine) and its ratio to the baseline:
 * the median of the ratios within a round (rounds interleave the variants, so noise hits all of
 * them alike). Then the one step that differs when nobody listens, the client's per-request
 * `Telemetry.hooks()`, timed alone and set against the baseline's time per request: the overhead
 * without the noise of a whole request. Target: absent / no provider within 1 % (ratio <= 1.01).
 * Never fails on a time.
 */
import { MeterProvider } from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { KiroClient, type KiroClientOptions } from '../src/client/kiro-client.js'
import { loadOtelApi, setOtelApiLoader } from '../src/observability/otel-api.js'
import { Telemetry } from '../src/observability/telemetry.js'
import { createKiroFetchSimulator } from '../src/testing/fetch-simulator.js'
import { describeMachine } from './lib/machine.js'
import { fmt, median, verdict } from './lib/stats.js'

const ROUNDS = 25
const REQUESTS = 250
const WARMUP = 300

const sim = createKiroFetchSimulator()
const turn = [
  { text: Array.from({ length: 20 }, (_, i) => `chunk ${i} of a typical answer. `) },
  { metadata: { uncachedInputTokens: 120, outputTokens: 80 } },
]
const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Summarise the observability overhead in one line.' }],
}

const exporter = new InMemorySpanExporter()
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
const meterProvider = new MeterProvider()

interface Variant {
  name: string
  /** Puts the process in this variant's state (which loader finds the API) before its batch. */
  enter: () => void
  client: KiroClient
}

const base: KiroClientOptions = { fetch: sim.fetch, credentials: { accessToken: 'bench-token-123456' } }
const apiAbsent = () => {
  setOtelApiLoader(() => undefined)
  loadOtelApi()
}
const apiInstalled = () => {
  setOtelApiLoader(undefined)
  loadOtelApi()
}
const variants: Variant[] = [
  {
    name: 'baseline: instrumentation off',
    enter: apiInstalled,
    client: new KiroClient({ ...base, instrumentation: false }),
  },
  { name: 'OpenTelemetry not installed', enter: apiAbsent, client: new KiroClient(base) },
  { name: 'installed, no provider registered', enter: apiInstalled, client: new KiroClient(base) },
  {
    name: 'SDK providers recording (information)',
    enter: apiInstalled,
    client: new KiroClient({ ...base, tracerProvider, meterProvider }),
  },
]

/** Process CPU time (user + system) per request, in ms. */
async function batch(client: KiroClient, count: number): Promise<number> {
  const started = process.cpuUsage()
  for (let i = 0; i < count; i++) {
    sim.enqueue(turn)
    await client.messages.create(params)
  }
  const used = process.cpuUsage(started)
  return (used.user + used.system) / 1000 / count
}

/** Nanoseconds per `hooks()` call of a client's telemetry in the current state. */
function hooksCost(telemetry: Telemetry): number {
  const calls = 2_000_000
  let kept = 0
  const started = process.hrtime.bigint()
  for (let i = 0; i < calls; i++) if (telemetry.hooks() !== undefined) kept++
  const ns = Number(process.hrtime.bigint() - started) / calls
  return kept === calls ? ns : Number.NaN
}

const machine = describeMachine()
console.log(
  `Observability overhead per request (in-process simulator, ${REQUESTS} requests x ${ROUNDS} rounds)`,
)
console.log(`${machine.cpu}, ${machine.cores} cores, load ${machine.load}, Node ${machine.node}`)

for (const variant of variants) {
  variant.enter()
  await batch(variant.client, WARMUP)
  exporter.reset()
}

const times = new Map<string, number[]>(variants.map((variant) => [variant.name, []]))
const ratios = new Map<string, number[]>(variants.map((variant) => [variant.name, []]))
for (let round = 0; round < ROUNDS; round++) {
  // Rotate the order each round so no variant always runs first (or right after a GC-heavy one).
  const order = variants.map((_, i) => variants[(i + round) % variants.length]!)
  const perRequest = new Map<string, number>()
  for (const variant of order) {
    variant.enter()
    perRequest.set(variant.name, await batch(variant.client, REQUESTS))
    exporter.reset()
  }
  const baseline = perRequest.get(variants[0]!.name)!
  for (const variant of variants) {
    const ms = perRequest.get(variant.name)!
    times.get(variant.name)!.push(ms)
    ratios.get(variant.name)!.push(ms / baseline)
  }
}

for (const variant of variants) {
  const ratio = median(ratios.get(variant.name)!)
  const us = median(times.get(variant.name)!) * 1000
  console.log(`  ${variant.name.padEnd(40)} ${fmt(us, 1).padStart(8)} µs CPU/request   x${fmt(ratio, 3)}`)
}

// The isolated step: what a request pays for observability before anything else happens.
const requestNs = median(times.get(variants[0]!.name)!) * 1e6
const isolated: Array<[string, () => void, Telemetry]> = [
  ['baseline: instrumentation off', apiInstalled, new Telemetry({ instrumentation: false })],
  ['OpenTelemetry not installed', apiAbsent, new Telemetry({})],
  ['installed, no provider registered', apiInstalled, new Telemetry({})],
]
console.log('Telemetry.hooks() per request, alone:')
const costs = new Map<string, number>()
for (const [name, enter, telemetry] of isolated) {
  enter()
  hooksCost(telemetry)
  const ns = median([hooksCost(telemetry), hooksCost(telemetry), hooksCost(telemetry)])
  costs.set(name, ns)
  console.log(
    `  ${name.padEnd(40)} ${fmt(ns, 1).padStart(8)} ns   ${fmt((ns / requestNs) * 100, 4)} % of a request`,
  )
}
for (const [name] of isolated.slice(1)) {
  const ratio = median(ratios.get(name)!)
  const added = ((costs.get(name)! - costs.get(isolated[0]![0])!) / requestNs) * 100
  console.log(
    `target: ${name} within 1 % of the baseline: end to end x${fmt(ratio, 3)} (${verdict(ratio <= 1.01)}), isolated +${fmt(added, 4)} % (${verdict(added <= 1)})`,
  )
}
await tracerProvider.shutdown()
await meterProvider.shutdown()
