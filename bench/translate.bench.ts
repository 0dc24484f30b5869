/**
 * Translate + serialize the Claude-Code-shaped request (~100 KB) against `JSON.stringify(params)`
 * alone, in the same process. Prints medians of 15 runs and the ratio (target: at most 2.0).
 * Never fails on a time.
 *
 *   npm run bench:translate
 */
import { checkKiroRequest } from '../src/translate/shape-checker.js'
import { toKiroRequest } from '../src/translate/to-kiro-request.js'
import { estimateInputTokens } from '../src/translate/token-estimate.js'
import { buildClaudeCodeParams } from '../test/fixtures/translate/claude-code.js'

const RUNS = 15
const BATCH = 100
const params = buildClaudeCodeParams()
const paramsBytes = JSON.stringify(params).length

/** Microseconds per call of `fn`, over one batch. */
function time(fn: () => unknown): number {
  let sink = 0
  const start = process.hrtime.bigint()
  for (let i = 0; i < BATCH; i++) sink += fn() === undefined ? 0 : 1
  const us = Number(process.hrtime.bigint() - start) / 1000 / BATCH
  if (sink < 0) console.log(sink)
  return us
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] as number

const baseline = () => JSON.stringify(params)
const cases: Array<[string, () => unknown]> = [
  ['toKiroRequest (translate + serialize)', () => toKiroRequest(params).serialized],
  ['  + reading inputTokensEstimate', () => toKiroRequest(params).inputTokensEstimate],
  ['estimateInputTokens alone', () => estimateInputTokens(params)],
  ['checkKiroRequest (simulator side)', () => checkKiroRequest(toKiroRequest(params).body)],
]

// Warm up every path so the JIT has optimised all of them before any measurement.
for (let i = 0; i < 300; i++) {
  baseline()
  for (const [, fn] of cases) fn()
}

// Each run times a baseline batch right before each case's batch, so load that drifts during the
// run (other processes on the machine) hits both sides of every ratio alike.
const base: number[] = []
const results = new Map<string, { us: number[]; ratio: number[] }>(
  cases.map(([name]) => [name, { us: [], ratio: [] }]),
)
for (let run = 0; run < RUNS; run++) {
  for (const [name, fn] of cases) {
    const b = time(baseline)
    const us = time(fn)
    base.push(b)
    const r = results.get(name) as { us: number[]; ratio: number[] }
    r.us.push(us)
    r.ratio.push(us / b)
  }
}

console.log(
  `Claude-Code-shaped request: ${(paramsBytes / 1024).toFixed(1)} KiB of JSON; medians of ${RUNS} runs of ${BATCH} calls`,
)
console.log(
  `${'JSON.stringify(params) (baseline)'.padEnd(40)} ${median(base).toFixed(1).padStart(8)} µs   1.00x`,
)
for (const [name] of cases) {
  const r = results.get(name) as { us: number[]; ratio: number[] }
  console.log(`${name.padEnd(40)} ${median(r.us).toFixed(1).padStart(8)} µs   ${median(r.ratio).toFixed(2)}x`)
}
const ratio = median(results.get(cases[0]![0])?.ratio ?? [])
console.log(`\nratio translate+serialize / JSON.stringify(params): ${ratio.toFixed(2)} (target <= 2.0)`)
