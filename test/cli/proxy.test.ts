import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createKiroSimulator } from '../../src/testing/simulator.js'
import { startConnectProxy } from '../transport/connect-proxy.js'
import { envWithHome, spawnCli, spawnTimeout, waitForOutput } from './spawn-cli.js'

/**
 * A CONNECT proxy that records each tunnel it is asked for and refuses it: enough to see where the
 * CLI sends its traffic without reaching the network.
 */
async function refusingProxy(): Promise<{
  url: string
  targets: string[]
  connected: Promise<string>
  server: Server
}> {
  const targets: string[] = []
  let first: (target: string) => void = () => {}
  const connected = new Promise<string>((resolve) => {
    first = resolve
  })
  const server = createServer((socket) => {
    socket.once('data', (chunk) => {
      const target = /^CONNECT (\S+) HTTP\/1\.1/.exec(chunk.toString('latin1'))?.[1] ?? '(not a CONNECT)'
      targets.push(target)
      first(target)
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
    })
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, targets, connected, server }
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setupCli() {
  const home = await mkdtemp(join(tmpdir(), 'kiro-proxy-'))
  const proxy = await refusingProxy()
  cleanups.push(async () => {
    proxy.server.close()
    await rm(home, { recursive: true, force: true })
  })
  // A static login: no refresh, so the first network call is the Kiro request itself.
  const env = envWithHome(home, { KIRO_ACCESS_TOKEN: 'cli-proxy-test-token', HTTPS_PROXY: proxy.url })
  return { env, proxy }
}

function stop(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null) return Promise.resolve()
  child.kill('SIGTERM')
  return once(child, 'close')
}

describe('the CLI honours HTTPS_PROXY', () => {
  it('chat sends its Kiro request through the proxy', { timeout: spawnTimeout() }, async () => {
    const { env, proxy } = await setupCli()
    const child = spawnCli(['chat', 'hello'], env)
    cleanups.push(() => stop(child).then(() => {}))
    expect(await proxy.connected).toBe('q.us-east-1.amazonaws.com:443')
  })

  it('serve sends the upstream request of a client call through the proxy', {
    timeout: spawnTimeout(),
  }, async () => {
    const { env, proxy } = await setupCli()
    const child = spawnCli(['serve', '--port', '0'], env)
    cleanups.push(() => stop(child).then(() => {}))
    const url = (await waitForOutput(child, /listening on (http:\/\/\S+)/))[1]!
    const controller = new AbortController()
    const answer = fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
      }),
      signal: controller.signal,
    }).catch(() => undefined)
    expect(await proxy.connected).toBe('q.us-east-1.amazonaws.com:443')
    controller.abort()
    await answer
  })
})

describe('serve through a real CONNECT proxy (HTTP_PROXY), and NO_PROXY', () => {
  /**
   * serve refreshes an expired login at startup, before it listens: with the token endpoint on a
   * local simulator, that refresh is upstream traffic the test can follow without the network.
   */
  async function refreshAtStartup(proxyEnv: Record<string, string>) {
    const home = await mkdtemp(join(tmpdir(), 'kiro-proxy-'))
    const sim = await createKiroSimulator({
      tokens: { accessToken: 'expired-access-0001', refreshToken: 'refresh-token-through-proxy-0001' },
    })
    const relay = await startConnectProxy()
    cleanups.push(async () => {
      await relay.close()
      await sim.close()
      await rm(home, { recursive: true, force: true })
    })
    const env = envWithHome(home, {
      KIRO_ACCESS_TOKEN: 'expired-access-0001',
      KIRO_REFRESH_TOKEN: 'refresh-token-through-proxy-0001',
      KIRO_EXPIRES_AT: new Date(Date.now() - 60_000).toISOString(),
      // An external identity provider login: the one whose token endpoint a variable can set.
      KIRO_CLIENT_ID: 'proxy-test-client',
      KIRO_TOKEN_ENDPOINT: sim.refreshUrls.externalIdp,
      HTTP_PROXY: relay.url,
      ...proxyEnv,
    })
    const child = spawnCli(['serve', '--port', '0'], env)
    cleanups.push(() => stop(child).then(() => {}))
    await waitForOutput(child, /listening on (http:\/\/\S+)/)
    return { relay, sim }
  }

  it('the token refresh goes through the proxy', { timeout: spawnTimeout() }, async () => {
    const { relay, sim } = await refreshAtStartup({})
    expect(sim.refreshRequests).toHaveLength(1)
    expect(relay.targets).toEqual([new URL(sim.url).host])
  })

  it('a host listed in NO_PROXY is reached directly', { timeout: spawnTimeout() }, async () => {
    const { relay, sim } = await refreshAtStartup({ NO_PROXY: 'localhost,127.0.0.1' })
    expect(sim.refreshRequests).toHaveLength(1)
    expect(relay.targets).toEqual([])
  })
})
