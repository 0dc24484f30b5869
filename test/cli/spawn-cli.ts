import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Time for a test or hook that spawns the CLI `runs` times, one after another. Each run starts
 * Node and compiles the sources with tsx, which takes a second on an idle machine and many more
 * on one shared with other test runs; the limit only stops a hung test, so it is generous.
 */
export function spawnTimeout(runs = 1): number {
  return 30_000 + runs * 30_000
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `kiro-client …` from source in a child process, as `npm run demo` does. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = process.env, input = ''): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
    cwd: ROOT,
    env: { ...env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin?.end(input)
  return child
}

/** Runs a command to completion. */
export async function runCli(args: string[], env?: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  const child = spawnCli(args, env, input)
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const [code] = (await once(child, 'close')) as [number | null]
  return { code, stdout, stderr }
}

/** Resolves with the first match of `pattern` in the child's stdout (rejects if it exits first). */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = ''
    let errors = ''
    const onData = (chunk: string) => {
      seen += chunk
      const match = pattern.exec(seen)
      if (match) {
        child.stdout?.off('data', onData)
        child.off('close', onClose)
        resolve(match)
      }
    }
    const onClose = (code: number | null) =>
      reject(new Error(`kiro-client exited (${code}) before printing ${pattern}: ${seen}${errors}`))
    child.stdout?.setEncoding('utf8').on('data', onData)
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      errors += chunk
    })
    child.once('close', onClose)
  })
}

/** An environment with no Kiro login in it: a fresh HOME and none of the KIRO_* variables. */
export function envWithHome(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('KIRO_') && !name.startsWith('XDG_')) env[name] = value
  }
  return { ...env, HOME: home, USERPROFILE: home, ...extra }
}
