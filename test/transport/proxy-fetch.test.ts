import { afterEach, describe, expect, it } from 'vitest'
import { checkAccountOptions } from '../../src/accounts/account-options.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { createKiroSimulator } from '../../src/testing/simulator.js'
import { createProxyFetch, envProxyFetch, proxyEnvironment } from '../../src/transport/proxy-fetch.js'
import { params, rejectionOf, setup } from '../client/helpers.js'
import { startConnectProxy } from './connect-proxy.js'

const proxies: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close()
})

async function proxy(options?: Parameters<typeof startConnectProxy>[0]) {
  const started = await startConnectProxy(options)
  proxies.push(started)
  return started
}

function hostOf(url: string): string {
  return new URL(url).host
}

describe('outbound proxy', () => {
  it('createProxyFetch tunnels the Kiro traffic through the proxy', async () => {
    const relay = await proxy()
    const { sim, client } = await setup({ fetch: createProxyFetch(relay.url) })
    sim.enqueue([{ text: 'through the proxy' }])
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'through the proxy' })
    expect(relay.targets).toEqual([hostOf(sim.url)])
    expect(sim.generateRequests).toHaveLength(1)
  })

  it('HTTP_PROXY is honoured, and NO_PROXY bypasses it', async () => {
    const relay = await proxy()
    const proxied = await setup({ fetch: envProxyFetch({ HTTP_PROXY: relay.url }) })
    proxied.sim.enqueue([{ text: 'proxied' }])
    await proxied.client.messages.create(params)
    expect(relay.targets).toEqual([hostOf(proxied.sim.url)])

    const direct = await setup({
      fetch: envProxyFetch({ HTTP_PROXY: relay.url, NO_PROXY: 'localhost,127.0.0.1' }),
    })
    direct.sim.enqueue([{ text: 'direct' }])
    const message = await direct.client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'direct' })
    expect(relay.targets).toHaveLength(1)
    expect(direct.sim.generateRequests).toHaveLength(1)
  })

  it('a NO_PROXY entry with a port only bypasses that port', async () => {
    const relay = await proxy()
    const { sim, client } = await setup((simulator) => ({
      fetch: envProxyFetch({
        http_proxy: relay.url,
        no_proxy: `127.0.0.1:${Number(new URL(simulator.url).port) + 1}`,
      }),
    }))
    sim.enqueue([{ text: 'proxied' }])
    await client.messages.create(params)
    expect(relay.targets).toEqual([hostOf(sim.url)])
  })

  it('token refreshes go through the proxy too', async () => {
    const relay = await proxy()
    // The refresh endpoint on a second simulator: its own host:port, so its own tunnel.
    const refresher = await createKiroSimulator({
      tokens: { accessToken: 'old', refreshToken: 'rt-1234567' },
    })
    proxies.push(refresher)
    const { sim, client } = await setup({
      fetch: createProxyFetch(relay.url),
      credentials: {
        accessToken: 'old',
        refreshToken: 'rt-1234567',
        authMethod: 'social',
        expiresAt: Date.now() - 1_000,
      },
      refreshEndpoints: { social: refresher.refreshUrls.social },
    })
    sim.enqueue([{ text: 'fresh' }])
    await client.messages.create(params)
    expect(refresher.refreshRequests).toHaveLength(1)
    expect(relay.targets).toEqual([hostOf(refresher.url), hostOf(sim.url)])
  })

  it("a pool account's http proxy carries its traffic, token refreshes included", async () => {
    const relay = await proxy()
    // The refresh endpoint on its own simulator: its own host:port, so its own tunnel.
    const refresher = await createKiroSimulator({
      tokens: { accessToken: 'acct-old', refreshToken: 'acct-rt-1234' },
    })
    proxies.push(refresher)
    const { sim, client } = await setup({
      credentials: undefined,
      refreshEndpoints: { social: refresher.refreshUrls.social },
      accounts: [
        {
          id: 'behind-proxy',
          proxy: relay.url,
          credentials: {
            accessToken: 'acct-old',
            refreshToken: 'acct-rt-1234',
            authMethod: 'social',
            expiresAt: Date.now() - 1_000,
          },
        },
      ],
    })
    sim.enqueue([{ text: 'through the account proxy' }])
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'through the account proxy' })
    expect(refresher.refreshRequests).toHaveLength(1)
    expect(relay.targets).toEqual([hostOf(refresher.url), hostOf(sim.url)])
    expect((await client.accounts.list())[0]?.proxy).toBe(relay.url.replace(/\/$/, ''))
  })

  it('a SOCKS proxy of an account still needs a fetch of its own', () => {
    const socks = () =>
      checkAccountOptions([{ id: 'a', proxy: 'socks5://127.0.0.1:1080', credentials: { accessToken: 'x' } }])
    expect(socks).toThrow(ConfigurationError)
    expect(socks).toThrow(/^accounts\[0\]\.proxy: a SOCKS proxy needs accounts\[0\]\.fetch/)
    expect(() =>
      checkAccountOptions([
        {
          id: 'a',
          proxy: 'socks5://127.0.0.1:1080',
          fetch: globalThis.fetch,
          credentials: { accessToken: 'x' },
        },
      ]),
    ).not.toThrow()
  })

  it('sends the credentials of the proxy URL, and never repeats them in an error', async () => {
    const relay = await proxy({ user: 'corp', password: 'proxy-secret-77' })
    const good = await setup({
      fetch: createProxyFetch(`http://corp:proxy-secret-77@127.0.0.1:${relay.port}`),
    })
    good.sim.enqueue([{ text: 'authorised' }])
    await good.client.messages.create(params)
    expect(relay.targets).toHaveLength(1)

    const bad = await setup({
      fetch: createProxyFetch(`http://corp:wrong-secret-88@127.0.0.1:${relay.port}`),
      maxRetries: 0,
    })
    const error = await rejectionOf(bad.client.messages.create(params))
    expect(error.name).toBe('APIConnectionError')
    expect(JSON.stringify({ message: error.message, cause: String(error.cause) })).not.toContain(
      'wrong-secret-88',
    )
    expect(bad.sim.generateRequests).toHaveLength(0)
  })

  it('reads the lower-case variables first, and gives no fetch when no proxy is set', () => {
    expect(proxyEnvironment({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', NO_PROXY: ' ' })).toEqual(
      {
        httpProxy: undefined,
        httpsProxy: 'http://b:2',
        noProxy: undefined,
      },
    )
    expect(envProxyFetch({ NO_PROXY: 'example.com' })).toBeUndefined()
  })

  it('rejects a malformed proxy URL, naming the variable but not the URL', () => {
    const attempt = () => envProxyFetch({ HTTPS_PROXY: 'socks5://user:hunter2@proxy:1080' })
    expect(attempt).toThrow(ConfigurationError)
    expect(attempt).toThrow(/^HTTPS_PROXY: must be an http:\/\/ or https:\/\/ proxy URL/)
    expect(attempt).not.toThrow(/hunter2/)
    expect(() => createProxyFetch('not a url')).toThrow(/^proxy: /)
  })
})
