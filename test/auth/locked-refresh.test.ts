import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RefreshingCredentials } from '../../src/auth/refresh/refreshing-credentials.js'
import { TokenFileCredentials } from '../../src/auth/sources/token-file.js'
import { MemoryTokenStore, type TokenStore, type TokenStoreLock } from '../../src/auth/token-store.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { deferred, isSettled, type RefreshServer, startRefreshServer } from './helpers/refresh-server.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
let dir: string
let file: string
let server: RefreshServer
const providers: RefreshingCredentials[] = []

/** A refresh service whose refresh tokens work once, as with a rotating login. */
function rotating(): void {
  let valid = 'refresh-0'
  let n = 0
  server.handle((request) => {
    const body = request.body as { refreshToken?: string }
    if (body.refreshToken !== valid) {
      return { status: 400, json: { error: 'invalid_grant', error_description: 'Invalid refresh token' } }
    }
    n += 1
    valid = `refresh-${n}`
    return { json: { accessToken: `access-${n}`, refreshToken: valid, expiresIn: 3600 } }
  })
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiro-locked-'))
  file = join(dir, 'kiro-auth-token.json')
  server = await startRefreshServer()
  await writeFile(
    file,
    JSON.stringify({
      accessToken: 'access-0',
      refreshToken: 'refresh-0',
      expiresAt: T0 - 1000,
      region: 'us-east-1',
    }),
  )
})
afterEach(async () => {
  for (const provider of providers.splice(0)) provider.close()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('refresh under the store lock', () => {
  it('eight clients on one token file, each with its own store: one refresh, all adopt it', async () => {
    rotating()
    const clients = Array.from({ length: 8 }, () => {
      const provider = new TokenFileCredentials({
        path: file,
        now: () => T0,
        refreshEndpoints: server.endpoints,
      })
      providers.push(provider)
      return provider
    })
    const tokens = await Promise.all(
      clients.flatMap((client) => Array.from({ length: 25 }, () => client.getToken())),
    )
    expect(server.requests).toHaveLength(1)
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['access-1']))
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ refreshToken: 'refresh-1' })
  })

  it('takes the lock, re-reads, and refreshes only if the login is still due', async () => {
    const calls: string[] = []
    const store = new LockingStore({
      accessToken: 'access-0',
      refreshToken: 'refresh-0',
      expiresAt: T0 - 1000,
    })
    store.onLock = async () => {
      calls.push('lock')
      // Another process refreshed while this one waited for the lock.
      await store.save({ accessToken: 'theirs', refreshToken: 'refresh-9', expiresAt: T0 + 3600_000 })
    }
    store.onRelease = () => calls.push('release')
    const provider = new RefreshingCredentials({ store, now: () => T0, refreshEndpoints: server.endpoints })
    providers.push(provider)
    expect((await provider.getToken()).accessToken).toBe('theirs')
    expect(calls).toEqual(['lock', 'release'])
    expect(server.requests).toHaveLength(0)
  })

  it('holds the lock across the refresh and the write, and releases it after a failure', async () => {
    const gate = deferred()
    server.handle(async () => {
      await gate.promise
      return { status: 400, json: { error: 'invalid_grant', error_description: 'Invalid refresh token' } }
    })
    const calls: string[] = []
    const store = new LockingStore({
      accessToken: 'access-0',
      refreshToken: 'refresh-0',
      expiresAt: T0 - 1000,
    })
    store.onLock = async () => {
      calls.push('lock')
    }
    store.onRelease = () => calls.push('release')
    const provider = new RefreshingCredentials({ store, now: () => T0, refreshEndpoints: server.endpoints })
    providers.push(provider)
    const token = provider.getToken()
    await server.received(1)
    expect(calls).toEqual(['lock'])
    gate.resolve()
    await expect(token).rejects.toMatchObject({ code: 'refresh_token_invalid' })
    expect(calls).toEqual(['lock', 'release'])
  })

  it('a lock that cannot be taken: a live token is served, an expired one fails with the lock error', async () => {
    const store = new LockingStore({
      accessToken: 'access-0',
      refreshToken: 'refresh-0',
      expiresAt: T0 + 30_000,
    })
    store.onLock = async () => {
      throw new CredentialsError('refresh_timeout', 'lock held elsewhere')
    }
    const live = new RefreshingCredentials({ store, now: () => T0, refreshEndpoints: server.endpoints })
    providers.push(live)
    expect((await live.getToken()).accessToken).toBe('access-0')
    const expired = new RefreshingCredentials({
      store,
      now: () => T0 + 60_000,
      refreshEndpoints: server.endpoints,
    })
    providers.push(expired)
    const failure = expired.getToken()
    expect(await isSettled(failure)).toBe(true)
    await expect(failure).rejects.toMatchObject({ code: 'refresh_timeout' })
    expect(server.requests).toHaveLength(0)
  })
})

/** A memory store with a lock whose acquisition the test scripts. */
class LockingStore extends MemoryTokenStore implements TokenStore {
  onLock: () => Promise<void> = async () => {}
  onRelease: () => void = () => {}

  async lock(): Promise<TokenStoreLock> {
    await this.onLock()
    return { fence: 1, release: async () => this.onRelease() }
  }
}
