import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ScriptRun {
  /** 0 when the script succeeded. */
  code: number
  /** Everything it printed on stdout, as printed. */
  stdout: string
  /** The last lines of stderr (for a failure's report). */
  stderrTail: string
  /** What it handed over with writeResult(), if anything. */
  result: unknown
  seconds: number
}

/**
 * Runs a TypeScript benchmark in a fresh Node process (`--expose-gc --import tsx`), relaying its
 * output line by line behind `prefix`, and collects the result it writes to `BENCH_RESULT`.
 */
export async function runScript(script: string, prefix: string): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), 'kiro-bench-'))
  const resultFile = join(dir, 'result.json')
  const started = performance.now()
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script], {
    env: { ...process.env, BENCH_RESULT: resultFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const relay = (chunk: Buffer, into: 'out' | 'err') => {
    const text = chunk.toString('utf8')
    if (into === 'out') stdout += text
    else stderr += text
    for (const line of text.split('\n')) if (line.length > 0) process.stdout.write(`${prefix}${line}\n`)
  }
  child.stdout.on('data', (chunk: Buffer) => relay(chunk, 'out'))
  child.stderr.on('data', (chunk: Buffer) => relay(chunk, 'err'))
  const code = await new Promise<number>((resolve) => child.once('close', (exit) => resolve(exit ?? 1)))
  let result: unknown
  try {
    result = JSON.parse(readFileSync(resultFile, 'utf8')) as unknown
  } catch {
    result = undefined
  }
  rmSync(dir, { recursive: true, force: true })
  return {
    code,
    stdout,
    stderrTail: stderr.split('\n').slice(-15).join('\n'),
    result,
    seconds: (performance.now() - started) / 1000,
  }
}
