/**
 * The Redis state's cost (docs/shared-state.md), against a local redis-server started for the run:
 * 1. per-request overhead of the pool's calls (snapshot + slot acquire, then release), sequential,
 *    beside a PING (one round trip, the floor) and the memory state, with both client libraries;
 *    round trips counted by Redis itself (INFO commandstats);
 * 2. throughput with 1..8 processes doing those calls flat out, and redis-server's CPU meanwhile;
 * 3. redis-server alone running the same scripts under redis-benchmark (no Node in the way).
 */
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { createRedisState, type RedisClientLike } from '../../src/redis/index.js'
import { SLOT_ACQUIRE, SNAPSHOT } from '../../src/redis/scripts.js'
import { MemoryState } from '../../src/state/memory.js'
import type { State } from '../../src/state/types.js'
import { startRedisServer } from '../../test/helpers/redis-server.js'
import { describeMachine } from '../lib/machine.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt, percentile } from '../lib/stats.js'

const ACCOUNTS = ['a', 'b', 'c']
const ITERATIONS = 3_000

export interface OverheadFigures {
  client: string
  pingP50: number
  pingP99: number
  hotP50: number
  hotP99: number
  releaseP50: number
  cycleP50: number
  memoryHotP50: number
  /** Round trips Redis saw per request before it is sent (snapshot + acquire), and after (release). */
  roundTripsBefore: number
  roundTripsAfter: number
}

export interface LoadFigures {
  processes: number
  lanes: number
  cyclesPerSecond: number
  /** redis-server's CPU over the window, as a share of one core. */
  redisCpu: number
  clientCpuMsPerCycle: number
}

export interface RedisStateResult {
  machine: ReturnType<typeof describeMachine>
  iterations: number
  overhead: OverheadFigures[]
  load: LoadFigures[]
  loadSeconds: number
  /** redis-benchmark, requests per second for each script. */
  server: Array<{ name: string; perSecond: number }>
}

const server = await startRedisServer()
const machine = describeMachine()
progress(`redis-server on ${server.url}; load average ${machine.load}`)

/** Commands the state sends itself: the round trips (its scripts' own calls run inside Redis). */
const TOP_LEVEL = new Set(['evalsha', 'eval', 'zrem'])

async function roundTripsSoFar(admin: Redis): Promise<number> {
  const info = String(await admin.call('INFO', 'commandstats'))
  let total = 0
  for (const match of info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
    if (TOP_LEVEL.has(match[1]!)) total += Number(match[2])
  }
  return total
}

async function overhead(
  name: string,
  client: unknown,
  ping: () => Promise<unknown>,
  admin: Redis,
): Promise<OverheadFigures> {
  const state = createRedisState({
    redis: client as RedisClientLike,
    prefix: `bench-${name}:`,
    commandTimeoutMs: 2_000,
  })
  const memory: State = new MemoryState()
  const cycle = async (s: State, i: number) => {
    await s.snapshot(ACCOUNTS, `conversation-${i % 50}`)
    const slot = await s.acquireSlot(ACCOUNTS[i % 3]!, 1_000_000, 60_000)
    return slot
  }
  for (let i = 0; i < 500; i++) {
    await ping()
    const slot = await cycle(state, i)
    if (slot) await state.releaseSlot(slot)
  }
  const pings: number[] = []
  const hot: number[] = []
  const release: number[] = []
  const memoryHot: number[] = []
  // Round trips: what Redis counted over a stretch of requests alone.
  await admin.call('CONFIG', 'RESETSTAT')
  const before = await roundTripsSoFar(admin)
  const slots = []
  for (let i = 0; i < 200; i++) slots.push(await cycle(state, i))
  const afterHot = await roundTripsSoFar(admin)
  for (const slot of slots) if (slot) await state.releaseSlot(slot)
  const afterRelease = await roundTripsSoFar(admin)
  // Interleaved, so that load on the machine moves every series alike.
  for (let i = 0; i < ITERATIONS; i++) {
    let t = performance.now()
    await ping()
    pings.push(performance.now() - t)
    t = performance.now()
    const slot = await cycle(state, i)
    hot.push(performance.now() - t)
    t = performance.now()
    if (slot) await state.releaseSlot(slot)
    release.push(performance.now() - t)
    t = performance.now()
    const local = await cycle(memory, i)
    memoryHot.push(performance.now() - t)
    if (local) await memory.releaseSlot(local)
  }
  const cycles = hot.map((ms, i) => ms + release[i]!)
  return {
    client: name,
    pingP50: percentile(pings, 50),
    pingP99: percentile(pings, 99),
    hotP50: percentile(hot, 50),
    hotP99: percentile(hot, 99),
    releaseP50: percentile(release, 50),
    cycleP50: percentile(cycles, 50),
    memoryHotP50: percentile(memoryHot, 50),
    roundTripsBefore: (afterHot - before) / 200,
    roundTripsAfter: (afterRelease - afterHot) / 200,
  }
}

function redisCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  // utime and stime: fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function loadRun(processes: number, lanes: number, seconds: number): Promise<LoadFigures> {
  const workers = await Promise.all(
    Array.from({ length: processes }, async (_, index) => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/redis/load-worker.ts',
          JSON.stringify({
            url: server.url,
            lanes,
            durationMs: seconds * 1000,
            prefix: `load-${processes}-${index}:`,
          }),
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      )
      const lines = createInterface({ input: child.stdout! })
      const next = () => new Promise<string>((resolve) => lines.once('line', resolve))
      await next()
      return { child, next }
    }),
  )
  const cpuBefore = redisCpuSeconds(server.pid!)
  const started = performance.now()
  const results = workers.map(({ next }) => next())
  for (const { child } of workers) child.stdin!.write('go\n')
  const reports = (await Promise.all(results)).map(
    (line) => JSON.parse(line) as { cycles: number; cpuMs: number },
  )
  const wall = (performance.now() - started) / 1000
  const redisCpu = (redisCpuSeconds(server.pid!) - cpuBefore) / wall
  const cycles = reports.reduce((sum, r) => sum + r.cycles, 0)
  return {
    processes,
    lanes,
    cyclesPerSecond: cycles / seconds,
    redisCpu,
    clientCpuMsPerCycle: reports.reduce((sum, r) => sum + r.cpuMs, 0) / cycles,
  }
}

function redisBenchmark(sha: {
  snapshot: string
  acquire: string
}): Array<{ name: string; perSecond: number }> {
  const run = (name: string, command: string[]) => {
    const output = execFileSync(
      '/usr/bin/redis-benchmark',
      ['-p', String(server.port), '-n', '100000', '-c', '50', '-q', ...command],
      { encoding: 'utf8' },
    )
    const match = /([\d.]+) requests per second/.exec(output)
    return { name, perSecond: match ? Number(match[1]) : Number.NaN }
  }
  const keys = ['s:a', 's:b', 's:c', 'z:a', 'z:b', 'z:c', 'sticky:k']
  return [
    run('PING', ['PING']),
    run('snapshot (3 accounts + sticky)', ['EVALSHA', sha.snapshot, String(keys.length), ...keys, '3', '1']),
    run('slot acquire', ['EVALSHA', sha.acquire, '1', 'z:a', '__rand_int__', '1000000', '60000']),
    run('slot release (ZREM)', ['ZREM', 'z:a', '__rand_int__']),
  ]
}

const admin = new Redis(server.url)
const overheads: OverheadFigures[] = []
{
  const io = new Redis(server.url)
  overheads.push(await overhead('ioredis', io, () => io.ping(), admin))
  io.disconnect()
  const node = createClient({ url: server.url })
  await node.connect()
  overheads.push(await overhead('node-redis', node, () => node.ping(), admin))
  node.destroy()
}
for (const o of overheads) {
  progress(
    `${o.client.padEnd(10)} PING p50 ${fmt(o.pingP50, 3)} ms | snapshot+acquire p50 ${fmt(o.hotP50, 3)} ms (p99 ${fmt(o.hotP99, 3)}) | ` +
      `release p50 ${fmt(o.releaseP50, 3)} ms | memory state ${fmt(o.memoryHotP50, 4)} ms | round trips ${o.roundTripsBefore} + ${o.roundTripsAfter}`,
  )
}

const LOAD_SECONDS = 3
const load: LoadFigures[] = []
for (const processes of [1, 2, 4, 8]) {
  const figures = await loadRun(processes, 16, LOAD_SECONDS)
  load.push(figures)
  progress(
    `${processes} process(es) x 16 lanes: ${fmt(figures.cyclesPerSecond, 0)} requests/s, redis-server CPU ${fmt(figures.redisCpu * 100, 0)}% of a core, client CPU ${fmt(figures.clientCpuMsPerCycle, 3)} ms/request`,
  )
}

// The scripts as the state loads them, then redis-server alone under redis-benchmark.
await SNAPSHOT.run(
  { library: 'ioredis', send: ([n, ...a]) => admin.call(n!, ...a) },
  ['x'],
  ['0', '0'],
).catch(() => {})
await SLOT_ACQUIRE.run(
  { library: 'ioredis', send: ([n, ...a]) => admin.call(n!, ...a) },
  ['z:a'],
  ['x', '1', '1'],
).catch(() => {})
const serverFigures = redisBenchmark({
  snapshot: await SNAPSHOT.sha(),
  acquire: await SLOT_ACQUIRE.sha(),
})
for (const figure of serverFigures)
  progress(`redis-benchmark ${figure.name}: ${fmt(figure.perSecond, 0)} requests/s`)

admin.disconnect()
await server.close()
const result: RedisStateResult = {
  machine,
  iterations: ITERATIONS,
  overhead: overheads,
  load,
  loadSeconds: LOAD_SECONDS,
  server: serverFigures,
}
writeResult(result)
