import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listen } from '../../src/cli/serve/listen.js'
import { shutDown } from '../../src/cli/serve/shutdown.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createNodeHandler } from '../../src/server/node.js'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'
import { envWithHome, spawnCli, spawnTimeout, waitForOutput } from './spawn-cli.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** The serve steps over a simulator: a real node server on loopback with serve's limits. */
async function served(): Promise<{
  sim: KiroSimulator
  url: string
  stop: (deadlineMs: number) => Promise<number>
}> {
  const sim = await createKiroSimulator()
  const client = new KiroClient({
    baseURL: sim.url,
    credentials: { accessToken: 'shutdown-token-0001' },
    maxRetries: 0,
  })
  const closing = new AbortController()
  const { server, url } = await listen(createNodeHandler(client, { closeSignal: closing.signal }), {
    host: '127.0.0.1',
    port: 0,
    tls: undefined,
    maxConnections: 16,
    headersTimeoutMs: 5_000,
    requestTimeoutMs: 10_000,
    keepAliveTimeoutMs: 5_000,
    idleTimeoutMs: 60_000,
  })
  cleanups.push(
    () => sim.close(),
    () => client.close(),
    () => {
      server.closeAllConnections()
      server.close()
    },
  )
  return { sim, url, stop: (deadlineMs) => shutDown(server, closing, deadlineMs) }
}

function streamRequest(url: string): Promise<Response> {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'Hello' }],
    }),
  })
}

describe('graceful shutdown', () => {
  it('lets a running stream finish within the deadline, and takes no new connection', async () => {
    const { sim, url, stop } = await served()
    sim.enqueue([{ text: 'One ' }, { delayMs: 150 }, { text: 'two ' }, { delayMs: 150 }, { text: 'three.' }])
    const response = await streamRequest(url)
    expect(response.status).toBe(200)
    const stopped = stop(10_000)
    const text = await response.text()
    expect(text).toContain('event: message_stop')
    expect(text).not.toContain('event: error')
    expect(await stopped).toBe(0)
    await expect(fetch(`${url}/api/hello`)).rejects.toThrow()
  })

  it('past the deadline, ends a stream with a retryable error frame rather than cutting it', async () => {
    const { sim, url, stop } = await served()
    sim.enqueue([{ text: 'Partial ' }, { stall: true }])
    const response = await streamRequest(url)
    expect(response.status).toBe(200)
    const left = await stop(200)
    const text = await response.text()
    expect(left).toBe(1)
    expect(text).toContain('Partial ')
    const frames = text.trim().split('\n\n')
    expect(frames.at(-1)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"The server is shutting down; retry the request."}}',
    )
  })
})

describe('kiro-client serve on SIGINT (child process)', () => {
  it('past --shutdown-timeout, a request still waiting for Kiro gets a retryable 503, not a cut, and the process exits 0', {
    timeout: spawnTimeout(),
  }, async () => {
    // Kiro never answers: the outbound proxy takes the tunnel request and says nothing back.
    const sockets = new Set<Socket>()
    let tunnelAsked: () => void = () => {}
    const asked = new Promise<void>((resolve) => {
      tunnelAsked = resolve
    })
    const silent = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.once('data', () => tunnelAsked())
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const home = await mkdtemp(join(tmpdir(), 'kiro-sigint-'))
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy()
      silent.close()
      await rm(home, { recursive: true, force: true })
    })
    const child = spawnCli(
      ['serve', '--port', '0', '--shutdown-timeout', '500'],
      envWithHome(home, {
        KIRO_ACCESS_TOKEN: 'sigint-test-token-0001',
        HTTPS_PROXY: `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
      }),
    )
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL')
    })
    const url = (await waitForOutput(child, /listening on (http:\/\/\S+)/))[1]!
    const answer = streamRequest(url)
    await asked
    const closed = once(child, 'close')
    child.kill('SIGINT')
    const response = await answer
    const body = await response.text()
    // Kiro had not answered: a whole 503 that the SDKs retry, never a reset socket.
    expect(response.status).toBe(503)
    expect(response.headers.get('connection')).toBe('close')
    expect(JSON.parse(body)).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'The server is shutting down; retry the request.' },
    })
    const [code] = (await closed) as [number | null]
    expect(code).toBe(0)
    expect(stderr).toContain('stopping; running answers have 500 ms to finish')
    expect(stderr).toContain('stopped (1 connection(s) ended at the deadline)')
    expect(stderr).toMatch(/POST \/v1\/messages 503 \d+ ms claude-sonnet-4-6 overloaded_error req_/)
  })
})
