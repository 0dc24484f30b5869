/**
 * One measurement of case 5, in a fresh process so that nothing from another run sits in its heap:
 * reads one big response along one path and reports resident memory before and at its peak.
 * Started by memory.ts with SIM_URL, BENCH_PATH (client | pipeline | fetch) and BENCH_SCENARIO.
 */
import { KiroClient } from '../../src/client/kiro-client.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { chunksOf } from '../lib/body.js'
import { writeResult } from '../lib/result.js'
import { mapBody } from './pipeline.js'
import { benchParams, isScenarioName, SCENARIO_HEADER, type ScenarioName } from './scenarios.js'

export type MemoryPath = 'client' | 'pipeline' | 'fetch'

export interface MemoryRun {
  path: MemoryPath
  scenario: ScenarioName
  responseBytes: number
  items: number
  seconds: number
  rssBefore: number
  rssPeak: number
  heapBefore: number
  heapPeak: number
  /** Largest body chunk read (pipeline and fetch paths). */
  largestChunk: number
  /** Answer text the final message holds (client path: the accumulated message). */
  retainedTextBytes: number
  /** Heap still in use after the response, after a full GC, with the result still referenced. */
  heapRetained: number
  /** Peak of ArrayBuffer memory (response chunks live there, outside the JS heap). */
  arrayBuffersPeak: number
  arrayBuffersBefore: number
}

const { SIM_URL: url, BENCH_PATH: pathName, BENCH_SCENARIO: scenario } = process.env
const path = pathName as MemoryPath
if (!url || !isScenarioName(scenario)) throw new Error('memory-run: SIM_URL and BENCH_SCENARIO are required')
const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc')

const client = new KiroClient({
  baseURL: url,
  credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
})
const body = toKiroRequest(benchParams).serialized
let rssPeak = 0
let heapPeak = 0
let arrayBuffersPeak = 0
const sample = () => {
  const usage = process.memoryUsage()
  if (usage.rss > rssPeak) rssPeak = usage.rss
  if (usage.heapUsed > heapPeak) heapPeak = usage.heapUsed
  if (usage.arrayBuffers > arrayBuffersPeak) arrayBuffersPeak = usage.arrayBuffers
}
/** The client path's final message, kept alive until the retained heap is measured. */
let kept: unknown

async function post(name: ScenarioName): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(`${url}/generateAssistantResponse`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer bench-token',
      [SCENARIO_HEADER]: name,
    },
    body,
  })
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
  return response.body
}

/** Reads one response of `name`; returns what it counted. */
async function read(
  name: ScenarioName,
): Promise<Pick<MemoryRun, 'items' | 'responseBytes' | 'largestChunk' | 'retainedTextBytes'>> {
  let items = 0
  let responseBytes = 0
  let largestChunk = 0
  let retainedTextBytes = 0
  if (path === 'client') {
    const stream = client.messages.stream(benchParams, { headers: { [SCENARIO_HEADER]: name } })
    for await (const _event of stream) if (++items % 512 === 0) sample()
    const message = await stream.finalMessage()
    for (const block of message.content) if (block.type === 'text') retainedTextBytes += block.text.length
    kept = message
  } else {
    const source = await post(name)
    let chunks = 0
    const counted = (async function* () {
      for await (const chunk of chunksOf(source)) {
        responseBytes += chunk.byteLength
        if (chunk.byteLength > largestChunk) largestChunk = chunk.byteLength
        if (++chunks % 64 === 0) sample()
        yield chunk
      }
    })()
    if (path === 'pipeline') items = await mapBody(counted)
    else {
      for await (const _chunk of counted);
      items = chunks
    }
  }
  return { items, responseBytes, largestChunk, retainedTextBytes }
}

// Load and optimise the code on a small response first, so the peak is the big response's alone.
for (let i = 0; i < 3; i++) await read('bulk')
gc()
gc()
const before = process.memoryUsage()
rssPeak = before.rss
heapPeak = before.heapUsed
arrayBuffersPeak = before.arrayBuffers
const timer = setInterval(sample, 2)
const start = performance.now()
const counts = await read(scenario)
const seconds = (performance.now() - start) / 1000
sample()
clearInterval(timer)
gc()
gc()
const heapRetained = process.memoryUsage().heapUsed - before.heapUsed
if (kept === null) throw new Error('unreachable: keeps the final message alive until here')
client.close()

const result: MemoryRun = {
  path,
  scenario,
  ...counts,
  seconds,
  rssBefore: before.rss,
  rssPeak,
  heapBefore: before.heapUsed,
  heapPeak,
  heapRetained,
  arrayBuffersBefore: before.arrayBuffers,
  arrayBuffersPeak,
}
writeResult(result)
