/**
 * Event-mapping speed: the 5,000-message Kiro stream decoded and mapped to Anthropic events, against
 * the same stream decoded only (the decoder plus one UTF-8 decode and JSON.parse per payload, the
 * work the mapper itself must also do). Run: `npm run bench:stream`. Prints medians and the ratio;
 * never fails on a time. Target: mapping adds at most 50% to decode time (ratio <= 1.5).
 *
 * Both wall time and process CPU time are sampled: on a busy machine the CPU-time ratio is the
 * steadier of the two.
 */
import { EventStreamDecoder } from '../src/eventstream/decoder.js'
import { KiroEventMapper } from '../src/mapper/event-mapper.js'
import { MessageAccumulator } from '../src/stream/accumulate.js'
import { chunk, kiroStream } from './eventstream/kiro-stream.js'

const MESSAGES = 5_000
const CHUNK_SIZE = 16 * 1024
const ROUNDS = 9
const PASSES = 8

const { bytes, messages } = kiroStream(MESSAGES)
const chunks = chunk(bytes, CHUNK_SIZE)
const text = new TextDecoder()
const options = { model: 'claude-sonnet-4-5', contextWindow: 200_000, inputTokensEstimate: 1000 }

/** Each run returns what it produced, so the work cannot be optimised away. */
type Run = () => number

const runs: Record<string, Run> = {
  'decode + JSON.parse (baseline)': () => {
    const decoder = new EventStreamDecoder()
    let sum = 0
    for (const piece of chunks) {
      for (const message of decoder.push(piece))
        sum += JSON.parse(text.decode(message.payload)) === null ? 0 : 1
    }
    decoder.end()
    return sum
  },
  'decode + map': () => {
    const decoder = new EventStreamDecoder()
    const mapper = new KiroEventMapper(options)
    let events = 0
    for (const piece of chunks) {
      for (const message of decoder.push(piece)) events += mapper.push(message).length
    }
    decoder.end()
    return events + mapper.finish().length
  },
  'decode + map + accumulate (create())': () => {
    const decoder = new EventStreamDecoder()
    const mapper = new KiroEventMapper(options)
    const accumulator = new MessageAccumulator()
    let events = 0
    for (const piece of chunks) {
      for (const message of decoder.push(piece)) {
        for (const event of mapper.push(message)) {
          accumulator.push(event)
          events++
        }
      }
    }
    decoder.end()
    for (const event of mapper.finish()) {
      accumulator.push(event)
      events++
    }
    return events
  },
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

const produced = new Map<string, number>()
/** Milliseconds per pass: wall time and process CPU time. */
function time(name: string, run: Run): [number, number] {
  const cpu = process.cpuUsage()
  const started = performance.now()
  for (let pass = 0; pass < PASSES; pass++) produced.set(name, run())
  const wall = (performance.now() - started) / PASSES
  const used = process.cpuUsage(cpu)
  return [wall, (used.user + used.system) / 1000 / PASSES]
}

const wallSamples = new Map<string, number[]>(Object.keys(runs).map((name) => [name, []]))
const cpuSamples = new Map<string, number[]>(Object.keys(runs).map((name) => [name, []]))
for (const [name, run] of Object.entries(runs)) time(name, run) // warm up every path before measuring any
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, so drift in machine load hits every contender alike.
  for (const [name, run] of Object.entries(runs)) {
    const [wall, cpu] = time(name, run)
    wallSamples.get(name)!.push(wall)
    cpuSamples.get(name)!.push(cpu)
  }
}

const ms = (name: string): number => median(wallSamples.get(name)!)
const cpuMs = (name: string): number => median(cpuSamples.get(name)!)
console.log(
  `${messages} Kiro messages, ${bytes.length} bytes in ${chunks.length} chunks of ${CHUNK_SIZE / 1024} KiB; ` +
    `median of ${ROUNDS} runs x ${PASSES} passes; node ${process.version}`,
)
console.log(
  `${'path'.padEnd(38)} ${'wall ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'items'.padStart(6)} ${'items/s (wall)'.padStart(15)}`,
)
for (const name of Object.keys(runs)) {
  const t = ms(name)
  const items = produced.get(name) ?? 0
  const perSecond = Math.round(items / (t / 1e3)).toLocaleString('en-US')
  console.log(
    `${name.padEnd(38)} ${t.toFixed(2).padStart(8)} ${cpuMs(name).toFixed(2).padStart(8)} ${String(items).padStart(6)} ${perSecond.padStart(15)}`,
  )
}
console.log('(items: messages parsed for the baseline, Anthropic events produced for the others)')
const ratio = (name: string, of: (n: string) => number) =>
  (of(name) / of('decode + JSON.parse (baseline)')).toFixed(2)
console.log(
  `decode + map / decode:              wall ${ratio('decode + map', ms)}x, cpu ${ratio('decode + map', cpuMs)}x  (target <= 1.50)`,
)
console.log(
  `decode + map + accumulate / decode: wall ${ratio('decode + map + accumulate (create())', ms)}x, cpu ${ratio('decode + map + accumulate (create())', cpuMs)}x`,
)
