import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ScenarioName } from './scenarios.js'

export interface RemoteSimulator {
  readonly url: string
  close(): Promise<void>
}

const entry = fileURLToPath(new URL('./sim-process.ts', import.meta.url))

/** Starts the simulator in a child process and resolves with its URL once it listens. */
export function startRemoteSimulator(defaultScenario: ScenarioName): Promise<RemoteSimulator> {
  const child = fork(entry, [defaultScenario], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`simulator process exited early (${code})`)))
    child.once('message', (message) => {
      const { url } = message as { url: string }
      child.removeAllListeners('exit')
      resolve({
        url,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done()
            child.once('exit', () => done())
            child.send('close')
          }),
      })
    })
  })
}
