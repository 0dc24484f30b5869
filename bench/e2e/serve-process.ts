/**
 * The serve path in its own process, for a benchmark that loads it from outside: a `KiroClient` on
 * the simulator whose URL is the first argument, behind `createNodeHandler` on a loopback port,
 * configured as `kiro-client serve` configures it (transient retries, deltas joined). It measures
 * itself: event-loop delay (`monitorEventLoopDelay`, 1 ms resolution, the interval subtracted),
 * RSS and heap, and answers the IPC messages `reset` (starts a new measurement window) and `stats`
 * (the window's figures, after a full GC when `--expose-gc` is on).
 *
 * With `pipe` as the second argument it is the floor instead: a server that forwards each request
 * to the simulator as it came and pipes the response bytes back, nothing else (what any proxy
 * costs: two sockets per stream and the bytes through them).
 */
import { once } from 'node:events'
import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createNodeHandler } from '../../src/server/node.js'
import { chunksOf } from '../lib/body.js'

export interface ServeStats {
  eventLoopDelayP50Ms: number
  eventLoopDelayP99Ms: number
  eventLoopDelayMaxMs: number
  /** The largest RSS sampled (every 50 ms) in the window. */
  rssPeakBytes: number
  /** RSS and heap in use at the end of the window, after a full GC. */
  rssBytes: number
  heapUsedBytes: number
  cpuMs: number
}

const simUrl = process.argv[2]
if (!simUrl) throw new Error('serve-process: the simulator URL is the first argument')

const client = new KiroClient({
  baseURL: simUrl,
  credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
})
/** The floor: the request forwarded as it came, the response bytes piped back. */
const pipe: RequestListener = async (request, response) => {
  const parts: Buffer[] = []
  for await (const part of request) parts.push(part as Buffer)
  const upstream = await fetch(`${simUrl}${request.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body: Buffer.concat(parts),
  })
  response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? '' })
  for await (const chunk of chunksOf(upstream.body)) response.write(chunk)
  response.end()
}
const server = createServer(
  process.argv[3] === 'pipe'
    ? pipe
    : createNodeHandler(client, { retryScope: 'transient', coalesceDeltas: true }),
)
server.listen(0, '127.0.0.1')
await once(server, 'listening')

const RESOLUTION_MS = 1
const delayMs = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS)
const gc = (globalThis as { gc?: () => void }).gc
let histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
let rssPeak = 0
let cpuStart = process.cpuUsage()
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
}, 50)

function reset(): void {
  histogram.disable()
  histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  rssPeak = process.memoryUsage.rss()
  cpuStart = process.cpuUsage()
}

function stats(): ServeStats {
  histogram.disable()
  const cpu = process.cpuUsage(cpuStart)
  gc?.()
  const memory = process.memoryUsage()
  return {
    eventLoopDelayP50Ms: delayMs(histogram.percentile(50)),
    eventLoopDelayP99Ms: delayMs(histogram.percentile(99)),
    eventLoopDelayMaxMs: delayMs(histogram.max),
    rssPeakBytes: Math.max(rssPeak, memory.rss),
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
  }
}

process.on('message', (message: unknown) => {
  if (message === 'reset') {
    reset()
    process.send?.({ reset: true })
  } else if (message === 'stats') process.send?.({ stats: stats() })
  else if (message === 'close') {
    clearInterval(sampler)
    server.closeAllConnections()
    server.close()
    client.close()
    process.exit(0)
  }
})
// A benchmark that crashed leaves no server behind.
process.on('disconnect', () => process.exit(0))
reset()
process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
