import { type ChildProcess, spawn } from 'node:child_process'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { KiroSimulator } from '../../src/testing/simulator.js'
import type { WorkerConfig, WorkerMessage } from './worker.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface Worker {
  readonly pid: number
  readonly child: ChildProcess
  readonly messages: WorkerMessage[]
  /** Resolves with the first message matching `match` (already received or to come). */
  next(match: (message: WorkerMessage) => boolean): Promise<WorkerMessage>
  send(line: 'go' | 'stop'): void
  /** The final report; rejects if the process exits without one. */
  done(): Promise<Extract<WorkerMessage, { type: 'done' }>>
}

/** Starts one worker process (node + tsx running test/multiprocess/worker.ts) and waits until it is ready. */
export async function startWorker(config: WorkerConfig): Promise<Worker> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/multiprocess/worker.ts', JSON.stringify(config)],
    {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const messages: WorkerMessage[] = []
  const waiters: Array<{ match: (m: WorkerMessage) => boolean; resolve: (m: WorkerMessage) => void }> = []
  let exited = false
  const failures: Array<(error: Error) => void> = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let message: WorkerMessage
    try {
      message = JSON.parse(line) as WorkerMessage
    } catch {
      return
    }
    messages.push(message)
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(message)
      }
    }
  })
  child.once('exit', (code, signal) => {
    exited = true
    // Let the last stdout lines arrive before failing waiters.
    setTimeout(() => {
      const error = new Error(`worker exited (${code ?? signal}) ${stderr.slice(-2000)}`)
      for (const fail of failures.splice(0)) fail(error)
    }, 50)
  })
  const next = (match: (m: WorkerMessage) => boolean) =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const seen = messages.find(match)
      if (seen !== undefined) return resolve(seen)
      if (exited) return reject(new Error(`worker already exited ${stderr.slice(-2000)}`))
      waiters.push({ match, resolve })
      failures.push(reject)
    })
  const ready = (await next((m) => m.type === 'ready')) as Extract<WorkerMessage, { type: 'ready' }>
  return {
    pid: ready.pid,
    child,
    messages,
    next,
    send: (line) => child.stdin?.write(`${line}\n`),
    done: () => next((m) => m.type === 'done') as Promise<Extract<WorkerMessage, { type: 'done' }>>,
  }
}

/** Kills every worker still running. */
export function killAll(workers: readonly Worker[]): void {
  for (const worker of workers) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL')
  }
}

export interface RefreshRelay {
  /** The social refresh endpoint for the workers. */
  readonly url: string
  /** Every refresh call received: which process sent it and what became of it. */
  readonly calls: Array<{ pid: number; outcome: 'forwarded' | 'held' }>
  /** Resolves when the `n`-th call arrives. */
  received(n: number): Promise<void>
  close(): Promise<void>
}

/**
 * A loopback refresh endpoint in front of the simulator's: counts calls and the process that made
 * each, and can hold calls unanswered (as a refresh still in flight when its process is killed).
 */
export async function startRefreshRelay(
  simulator: KiroSimulator,
  options: { hold?: (index: number) => boolean } = {},
): Promise<RefreshRelay> {
  const calls: RefreshRelay['calls'] = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  const held: ServerResponse[] = []
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const index = calls.length
    const hold = options.hold?.(index) === true
    calls.push({ pid: Number(request.headers['x-worker-pid']), outcome: hold ? 'held' : 'forwarded' })
    for (const waiter of waiters.filter((w) => calls.length >= w.n)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
    if (hold) {
      held.push(response)
      return
    }
    const answer = await fetch(simulator.refreshUrls.social, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat(chunks),
    })
    response.writeHead(answer.status, { 'content-type': 'application/json' })
    response.end(await answer.text())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/refreshToken`,
    calls,
    received: (n) =>
      calls.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    close: async () => {
      for (const response of held) response.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
