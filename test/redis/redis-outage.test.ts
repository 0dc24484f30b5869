import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { RefreshingCredentials } from '../../src/auth/refresh/refreshing-credentials.js'
import { MemoryTokenStore } from '../../src/auth/token-store.js'
import type { StoredToken } from '../../src/auth/types.js'
import { createRedisState, type RedisState, type RedisStateWarning } from '../../src/redis/index.js'
import { type RefreshServer, startRefreshServer } from '../auth/helpers/refresh-server.js'
import { CLIENT_KINDS, type ConnectedClient, connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const LOGIN: StoredToken = { accessToken: 'access-1', refreshToken: 'refresh-1', expiresAt: T0 + 3_600_000 }

let server: RedisServer
let refresh: RefreshServer
beforeAll(async () => {
  server = await startRedisServer()
})
afterAll(async () => {
  await server?.close()
})

/** Retries `check` until it holds (the state probes Redis once per retry interval). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error('condition never held')
}

describe.each(CLIENT_KINDS)('Redis unavailable, with %s', (kind) => {
  let client: ConnectedClient
  let admin: ConnectedClient
  let state: RedisState
  let warnings: RedisStateWarning[]
  const providers: RefreshingCredentials[] = []
  const prefix = `outage-${kind}:`

  beforeEach(async () => {
    client = await connectClient(kind, server.url)
    admin = await connectClient(kind, server.url)
    warnings = []
    state = createRedisState({
      redis: client.client,
      prefix,
      commandTimeoutMs: 300,
      retryIntervalMs: 450,
      refreshLock: { leaseMs: 2_000, waitMs: 400 },
      onWarning: (warning) => warnings.push(warning),
    })
    refresh = await startRefreshServer()
  })
  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.close()
    await refresh.close()
    await client.close()
    await admin.close()
    // A test that killed the server leaves it running again for the next one.
    await server.start()
  })

  it('a slow Redis: calls give up after the timeout, serve local state, and resync when it answers', async () => {
    await state.setStatus('a', { state: 'cooling', until: Date.now() + 60_000, since: 1 })
    await state.snapshot(['a', 'b'])
    await admin.command(['CLIENT', 'PAUSE', '2100', 'ALL'])
    const snapshot = await state.snapshot(['a', 'b'])
    expect([...snapshot.statuses.keys()]).toEqual(['a'])
    expect(warnings).toEqual([
      { type: 'unavailable', operation: 'snapshot', message: 'timeout after 300 ms' },
    ])
    await state.setStatus('b', { state: 'exhausted', until: Date.now() + 60_000, since: 2 })
    expect([...(await state.snapshot(['a', 'b'])).statuses.keys()]).toEqual(['a', 'b'])
    const local = await state.acquireSlot('a', 1, 60_000)
    expect(local?.id).toMatch(/^local:/)
    expect(await state.acquireSlot('a', 1, 60_000)).toBeUndefined()
    await state.releaseSlot(local!)
    expect(warnings).toHaveLength(1)
    await eventually(async () => {
      await state.snapshot(['a'])
      return warnings.length === 2
    })
    expect(warnings[1]).toMatchObject({ type: 'recovered' })
    await eventually(async () => (await admin.command(['GET', `${prefix}status:b`])) !== null)
    expect(JSON.parse(String(await admin.command(['GET', `${prefix}status:b`])))).toMatchObject({
      state: 'exhausted',
    })
  })

  it('a dead Redis: a valid token keeps serving; a due refresh waits for the lock, then fails clearly, never refreshing', async () => {
    const seed = new MemoryTokenStore(LOGIN)
    const store = state.tokenStore('a', seed)
    const live = new RefreshingCredentials({ store, now: () => T0, refreshEndpoints: refresh.endpoints })
    providers.push(live)
    expect((await live.getToken()).accessToken).toBe('access-1')
    await server.kill()
    expect((await live.getToken()).accessToken).toBe('access-1')
    expect(await store.load()).toEqual(LOGIN)
    // The same login, now due: without Redis there is no lock, so no refresh.
    const due = new RefreshingCredentials({
      store,
      now: () => T0 + 3_600_000,
      refreshEndpoints: refresh.endpoints,
    })
    providers.push(due)
    const error = await due.getToken().catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'CredentialsError', code: 'refresh_failed' })
    expect((error as Error).message).toMatch(/never runs without the shared lock/)
    expect(refresh.requests).toHaveLength(0)
    await server.start()
    // The restarted Redis lost everything (no persistence here): the next load plants the login again.
    await eventually(async () => {
      await store.load()
      return (await admin.command(['EXISTS', `${prefix}token:a`]).catch(() => 0)) === 1
    })
    expect(warnings.map((warning) => warning.type)).toEqual(['unavailable', 'recovered'])
  })

  it('a refreshed login Redis did not take is kept, served, and stored when Redis is back', async () => {
    const store = state.tokenStore('a', new MemoryTokenStore(LOGIN))
    const current = (await store.load())!
    await admin.command(['CLIENT', 'PAUSE', '1500', 'ALL'])
    const next = { ...current, accessToken: 'access-2', refreshToken: 'refresh-2' }
    await expect(store.compareAndSwap(current, next)).rejects.toMatchObject({ code: 'write_failed' })
    expect(await store.load()).toEqual(next)
    await eventually(async () => {
      await state.snapshot([])
      return warnings.at(-1)?.type === 'recovered'
    })
    await eventually(async () => {
      const data = await admin.command(['HGET', `${prefix}token:a`, 'data'])
      return typeof data === 'string' && JSON.parse(data).accessToken === 'access-2'
    })
  })
})
