/**
 * Event-stream decoding speed: ours against the AWS SDK's smithy codec, and against a floor that does
 * only the work no decoder can skip (one CRC pass, UTF-8 decode and JSON.parse per message).
 * Run: `npm run bench:eventstream`. Prints medians and ratios; never fails on a time.
 */
import { crc32 } from 'node:zlib'
import { getChunkedStream } from '@smithy/core/event-streams'
import { EventStreamCodec, MessageDecoderStream } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { decodeEventStream, decodeEventStreamBatches } from '../src/eventstream/decode-stream.js'
import { EventStreamDecoder } from '../src/eventstream/decoder.js'
import { crcBySize } from './eventstream/crc-sizes.js'
import { chunk, kiroStream } from './eventstream/kiro-stream.js'

const MESSAGES = 5_000
const CHUNK_SIZE = 16 * 1024
const ROUNDS = 9
const PASSES = 8

const { bytes, messages } = kiroStream(MESSAGES)
const chunks = chunk(bytes, CHUNK_SIZE)
const text = new TextDecoder()

async function* asAsync(list: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const item of list) yield item
}

/** Message and payload offsets, found once, so the floor does nothing but the per-message work. */
const frames: number[] = []
for (let at = 0; at < bytes.length; ) {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at)
  const total = view.getUint32(0)
  frames.push(at, at + 12 + view.getUint32(4), at + total)
  at += total
}

type Run = () => number | Promise<number>

/** Keeps the floor's CRC results alive. */
let sink = 0

const runs: Record<string, Run> = {
  'floor: crc32 + TextDecoder + JSON.parse': () => {
    let sum = 0
    for (let i = 0; i < frames.length; i += 3) {
      const start = frames[i]!
      const payload = frames[i + 1]!
      const end = frames[i + 2]!
      sink ^= crc32(bytes.subarray(start, end - 4))
      sum += JSON.parse(text.decode(bytes.subarray(payload, end - 4))) === null ? 0 : 1
    }
    return sum
  },
  'ours: push, decode only': () => {
    const decoder = new EventStreamDecoder()
    let sum = 0
    for (const piece of chunks) sum += decoder.push(piece).length
    decoder.end()
    return sum
  },
  'ours: push + TextDecoder + JSON.parse': () => {
    const decoder = new EventStreamDecoder()
    let sum = 0
    for (const piece of chunks) {
      for (const message of decoder.push(piece))
        sum += JSON.parse(text.decode(message.payload)) === null ? 0 : 1
    }
    decoder.end()
    return sum
  },
  'ours: decodeEventStreamBatches + parse': async () => {
    let sum = 0
    for await (const batch of decodeEventStreamBatches(asAsync(chunks))) {
      for (const message of batch) sum += JSON.parse(text.decode(message.payload)) === null ? 0 : 1
    }
    return sum
  },
  'ours: decodeEventStream + parse': async () => {
    let sum = 0
    for await (const message of decodeEventStream(asAsync(chunks))) {
      sum += JSON.parse(text.decode(message.payload)) === null ? 0 : 1
    }
    return sum
  },
  'smithy: chunked stream + codec + parse': async () => {
    // As the SDK's EventStreamMarshaller.deserialize wires it, minus the shape deserializer.
    const codec = new EventStreamCodec(toUtf8, fromUtf8)
    const stream = new MessageDecoderStream({
      inputStream: getChunkedStream(asAsync(chunks)),
      decoder: codec,
    })
    let sum = 0
    for await (const message of stream) sum += JSON.parse(toUtf8(message.body)) === null ? 0 : 1
    return sum
  },
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

async function time(run: Run): Promise<number> {
  const started = performance.now()
  for (let pass = 0; pass < PASSES; pass++) {
    if ((await run()) !== messages) throw new Error('a run did not see every message')
  }
  return (performance.now() - started) / PASSES
}

const samples = new Map<string, number[]>(Object.keys(runs).map((name) => [name, []]))
for (const run of Object.values(runs)) await time(run) // warm up every path before measuring any
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, so drift in machine load hits every contender alike.
  for (const [name, run] of Object.entries(runs)) samples.get(name)!.push(await time(run))
}

if (sink === 0.5) console.log('unreachable')
const ms = (name: string): number => median(samples.get(name)!)
console.log(
  `${messages} Kiro-shaped messages, ${bytes.length} bytes (${(bytes.length / messages).toFixed(0)} B/message), ` +
    `${chunks.length} chunks of ${CHUNK_SIZE / 1024} KiB; median of ${ROUNDS} runs x ${PASSES} passes; node ${process.version}`,
)
console.log(`${'path'.padEnd(42)} ${'ms/pass'.padStart(8)} ${'MB/s'.padStart(8)} ${'ns/msg'.padStart(8)}`)
for (const name of Object.keys(runs)) {
  const t = ms(name)
  const mbs = bytes.length / 1e6 / (t / 1e3)
  console.log(
    `${name.padEnd(42)} ${t.toFixed(2).padStart(8)} ${mbs.toFixed(0).padStart(8)} ${((t * 1e6) / messages).toFixed(0).padStart(8)}`,
  )
}
const ours = ms('ours: push + TextDecoder + JSON.parse')
const oursAsync = ms('ours: decodeEventStreamBatches + parse')
const smithy = ms('smithy: chunked stream + codec + parse')
const floor = ms('floor: crc32 + TextDecoder + JSON.parse')
console.log(`smithy / ours (push)    = ${(smithy / ours).toFixed(1)}x faster   (target >= 6)`)
console.log(`smithy / ours (batches) = ${(smithy / oursAsync).toFixed(1)}x faster`)
console.log(`ours (push) / floor     = ${(ours / floor).toFixed(2)}x the floor (target <= 1.8)`)
console.log(`ours (batches) / floor  = ${(oursAsync / floor).toFixed(2)}x the floor`)
console.log(crcBySize(7).join('\n'))
