import { writeFileSync } from 'node:fs'

/**
 * Hands a case's figures to `bench/run-all.ts`: it sets `BENCH_RESULT` to a file path when it spawns
 * the case. Run alone, a case only prints.
 */
export function writeResult(result: unknown): void {
  const { BENCH_RESULT: path } = process.env
  if (path) writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`)
}

/** Progress for a person watching; stdout, so run-all can relay it. */
export function progress(line: string): void {
  process.stdout.write(`${line}\n`)
}
