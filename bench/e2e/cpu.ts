/**
 * Case 2, client CPU per streamed response: `process.cpuUsage()` (user + system) around sequential
 * requests of the 5,000-message response, for kiro-client, the official
 * `@aws/codewhisperer-streaming-client` consuming the same stream, and a plain `fetch` that only
 * drains the bytes (the floor). A fourth row, the client's decoder and mapper over a plain fetch with
 * no `MessageStream`, shows where the client's time goes. The simulator runs in a child process, so
 * the figures are the client's alone. Rounds interleave the clients so drift hits them alike.
 *
 *   node --import tsx bench/e2e/cpu.ts
 */
import { KiroClient } from '../../src/client/kiro-client.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { chunksOf } from '../lib/body.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt, median, verdict } from '../lib/stats.js'
import { createOfficialRunner } from './official-client.js'
import { mapBody } from './pipeline.js'
import { startRemoteSimulator } from './remote-simulator.js'
import { benchParams, SCENARIO_DESCRIPTIONS } from './scenarios.js'

const ROUNDS = 5
const PER_ROUND = 8
// At least 50 requests per client before measuring: JIT and connection pools settle.
const WARMUP = 50

export type CpuClient = 'ours' | 'official' | 'floor' | 'pipeline'

export interface ClientFigures {
  /** Median over rounds of CPU per response. */
  cpuMs: number
  wallMs: number
  /** What one response yielded: events, or bytes for the floor. */
  items: number
  itemName: string
}

export interface CpuResult {
  scenario: string
  requests: number
  clients: Record<CpuClient, ClientFigures | { error: string }>
  oursOverOfficial: number | undefined
  oursOverFloor: number | undefined
}

type Runner = { run: () => Promise<number>; itemName: string } | { error: string }

const sim = await startRemoteSimulator('bulk')
const client = new KiroClient({
  baseURL: sim.url,
  credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
})
const body = toKiroRequest(benchParams).serialized

async function post(): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(`${sim.url}/generateAssistantResponse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body,
  })
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
  return response.body
}

const runners: Record<CpuClient, Runner> = {
  ours: {
    itemName: 'events',
    run: async () => {
      let events = 0
      for await (const _event of client.messages.stream(benchParams)) events++
      return events
    },
  },
  official: await createOfficialRunner(sim.url, toKiroRequest(benchParams).body),
  floor: {
    itemName: 'bytes',
    run: async () => {
      let bytes = 0
      for await (const chunk of chunksOf(await post())) bytes += chunk.byteLength
      return bytes
    },
  },
  pipeline: { itemName: 'events', run: async () => mapBody(await post()) },
}

const names = Object.keys(runners) as CpuClient[]
const cpu = new Map<CpuClient, number[]>()
const wall = new Map<CpuClient, number[]>()
const items = new Map<CpuClient, number>()

for (const name of names) {
  const runner = runners[name]
  if ('run' in runner) for (let i = 0; i < WARMUP; i++) await runner.run()
}
for (let round = 0; round < ROUNDS; round++) {
  for (const name of names) {
    const runner = runners[name]
    if (!('run' in runner)) continue
    const startWall = performance.now()
    const startCpu = process.cpuUsage()
    let produced = 0
    for (let i = 0; i < PER_ROUND; i++) produced = await runner.run()
    const used = process.cpuUsage(startCpu)
    const elapsed = performance.now() - startWall
    cpu.set(name, [...(cpu.get(name) ?? []), (used.user + used.system) / 1000 / PER_ROUND])
    wall.set(name, [...(wall.get(name) ?? []), elapsed / PER_ROUND])
    items.set(name, produced)
  }
  progress(`  round ${round + 1}/${ROUNDS} done`)
}
client.close()
await sim.close()

const clients = Object.fromEntries(
  names.map((name) => {
    const runner = runners[name]
    const figures: ClientFigures | { error: string } =
      'error' in runner
        ? { error: runner.error }
        : {
            cpuMs: median(cpu.get(name) ?? []),
            wallMs: median(wall.get(name) ?? []),
            items: items.get(name) ?? 0,
            itemName: runner.itemName,
          }
    return [name, figures]
  }),
) as CpuResult['clients']
const cpuOf = (name: CpuClient) => {
  const figures = clients[name]
  return 'cpuMs' in figures ? figures.cpuMs : undefined
}
const ours = cpuOf('ours')
const official = cpuOf('official')
const floor = cpuOf('floor')
const result: CpuResult = {
  scenario: SCENARIO_DESCRIPTIONS.bulk,
  requests: ROUNDS * PER_ROUND,
  clients,
  oursOverOfficial: ours !== undefined && official !== undefined ? ours / official : undefined,
  oursOverFloor: ours !== undefined && floor !== undefined ? ours / floor : undefined,
}

progress(`client CPU per response, ${result.requests} sequential requests each (${result.scenario})`)
for (const name of names) {
  const figures = clients[name]
  if ('error' in figures) progress(`  ${name.padEnd(9)} not measured: ${figures.error}`)
  else
    progress(
      `  ${name.padEnd(9)} cpu ${fmt(figures.cpuMs).padStart(8)} ms   wall ${fmt(figures.wallMs).padStart(8)} ms   ${figures.items} ${figures.itemName}`,
    )
}
if (result.oursOverOfficial !== undefined)
  progress(
    `  ours / official = ${fmt(result.oursOverOfficial)} (target <= 0.2: ${verdict(result.oursOverOfficial <= 0.2)})`,
  )
if (result.oursOverFloor !== undefined) progress(`  ours / floor    = ${fmt(result.oursOverFloor)}`)
writeResult(result)
