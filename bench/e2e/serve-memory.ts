/**
 * Memory of the Anthropic server under two loads that used to grow it without bound:
 *
 * 1. A slow client: a 50 MB streamed answer, whose reader stops reading for `--pause-seconds`
 *    (default 30) once the first event arrived, then reads the rest. With backpressure the
 *    server pulls from Kiro only what the client takes (plus about 1 MiB), so RSS during the
 *    pause stays near where it started, whatever the answer's size.
 * 2. `serve --simulate` under `--requests` (default 4,000) sequential requests: the simulator's
 *    request log is a ring of 100, so RSS is flat from the first thousand on.
 *
 * The server, the simulator and the Kiro stand-in (a lazy upstream that makes the answer only as
 * it is read) run in this process, so RSS covers all of them. Not part of `npm test`; quick run:
 *
 *   node --expose-gc --import tsx bench/e2e/serve-memory.ts --pause-seconds 3 --requests 1000
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createNodeHandler } from '../../src/server/node.js'
import { createKiroSimulator } from '../../src/testing/index.js'
import { lazyUpstream } from '../../test/helpers/lazy-upstream.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt } from '../lib/stats.js'

const { values } = parseArgs({
  options: { 'pause-seconds': { type: 'string' }, requests: { type: 'string' } },
})
const { BENCH_PAUSE_SECONDS: pauseFromEnv, BENCH_REQUESTS: requestsFromEnv } = process.env
const PAUSE_MS = Number(values['pause-seconds'] ?? pauseFromEnv ?? 30) * 1000
const REQUESTS = Number(values.requests ?? requestsFromEnv ?? 4000)
const ANSWER_BYTES = 50 * 1024 * 1024
const MiB = 1024 * 1024
const gc = (globalThis as { gc?: () => void }).gc

function rss(): number {
  gc?.()
  return process.memoryUsage().rss
}

async function listenOn(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return (server.address() as { port: number }).port
}

/** Case 1: returns RSS figures and how much of the answer was pulled while the client paused. */
async function slowClient() {
  const upstream = lazyUpstream({ totalBytes: ANSWER_BYTES })
  const client = new KiroClient({
    baseURL: 'http://127.0.0.1:9',
    credentials: { accessToken: 'bench-token-0001' },
    fetch: upstream.fetch,
    maxRetries: 0,
  })
  const server = createServer(createNodeHandler(client, {}))
  const port = await listenOn(server)
  const before = rss()

  const socket = connect(port, '127.0.0.1')
  const body = JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 64_000,
    stream: true,
    messages: [{ role: 'user', content: 'A very long answer, please.' }],
  })
  socket.write(
    `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
      `connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
  let received = 0
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (chunk.includes('content_block_delta')) {
        socket.off('data', onData)
        socket.pause()
        resolve()
      }
    }
    socket.on('data', onData)
  })

  let pausePeak = 0
  const pauseEnd = performance.now() + PAUSE_MS
  while (performance.now() < pauseEnd) {
    pausePeak = Math.max(pausePeak, rss())
    await delay(Math.min(500, Math.max(0, pauseEnd - performance.now())))
  }
  const pulledDuringPause = upstream.pulled

  let drainPeak = 0
  const sampler = setInterval(() => {
    drainPeak = Math.max(drainPeak, process.memoryUsage().rss)
  }, 100)
  socket.on('data', (chunk: Buffer) => {
    received += chunk.length
  })
  socket.resume()
  await once(socket, 'close')
  clearInterval(sampler)
  server.close()
  client.close()
  return { before, pausePeak, drainPeak, pulledDuringPause, received }
}

/** Case 2: RSS after each quarter of `REQUESTS` sequential requests to the simulated server. */
async function simulatedServe() {
  const sim = await createKiroSimulator()
  const client = new KiroClient({
    baseURL: sim.url,
    credentials: { accessToken: 'bench-token-0002' },
    maxRetries: 0,
  })
  const server = createServer(createNodeHandler(client, {}))
  const port = await listenOn(server)
  const url = `http://127.0.0.1:${port}/v1/messages`
  const body = JSON.stringify({
    model: 'claude-sonnet-4-6',
    max_tokens: 256,
    stream: true,
    system: 'You are a helpful assistant. '.repeat(200),
    messages: [{ role: 'user', content: 'Hello '.repeat(2000) }],
  })
  const samples: Array<{ requests: number; rss: number }> = [{ requests: 0, rss: rss() }]
  const step = Math.max(1, Math.floor(REQUESTS / 4))
  for (let i = 1; i <= REQUESTS; i++) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    await response.arrayBuffer()
    if (i % step === 0) samples.push({ requests: i, rss: rss() })
  }
  server.close()
  client.close()
  await sim.close()
  return { samples, logged: sim.requests.length }
}

progress(`slow client: ${ANSWER_BYTES / MiB} MiB answer, reader paused ${PAUSE_MS / 1000} s`)
const slow = await slowClient()
progress(
  `  RSS before ${fmt(slow.before / MiB, 1)} MiB; peak during the pause +${fmt((slow.pausePeak - slow.before) / MiB, 1)} MiB; ` +
    `peak while draining +${fmt((slow.drainPeak - slow.before) / MiB, 1)} MiB`,
)
progress(
  `  pulled from upstream during the pause: ${fmt(slow.pulledDuringPause / MiB, 2)} MiB of ${ANSWER_BYTES / MiB} MiB ` +
    `(${fmt((100 * slow.pulledDuringPause) / ANSWER_BYTES, 1)}%); the client then read ${fmt(slow.received / MiB, 1)} MiB`,
)

progress(
  `serve --simulate: ${REQUESTS} sequential streamed requests${gc ? '' : ' (run with --expose-gc for steadier figures)'}`,
)
const simulated = await simulatedServe()
for (const sample of simulated.samples) {
  progress(`  after ${String(sample.requests).padStart(5)} requests: RSS ${fmt(sample.rss / MiB, 1)} MiB`)
}
const first = simulated.samples[1] ?? simulated.samples[0]!
const last = simulated.samples.at(-1)!
progress(
  `  growth from ${first.requests} to ${last.requests} requests: ${fmt((last.rss - first.rss) / MiB, 1)} MiB; ` +
    `requests kept in the simulator's log: ${simulated.logged}`,
)
writeResult({ slow, simulated })
