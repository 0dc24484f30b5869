import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RefreshingCredentials } from '../../src/auth/refresh/refreshing-credentials.js'
import { MemoryTokenStore } from '../../src/auth/token-store.js'
import type { StoredToken } from '../../src/auth/types.js'
import { createRedisState, type RedisState } from '../../src/redis/index.js'
import { type RefreshServer, startRefreshServer } from '../auth/helpers/refresh-server.js'
import { CLIENT_KINDS, type ConnectedClient, connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const LOGIN: StoredToken = {
  accessToken: 'seed-access-1111',
  refreshToken: 'seed-refresh-2222',
  expiresAt: T0 - 1000,
  region: 'us-east-1',
}

let server: RedisServer
let refresh: RefreshServer
beforeAll(async () => {
  server = await startRedisServer()
})
afterAll(async () => {
  await server?.close()
})

describe.each(CLIENT_KINDS)('Redis token store with %s', (kind) => {
  const clients: ConnectedClient[] = []
  const providers: RefreshingCredentials[] = []
  let prefix: string

  /** A state as one process would create it, on its own connection. */
  async function process(options: { encryptionKey?: Uint8Array } = {}): Promise<RedisState> {
    const connected = await connectClient(kind, server.url)
    clients.push(connected)
    return createRedisState({ redis: connected.client as never, prefix, ...options })
  }

  beforeEach(async () => {
    prefix = `t${Math.random().toString(36).slice(2, 8)}:`
    refresh = await startRefreshServer()
  })
  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.close()
    for (const client of clients.splice(0)) await client.close()
    await refresh.close()
  })

  it('the first load adopts the seed; other processes then share that record, not their seeds', async () => {
    const first = (await process()).tokenStore('a', new MemoryTokenStore(LOGIN))
    expect(await first.load()).toEqual(LOGIN)
    const second = (await process()).tokenStore('a', new MemoryTokenStore())
    expect(await second.load()).toEqual(LOGIN)
    expect(first.describe()).toEqual({ source: 'redis', path: `${prefix}token:a` })
  })

  it('compare-and-swap across processes: exactly one of many writers swaps; the rest see its login', async () => {
    const stores = await Promise.all(
      Array.from({ length: 6 }, async () => (await process()).tokenStore('a', new MemoryTokenStore(LOGIN))),
    )
    const expected = (await stores[0]!.load())!
    const results = await Promise.all(
      stores.map((store, index) =>
        store.compareAndSwap(expected, { ...expected, accessToken: `next-${index}` }),
      ),
    )
    const winners = results.flatMap((result, index) => (result.swapped ? [index] : []))
    expect(winners).toHaveLength(1)
    for (const result of results) {
      if (!result.swapped) expect(result.current?.accessToken).toBe(`next-${winners[0]}`)
    }
  })

  it('a holder whose lock was superseded cannot overwrite what a newer holder wrote (fencing)', async () => {
    const state = await process()
    const stale = state.tokenStore('a', new MemoryTokenStore(LOGIN))
    await stale.load()
    const staleLock = await stale.lock!()
    // Its lease ran out; another process took the lock and wrote twice.
    await clients[0]!.command(['DEL', `${prefix}lock:refresh:a`])
    const fresh = (await process()).tokenStore('a', new MemoryTokenStore())
    const freshLock = await fresh.lock!()
    expect(freshLock.fence).toBeGreaterThan(staleLock.fence)
    const second = { ...LOGIN, accessToken: 'fresh-2' }
    expect(await fresh.compareAndSwap(LOGIN, second)).toEqual({ swapped: true })
    await freshLock.release()
    const result = await stale.compareAndSwap(second, { ...LOGIN, accessToken: 'stale-write' })
    expect(result).toMatchObject({ swapped: false, current: { accessToken: 'fresh-2' } })
    await staleLock.release()
  })

  it('writes a refreshed login through to the seed, and adopts a newer login the seed gained', async () => {
    const seed = new MemoryTokenStore(LOGIN)
    const store = (await process()).tokenStore('a', seed)
    const refreshed = { ...LOGIN, accessToken: 'refreshed', expiresAt: T0 + 3_600_000 }
    expect(await store.compareAndSwap((await store.load())!, refreshed)).toEqual({ swapped: true })
    expect(await seed.load()).toEqual(refreshed)
    const signedInAgain = {
      ...LOGIN,
      accessToken: 'ide-login',
      refreshToken: 'ide-refresh',
      expiresAt: T0 + 7_200_000,
    }
    await seed.save(signedInAgain)
    expect(await store.load()).toEqual(signedInAgain)
    const elsewhere = (await process()).tokenStore('a', new MemoryTokenStore())
    expect(await elsewhere.load()).toEqual(signedInAgain)
  })

  it('a seed without an expiry never replaces a refreshed login', async () => {
    const seed = new MemoryTokenStore({ accessToken: 'static', refreshToken: 'static-refresh' })
    const store = (await process()).tokenStore('a', seed)
    const current = (await store.load())!
    const refreshed = { accessToken: 'refreshed', refreshToken: 'rotated', expiresAt: T0 }
    await store.compareAndSwap(current, refreshed)
    await seed.save({ accessToken: 'static', refreshToken: 'static-refresh', expiresAt: undefined as never })
    expect((await store.load())?.accessToken).toBe('refreshed')
  })

  describe('encryption at rest', () => {
    const key = globalThis.crypto.getRandomValues(new Uint8Array(32))

    it('stores the login sealed; a process with the key reads it, one without or with another key cannot', async () => {
      const store = (await process({ encryptionKey: key })).tokenStore('a', new MemoryTokenStore(LOGIN))
      await store.load()
      const raw = String(await clients[0]!.command(['HGET', `${prefix}token:a`, 'data']))
      expect(raw).toMatch(/^aesgcm1:/)
      expect(raw).not.toContain('seed-access')
      expect(raw).not.toContain('seed-refresh')
      expect(JSON.stringify(await clients[0]!.command(['HGETALL', `${prefix}token:a`]))).not.toContain(
        'seed-',
      )
      expect(
        await (await process({ encryptionKey: key })).tokenStore('a', new MemoryTokenStore()).load(),
      ).toEqual(LOGIN)
      await expect((await process()).tokenStore('a', new MemoryTokenStore()).load()).rejects.toMatchObject({
        name: 'CredentialsError',
        message: expect.stringContaining('no encryptionKey'),
      })
      const other = globalThis.crypto.getRandomValues(new Uint8Array(32))
      const wrong = (await process({ encryptionKey: other })).tokenStore('a', new MemoryTokenStore())
      await expect(wrong.load()).rejects.toThrow(/does not decrypt/)
    })

    it('a sealed login moved under another account does not open', async () => {
      const state = await process({ encryptionKey: key })
      await state.tokenStore('a', new MemoryTokenStore(LOGIN)).load()
      const sealed = String(await clients[0]!.command(['HGET', `${prefix}token:a`, 'data']))
      await clients[0]!.command(['HSET', `${prefix}token:b`, 'fp', 'x', 'data', sealed])
      await expect(state.tokenStore('b', new MemoryTokenStore()).load()).rejects.toThrow(/does not decrypt/)
    })

    it('reads a plain record written before the key was set, and seals it on the next write', async () => {
      const plain = (await process()).tokenStore('a', new MemoryTokenStore(LOGIN))
      await plain.load()
      const sealed = (await process({ encryptionKey: key })).tokenStore('a', new MemoryTokenStore())
      const current = (await sealed.load())!
      expect(current).toEqual(LOGIN)
      await sealed.compareAndSwap(current, { ...current, accessToken: 'now-sealed' })
      expect(String(await clients[0]!.command(['HGET', `${prefix}token:a`, 'data']))).toMatch(/^aesgcm1:/)
    })
  })

  it('eight processes with an expired rotating login: one refresh, and every caller gets its token', async () => {
    let valid = 'seed-refresh-2222'
    let n = 0
    refresh.handle((request) => {
      if ((request.body as { refreshToken?: string }).refreshToken !== valid) {
        return { status: 400, json: { error: 'invalid_grant', error_description: 'Invalid refresh token' } }
      }
      n += 1
      valid = `rotated-${n}`
      return { json: { accessToken: `access-${n}`, refreshToken: valid, expiresIn: 3600 } }
    })
    const tokens = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const store = (await process()).tokenStore('a', new MemoryTokenStore(LOGIN))
        const provider = new RefreshingCredentials({
          store,
          now: () => T0,
          refreshEndpoints: refresh.endpoints,
        })
        providers.push(provider)
        return Promise.all(Array.from({ length: 25 }, () => provider.getToken()))
      }),
    )
    expect(refresh.requests).toHaveLength(1)
    expect(new Set(tokens.flat().map((token) => token.accessToken))).toEqual(new Set(['access-1']))
  })
})
