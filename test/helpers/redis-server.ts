import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { access, constants, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/** A real `redis-server` on a free loopback port, in its own temp dir, with no persistence. */
export interface RedisServer {
  readonly port: number
  readonly url: string
  readonly pid: number | undefined
  /** SIGKILLs the server (a crash): clients see the connection drop. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty: nothing is persisted). */
  start(): Promise<void>
  /** Stops it and removes its directory. */
  close(): Promise<void>
}

const INSTALL_HINT =
  'The Redis tests need a real redis-server: install it with `apt-get install -y redis-server` ' +
  '(or set REDIS_SERVER to its path). These tests are never skipped.'

/** Finds `redis-server`: `$REDIS_SERVER`, /usr/bin/redis-server, then the PATH. Throws loudly when missing. */
export async function findRedisServer(): Promise<string> {
  const candidates = [
    process.env['REDIS_SERVER'],
    '/usr/bin/redis-server',
    ...(process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
  ].filter((path): path is string => path !== undefined && path !== '')
  for (const path of candidates) {
    try {
      await access(path, constants.X_OK)
      return path
    } catch {}
  }
  throw new Error(
    `redis-server not found (looked at ${candidates.slice(0, 2).join(', ')} and the PATH). ${INSTALL_HINT}`,
  )
}

async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  server.close()
  await once(server, 'close')
  return port
}

/** Starts a redis-server for one test file; call `close()` in `afterAll`. */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = await findRedisServer()
  const dir = await mkdtemp(join(tmpdir(), 'kiro-redis-'))
  let child: ChildProcess | undefined
  let port = 0

  const launch = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      '--logfile',
      '',
    ]
    const started = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    started.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
    })
    const exited = once(started, 'exit').then(([code]) => {
      throw new Error(
        `redis-server exited with ${String(code)} before accepting connections: ${output.trim()}`,
      )
    })
    exited.catch(() => {})
    await Promise.race([waitForPort(port), exited])
    child = started
  }

  const startOnFreePort = async (): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      port = await freePort()
      try {
        await launch()
        return
      } catch (error) {
        // Another process may have taken the port between probing and binding: try another.
        if (attempt >= 5) throw error
      }
    }
  }

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const exited = once(running, 'exit')
    running.kill(signal)
    await exited
  }

  await startOnFreePort()
  return {
    get port() {
      return port
    },
    get url() {
      return `redis://127.0.0.1:${port}`
    },
    get pid() {
      return child?.pid
    },
    kill: () => stop('SIGKILL'),
    start: async () => {
      if (child === undefined) await launch()
    },
    close: async () => {
      await stop('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Resolves once the server on the port answers PING (redis-server is then ready). */
async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net')
  for (let attempt = 0; attempt < 200; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      let answer = ''
      socket.setEncoding('utf8')
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.on('data', (chunk: string) => {
        answer += chunk
        if (answer.includes('\r\n')) {
          socket.destroy()
          resolve(answer.startsWith('+PONG'))
        }
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`redis-server did not answer PING on port ${port} within 5 s`)
}
