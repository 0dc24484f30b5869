/**
 * Case 3, concurrency: 1, 10, 100 and 500 concurrent streams through one client, beside a plain
 * `fetch` draining the same responses at the same concurrency (the floor). Per level: requests per
 * second, client CPU per stream and event-loop delay p99 (`monitorEventLoopDelay`) under a steady
 * load of paced streams (load.ts), then heap per in-flight stream with every stream held open after
 * its first events (held-streams.ts). The simulator runs in a child process: its work shows in none
 * of the figures.
 *
 *   node --expose-gc --import tsx bench/e2e/concurrency.ts
 */
import { progress, writeResult } from '../lib/result.js'
import { fmt, kib, median, verdict } from '../lib/stats.js'
import { type HeldFigures, measureHeldStreams } from './held-streams.js'
import { type LoadFigures, runLoad } from './load.js'
import { clientPath, fetchPath, type ReadPath } from './paths.js'
import { startRemoteSimulator } from './remote-simulator.js'
import { SCENARIO_DESCRIPTIONS } from './scenarios.js'

const LEVELS = [1, 10, 100, 500]
const PER_WORKER = 2

export interface PathFigures {
  load: LoadFigures
  held: HeldFigures
}

export interface ConcurrencyLevel {
  concurrency: number
  ours: PathFigures
  floor: PathFigures
  /** Requests per second if every stream took as long as one stream alone. */
  idealRequestsPerSecond: number
}

export interface ConcurrencyResult {
  scenario: string
  singleStreamMs: number
  levels: ConcurrencyLevel[]
}

const sim = await startRemoteSimulator('paced')
const paths: Record<'ours' | 'floor', ReadPath> = { ours: clientPath(sim.url), floor: fetchPath(sim.url) }

// Warm up both paths (JIT, connection pool) on short responses, then time one paced stream alone:
// the yardstick of the ideal rate.
for (let i = 0; i < 20; i++) {
  for (const path of Object.values(paths)) {
    const held = path.hold('hold')
    await held.first
    held.abort()
    await held.done
  }
}
const alone: number[] = []
for (let i = 0; i < 3; i++) {
  const start = performance.now()
  await paths.ours.complete()
  alone.push(performance.now() - start)
}
const singleStreamMs = median(alone)

async function measure(path: ReadPath, concurrency: number): Promise<PathFigures> {
  const load = await runLoad(() => path.complete(), concurrency, PER_WORKER, singleStreamMs)
  // The first held pass at a new size grows pools and caches; the second measures the streams.
  await measureHeldStreams(() => path.hold('hold'), concurrency)
  const held = await measureHeldStreams(() => path.hold('hold'), concurrency)
  return { load, held }
}

const levels: ConcurrencyLevel[] = []
for (const concurrency of LEVELS) {
  const ours = await measure(paths.ours, concurrency)
  const floor = await measure(paths.floor, concurrency)
  const idealSeconds = ((concurrency > 1 ? singleStreamMs : 0) + PER_WORKER * singleStreamMs) / 1000
  const level: ConcurrencyLevel = {
    concurrency,
    ours,
    floor,
    idealRequestsPerSecond: (concurrency * PER_WORKER) / idealSeconds,
  }
  levels.push(level)
  const line = (name: string, f: PathFigures) =>
    `${name} ${f.load.completed}/${f.load.requests} ok, ${fmt(f.load.requestsPerSecond, 1)} req/s, cpu ${fmt(f.load.cpuMsPerRequest)} ms/stream, ELD p99 ${fmt(f.load.eventLoopDelayP99Ms)} ms, heap ${kib(f.held.heapPerStreamBytes)}/stream, burst ${fmt(f.held.burstStartMs, 1)} ms`
  progress(
    `  ${String(concurrency).padStart(3)} streams (ideal ${fmt(level.idealRequestsPerSecond, 1)} req/s)`,
  )
  progress(`      ${line('ours ', ours)}`)
  progress(`      ${line('floor', floor)}`)
}
for (const path of Object.values(paths)) path.close()
await sim.close()

const result: ConcurrencyResult = { scenario: SCENARIO_DESCRIPTIONS.paced, singleStreamMs, levels }
const top = levels.at(-1)
if (top) {
  const { load, held } = top.ours
  progress(
    `  at ${top.concurrency}: all complete ${verdict(load.failed === 0 && load.completed === load.requests)}; ELD p99 < 50 ms ${verdict(load.eventLoopDelayP99Ms < 50)}; heap < 64 KiB/stream ${verdict(held.heapPerStreamBytes < 64 * 1024)}`,
  )
}
writeResult(result)
