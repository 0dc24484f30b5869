/**
 * 500 concurrent streams through one server: the serve path (`createNodeHandler` over a
 * `KiroClient`, configured as `kiro-client serve` configures it, deltas joined) in its own process
 * on a loopback port, the simulator in another, and this process opening the streams with a plain
 * `fetch` that reads each answer to its end. Each answer is 50 text events 100 ms apart (~5 s, a
 * model emitting tokens). Beside it, the floor: a server that only forwards the request and pipes
 * the response bytes back, in the same kind of process, under the same load. Waves of `--streams`
 * (default 500) streams, their starts spread over one second, alternate between the two servers;
 * per wave the server reports its event-loop delay (`monitorEventLoopDelay`), its CPU, its peak
 * RSS, and its RSS and heap after the wave and a full GC. RSS flat: the last wave ends where the
 * first did.
 *
 * `kiro-client serve` itself refuses connections over `--max-connections` (1,024 by default).
 *
 *   node --import tsx bench/e2e/serve-concurrency.ts [--streams 500] [--waves 2] [--cpu-prof-dir DIR]
 */
import { type ChildProcess, fork } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { chunksOf } from '../lib/body.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt, mib, verdict } from '../lib/stats.js'
import { startRemoteSimulator } from './remote-simulator.js'
import { benchParams } from './scenarios.js'
import type { ServeStats } from './serve-process.js'

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '500' },
    waves: { type: 'string', default: '2' },
    /** Writes a CPU profile of the serve process into this directory (read it with bench/profile/top.mjs). */
    'cpu-prof-dir': { type: 'string' },
  },
})
const STREAMS = Number(values.streams)
const WAVES = Number(values.waves)
const SPREAD_MS = 1_000
const profileDir = values['cpu-prof-dir']

interface Server {
  name: 'serve' | 'floor'
  child: ChildProcess
  url: string
  /** One answer read to its end; throws unless it is complete. */
  stream: () => Promise<void>
}

/** The next IPC message of `child` carrying `key`. */
function reply<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a server process exited (${code})`))
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || !(key in message)) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve((message as Record<string, T>)[key] as T)
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
  })
}
const ask = <T>(server: Server, message: string, key: string): Promise<T> => {
  const answer = reply<T>(server.child, key)
  server.child.send(message)
  return answer
}

const sim = await startRemoteSimulator('paced')
const entry = fileURLToPath(new URL('./serve-process.ts', import.meta.url))

async function start(name: Server['name']): Promise<Server> {
  const child = fork(entry, [sim.url, name === 'floor' ? 'pipe' : 'serve'], {
    execArgv: [
      '--expose-gc',
      '--import',
      'tsx',
      ...(name === 'serve' && profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    ],
    stdio: 'inherit',
  })
  const url = await reply<string>(child, 'url')
  const read = async (path: string, body: string, complete: (tail: string) => boolean) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body,
    })
    if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`)
    const decoder = new TextDecoder()
    let tail = ''
    for await (const chunk of chunksOf(response.body)) tail = (tail + decoder.decode(chunk)).slice(-400)
    if (!complete(tail)) throw new Error('the answer ended early')
  }
  const sseBody = JSON.stringify({ ...benchParams, stream: true })
  const kiroBody = toKiroRequest(benchParams).serialized
  const stream =
    name === 'serve'
      ? () => read('/v1/messages', sseBody, (tail) => tail.includes('event: message_stop'))
      : // The simulator's last event of this answer is the context usage.
        () => read('/generateAssistantResponse', kiroBody, (tail) => tail.includes('contextUsage'))
  return { name, child, url, stream }
}

interface Wave {
  server: Server['name']
  completed: number
  failed: number
  firstFailure: string | undefined
  seconds: number
  stats: ServeStats
}

async function wave(server: Server, count: number): Promise<Wave> {
  await ask(server, 'reset', 'reset')
  let completed = 0
  let failed = 0
  let firstFailure: string | undefined
  const started = performance.now()
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * SPREAD_MS) / count))
      try {
        await server.stream()
        completed++
      } catch (error) {
        failed++
        firstFailure ??= (error as Error).message
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const stats = await ask<ServeStats>(server, 'stats', 'stats')
  return { server: server.name, completed, failed, firstFailure, seconds, stats }
}

const loadBefore = loadavg()[0] ?? 0
const servers = [await start('serve'), await start('floor')]
const idle: Partial<Record<Server['name'], ServeStats>> = {}
for (const server of servers) {
  await wave(server, 50)
  await ask(server, 'reset', 'reset')
  idle[server.name] = await ask<ServeStats>(server, 'stats', 'stats')
}
progress(
  `warm-up: 50 streams through each server; idle RSS serve ${mib(idle.serve?.rssBytes ?? 0)}, floor ${mib(idle.floor?.rssBytes ?? 0)}`,
)

const waves: Wave[] = []
for (let i = 1; i <= WAVES; i++) {
  for (const server of servers) {
    const result = await wave(server, STREAMS)
    waves.push(result)
    const s = result.stats
    progress(
      `wave ${i} ${server.name.padEnd(5)}: ${result.completed}/${STREAMS} complete in ${fmt(result.seconds, 1)} s; loop delay p50 ${fmt(s.eventLoopDelayP50Ms)} ms, p99 ${fmt(s.eventLoopDelayP99Ms)} ms, max ${fmt(s.eventLoopDelayMaxMs, 1)} ms; CPU ${fmt(s.cpuMs / Math.max(1, result.completed))} ms/stream; RSS peak ${mib(s.rssPeakBytes)}, after ${mib(s.rssBytes)}, heap after ${mib(s.heapUsedBytes)}${result.firstFailure ? `; first failure: ${result.firstFailure}` : ''}`,
    )
  }
}
for (const server of servers) server.child.send('close')
await sim.close()

const of = (name: Server['name']) => waves.filter((w) => w.server === name)
const serveWaves = of('serve')
const floorWaves = of('floor')
const first = serveWaves[0] as Wave
const last = serveWaves.at(-1) as Wave
const allComplete = serveWaves.every((w) => w.completed === STREAMS && w.failed === 0)
const worstP99 = Math.max(...serveWaves.map((w) => w.stats.eventLoopDelayP99Ms))
const floorP99 = Math.max(...floorWaves.map((w) => w.stats.eventLoopDelayP99Ms))
const rssGrowth = last.stats.rssBytes - first.stats.rssBytes
progress(
  `${STREAMS} concurrent streams through one server: all complete ${verdict(allComplete)}; event-loop delay p99 ${fmt(worstP99)} ms (floor ${fmt(floorP99)} ms; target < 50 ms) ${verdict(worstP99 < 50)}`,
)
progress(
  `serve RSS before ${mib(idle.serve?.rssBytes ?? 0)}, after wave 1 ${mib(first.stats.rssBytes)}, after wave ${WAVES} ${mib(last.stats.rssBytes)} (last - first: ${fmt(rssGrowth / 1024 / 1024, 1)} MiB)`,
)
progress(`load average (1 min): ${fmt(loadBefore)} before, ${fmt(loadavg()[0] ?? 0)} after`)
writeResult({ streams: STREAMS, idle, waves, allComplete, worstP99, floorP99, rssGrowth })
