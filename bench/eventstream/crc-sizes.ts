import { crc32 } from 'node:zlib'
import { crc32Range } from '../../src/eventstream/crc32.js'

let sink = 0

function nsPerCall(run: (i: number) => number, calls: number): number {
  const started = performance.now()
  for (let i = 0; i < calls; i++) sink ^= run(i)
  return ((performance.now() - started) * 1e6) / calls
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!

/**
 * The decoder hashes messages under 256 bytes in JS and larger ones with zlib's native crc32; this
 * prints both per size so the crossover can be re-checked on the machine at hand.
 */
export function crcBySize(rounds: number): string[] {
  const bytes = new Uint8Array(16 * 1024).map((_, i) => (i * 2654435761) >>> 24)
  const lines = ['message CRC by size (ns per message): JS crc32Range vs zlib.crc32 on a fresh view']
  for (const size of [64, 128, 192, 256, 384, 512, 1024, 4096]) {
    const calls = Math.max(2000, Math.floor(2e7 / (size + 300)))
    const js: number[] = []
    const native: number[] = []
    for (let round = 0; round < rounds; round++) {
      js.push(nsPerCall((i) => crc32Range(bytes, i & 4095, (i & 4095) + size), calls))
      native.push(nsPerCall((i) => crc32(new Uint8Array(bytes.buffer, i & 4095, size)), calls))
    }
    const [a, b] = [median(js), median(native)]
    lines.push(
      `  ${String(size).padStart(5)} B   js ${a.toFixed(0).padStart(6)}   zlib ${b.toFixed(0).padStart(6)}   js/zlib ${(a / b).toFixed(2)}`,
    )
  }
  if (sink === 0.5) lines.push('')
  return lines
}
