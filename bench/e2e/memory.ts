/**
 * Case 5, memory for a big response: 10 MiB and 50 MiB of answer text, each read five times, each
 * time in a fresh process, along three paths: the client (`messages.stream()` iterated, which also builds the final message),
 * the client's streaming pipeline without the message (fetch, decoder, event mapper), and a plain
 * fetch that drains the bytes. Peak RSS over the process's RSS before the request shows whether
 * memory follows the chunk size or the response size. The simulator runs in its own process.
 *
 *   node --import tsx bench/e2e/memory.ts
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { chunksOf } from '../lib/body.js'
import { progress, writeResult } from '../lib/result.js'
import { deltaMib, fmt, mib } from '../lib/stats.js'
import type { MemoryPath, MemoryRun } from './memory-run.js'
import { startRemoteSimulator } from './remote-simulator.js'
import { SCENARIO_DESCRIPTIONS, SCENARIO_HEADER, type ScenarioName } from './scenarios.js'

export interface MemoryResult {
  /** Per path and size, the run with the median RSS growth, and the growth of every run. */
  runs: Array<MemoryRun & { rssGrowths: number[] }>
  scenarios: Record<string, string>
}

const SIZES: ScenarioName[] = ['big-10', 'big-50']
const PATHS: MemoryPath[] = ['client', 'pipeline', 'fetch']
// RSS moves by several MiB from one process to the next (V8 sizes its young generation by the
// allocation rate): the median of five fresh processes is the figure.
const REPEATS = 5
const worker = fileURLToPath(new URL('./memory-run.ts', import.meta.url))
const run = promisify(execFile)

const sim = await startRemoteSimulator('bulk')
// Build the big turns in the simulator before any measurement (it encodes them once).
for (const size of SIZES) {
  const response = await fetch(`${sim.url}/generateAssistantResponse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SCENARIO_HEADER]: size },
    body: '{"conversationState":{"chatTriggerType":"MANUAL","currentMessage":{"userInputMessage":{"content":"x"}}}}',
  })
  for await (const _chunk of chunksOf(response.body));
}

const dir = mkdtempSync(join(tmpdir(), 'kiro-bench-memory-'))
/** One measurement in a fresh process. */
async function measure(path: MemoryPath, size: ScenarioName): Promise<MemoryRun> {
  const file = join(dir, `${path}-${size}.json`)
  await run(process.execPath, ['--expose-gc', '--import', 'tsx', worker], {
    env: { ...process.env, SIM_URL: sim.url, BENCH_PATH: path, BENCH_SCENARIO: size, BENCH_RESULT: file },
    maxBuffer: 16 * 1024 * 1024,
  })
  return JSON.parse(readFileSync(file, 'utf8')) as MemoryRun
}

const growth = (run: MemoryRun) => run.rssPeak - run.rssBefore
const runs: MemoryResult['runs'] = []
try {
  for (const path of PATHS) {
    for (const size of SIZES) {
      const repeats: MemoryRun[] = []
      for (let i = 0; i < REPEATS; i++) repeats.push(await measure(path, size))
      repeats.sort((a, b) => growth(a) - growth(b))
      const measured = repeats[Math.floor(REPEATS / 2)] as MemoryRun
      runs.push({ ...measured, rssGrowths: repeats.map(growth) })
      progress(
        `  ${path.padEnd(8)} ${size}: RSS ${mib(measured.rssBefore)} -> peak ${mib(measured.rssPeak)} (${deltaMib(growth(measured))}; runs: ${repeats.map((r) => deltaMib(growth(r))).join(', ')}), heap peak ${deltaMib(measured.heapPeak - measured.heapBefore)}, retained ${deltaMib(measured.heapRetained)}, ArrayBuffers peak ${deltaMib(measured.arrayBuffersPeak - measured.arrayBuffersBefore)}, ${fmt(measured.seconds)} s`,
      )
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
  await sim.close()
}

const result: MemoryResult = {
  runs,
  scenarios: Object.fromEntries(SIZES.map((size) => [size, SCENARIO_DESCRIPTIONS[size]])),
}
writeResult(result)
