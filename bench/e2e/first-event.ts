/**
 * Case 1, time to first event: how long after the simulator writes the first frame the caller's
 * `for await` loop holds the first event, beside the time the whole response takes (what a client
 * that buffers the response would make its caller wait), and beside a plain `fetch` reading the same
 * response's first chunk (the floor: loopback, HTTP, nothing else). The simulator runs in this
 * process, so both ends read the same `performance.now()` clock. 200 sequential requests each,
 * interleaved, after a warm-up.
 *
 *   node --import tsx bench/e2e/first-event.ts
 */
import { KiroClient } from '../../src/client/kiro-client.js'
import { createKiroSimulator } from '../../src/testing/index.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { chunksOf } from '../lib/body.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt, type Summary, summarize, verdict } from '../lib/stats.js'
import { benchParams, SCENARIO_DESCRIPTIONS, scenario } from './scenarios.js'

const REQUESTS = 200
const WARMUP = 50

export interface FirstEventResult {
  requests: number
  scenario: string
  /** Caller's first event minus the simulator's first frame write. */
  addedAtFirstEventMs: Summary
  /** Caller's last event minus the simulator's last frame write. */
  addedAtLastEventMs: Summary
  /** From `messages.stream()` to the first event. */
  firstEventMs: Summary
  /** From `messages.stream()` to `message_stop`: when a buffering client would show anything. */
  wholeResponseMs: Summary
  /** Plain fetch: first chunk read minus the simulator's first frame write. */
  floorFirstChunkMs: Summary
  /** Plain fetch: end of body read minus the simulator's last frame write. */
  floorEndMs: Summary
  eventsPerResponse: number
}

const turn = scenario('paced-bulk')
const sim = await createKiroSimulator({ script: () => turn })
const client = new KiroClient({
  baseURL: sim.url,
  credentials: { accessToken: 'bench-token', expiresAt: Date.now() + 3_600_000 },
})

const body = toKiroRequest(benchParams).serialized

/** The frame write times of the one request since the last `sim.clear()`. */
function frameTimes(): { first: number; last: number } {
  const times = sim.generateRequests[0]?.response.frameTimes ?? []
  const first = times[0]
  const last = times.at(-1)
  if (first === undefined || last === undefined) throw new Error('the simulator wrote no frame')
  return { first, last }
}

/** The floor: a plain fetch reading the same response; times of its first chunk and of its end. */
async function viaFetch(): Promise<{ firstAt: number; endAt: number }> {
  const response = await fetch(`${sim.url}/generateAssistantResponse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench-token' },
    body,
  })
  let firstAt = Number.NaN
  for await (const _chunk of chunksOf(response.body)) if (Number.isNaN(firstAt)) firstAt = performance.now()
  return { firstAt, endAt: performance.now() }
}

const floorFirst: number[] = []
const floorEnd: number[] = []
const added: number[] = []
const addedAtEnd: number[] = []
const first: number[] = []
const whole: number[] = []
let eventsPerResponse = 0

for (let i = 0; i < WARMUP + REQUESTS; i++) {
  sim.clear()
  const start = performance.now()
  let firstAt = Number.NaN
  let lastAt = Number.NaN
  let events = 0
  for await (const _event of client.messages.stream(benchParams)) {
    const now = performance.now()
    if (events === 0) firstAt = now
    lastAt = now
    events++
  }
  const frames = frameTimes()
  sim.clear()
  const floor = await viaFetch()
  const floorFrames = frameTimes()
  if (i < WARMUP) continue
  added.push(firstAt - frames.first)
  addedAtEnd.push(lastAt - frames.last)
  first.push(firstAt - start)
  whole.push(lastAt - start)
  floorFirst.push(floor.firstAt - floorFrames.first)
  floorEnd.push(floor.endAt - floorFrames.last)
  eventsPerResponse = events
}

client.close()
await sim.close()

const result: FirstEventResult = {
  requests: REQUESTS,
  scenario: SCENARIO_DESCRIPTIONS['paced-bulk'],
  addedAtFirstEventMs: summarize(added),
  addedAtLastEventMs: summarize(addedAtEnd),
  firstEventMs: summarize(first),
  wholeResponseMs: summarize(whole),
  floorFirstChunkMs: summarize(floorFirst),
  floorEndMs: summarize(floorEnd),
  eventsPerResponse,
}

const row = (name: string, s: Summary) =>
  progress(`  ${name.padEnd(44)} p50 ${fmt(s.p50, 3).padStart(8)} ms   p99 ${fmt(s.p99, 3).padStart(8)} ms`)
progress(`time to first event, ${REQUESTS} requests (${result.scenario}), ${eventsPerResponse} events each`)
row('added at first event (first frame -> loop)', result.addedAtFirstEventMs)
row('added at last event (last frame -> loop)', result.addedAtLastEventMs)
row('plain fetch: first frame -> first chunk', result.floorFirstChunkMs)
row('plain fetch: last frame -> end of body', result.floorEndMs)
row('stream() -> first event', result.firstEventMs)
row('stream() -> message_stop (buffering client)', result.wholeResponseMs)
progress(
  `  first event arrives ${fmt(result.wholeResponseMs.p50 / result.firstEventMs.p50, 1)}x sooner than the whole response (p50); added p50 target < 1 ms: ${verdict(result.addedAtFirstEventMs.p50 < 1)}`,
)
writeResult(result)
