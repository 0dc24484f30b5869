import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type KiroCliDatabase, nodeSqliteSupported } from '../../src/auth/kiro-cli-database.js'
import { KiroCliSqliteStore } from '../../src/auth/kiro-cli-store.js'
import { KiroCliSqliteCredentials } from '../../src/auth/sources/kiro-cli.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { type RefreshServer, startRefreshServer } from './helpers/refresh-server.js'

/** An in-memory stand-in for the two kiro-cli tables, counting opens and closes. */
function fakeDatabase(rows: { auth_kv?: Record<string, unknown>; state?: Record<string, unknown> }) {
  const tables = {
    auth_kv: new Map(Object.entries(rows.auth_kv ?? {}).map(([k, v]) => [k, JSON.stringify(v)])),
    state: new Map(Object.entries(rows.state ?? {}).map(([k, v]) => [k, JSON.stringify(v)])),
  }
  const stats = { opened: 0, closed: 0 }
  const open = async (): Promise<KiroCliDatabase> => {
    stats.opened++
    return {
      get: (table, key) => tables[table].get(key),
      set: (table, key, value) => {
        tables[table].set(key, value)
      },
      transaction: (fn) => fn(),
      close: () => {
        stats.closed++
      },
    }
  }
  const row = (key: string) => JSON.parse(tables.auth_kv.get(key) ?? 'null') as Record<string, unknown>
  return { open, stats, row }
}

const T0 = Date.parse('2030-01-01T00:00:00Z')
let server: RefreshServer
let clock: number
beforeEach(async () => {
  clock = T0
  server = await startRefreshServer()
})
afterEach(() => server.close())

describe('KiroCliSqliteStore', () => {
  it('reads a social login in snake_case, with a nanosecond expiry and the profile from state', async () => {
    const db = fakeDatabase({
      auth_kv: {
        'kirocli:social:token': {
          access_token: 'cli-access',
          refresh_token: 'cli-refresh',
          expires_at: '2030-01-01T01:00:00.123456789Z',
          region: 'us-east-1',
        },
        'codewhisperer:odic:token': { access_token: 'older', refresh_token: 'older' },
      },
      state: { 'api.codewhisperer.profile': { arn: 'arn:aws:codewhisperer:us-east-1:1:profile/P' } },
    })
    const store = new KiroCliSqliteStore({ path: '/db.sqlite3', openDatabase: db.open })
    expect(await store.load()).toEqual({
      authMethod: 'social',
      accessToken: 'cli-access',
      refreshToken: 'cli-refresh',
      expiresAt: Date.parse('2030-01-01T01:00:00.123Z'),
      region: 'us-east-1',
      profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/P',
    })
    expect(db.stats).toEqual({ opened: 1, closed: 1 })
  })

  it('refreshes an IdC login with its device registration and writes back only the token keys', async () => {
    const db = fakeDatabase({
      auth_kv: {
        'kirocli:odic:token': {
          access_token: 'cli-access',
          refresh_token: 'cli-refresh',
          expires_at: '2029-12-31T23:00:00Z',
          region: 'us-east-1',
          scopes: ['codewhisperer:completions'],
          start_url: 'https://example.awsapps.com/start',
        },
        'kirocli:odic:device-registration': {
          client_id: 'cid',
          client_secret: 'csecret',
          region: 'eu-west-1',
        },
      },
    })
    server.handle(() => ({
      json: { accessToken: 'new-access', refreshToken: 'new-refresh', expiresIn: 3600 },
    }))
    const provider = new KiroCliSqliteCredentials({
      path: '/db.sqlite3',
      openDatabase: db.open,
      now: () => clock,
      refreshEndpoints: server.endpoints,
    })
    const token = await provider.getToken()
    provider.close()
    expect(token).toMatchObject({ accessToken: 'new-access', authMethod: 'idc' })
    expect(server.requests[0]?.path).toBe('/oidc/eu-west-1/token')
    expect(server.requests[0]?.body).toEqual({
      clientId: 'cid',
      clientSecret: 'csecret',
      grantType: 'refresh_token',
      refreshToken: 'cli-refresh',
    })
    expect(db.row('kirocli:odic:token')).toEqual({
      access_token: 'new-access',
      refresh_token: 'new-refresh',
      expires_at: new Date(T0 + 3600_000).toISOString(),
      region: 'us-east-1',
      scopes: ['codewhisperer:completions'],
      start_url: 'https://example.awsapps.com/start',
    })
    expect(db.row('kirocli:odic:device-registration')).toEqual({
      client_id: 'cid',
      client_secret: 'csecret',
      region: 'eu-west-1',
    })
    expect(db.stats.opened).toBe(db.stats.closed)
  })

  it('compare-and-swap leaves a login changed by kiro-cli alone', async () => {
    const db = fakeDatabase({
      auth_kv: { 'kirocli:social:token': { access_token: 'a', refresh_token: 'r' } },
    })
    const store = new KiroCliSqliteStore({ path: '/db', openDatabase: db.open })
    const result = await store.compareAndSwap(
      { accessToken: 'stale', refreshToken: 'r' },
      { accessToken: 'b' },
    )
    expect(result).toMatchObject({ swapped: false, current: { accessToken: 'a' } })
    expect(db.row('kirocli:social:token')).toEqual({ access_token: 'a', refresh_token: 'r' })
  })

  it('an empty database has no login', async () => {
    const store = new KiroCliSqliteStore({ path: '/db', openDatabase: fakeDatabase({}).open })
    expect(await store.load()).toBeUndefined()
  })
})

describe('node:sqlite', () => {
  it('is detected by version', () => {
    expect(nodeSqliteSupported('20.19.0')).toBe(false)
    expect(nodeSqliteSupported('22.4.1')).toBe(false)
    expect(nodeSqliteSupported('22.5.0')).toBe(true)
    expect(nodeSqliteSupported('24.1.0')).toBe(true)
  })

  it('without node:sqlite the provider says so; with it, a real database is read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiro-cli-'))
    const path = join(dir, 'data.sqlite3')
    try {
      if (!nodeSqliteSupported()) {
        await writeFile(path, '')
        const error = await new KiroCliSqliteCredentials({ path }).getToken().catch((e: unknown) => e)
        expect(error).toBeInstanceOf(CredentialsError)
        expect(error).toMatchObject({ code: 'unsupported', message: expect.stringContaining('Node >= 22.5') })
        return
      }
      const specifier = 'node:sqlite'
      const { DatabaseSync } = await import(/* @vite-ignore */ specifier)
      const db = new DatabaseSync(path)
      db.exec(
        'CREATE TABLE auth_kv (key TEXT PRIMARY KEY, value TEXT); CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB)',
      )
      db.prepare('INSERT INTO auth_kv VALUES (?, ?)').run(
        'kirocli:social:token',
        JSON.stringify({ access_token: 'real-access', expires_at: '2999-01-01T00:00:00Z' }),
      )
      db.close()
      const provider = new KiroCliSqliteCredentials({ path })
      expect((await provider.getToken()).accessToken).toBe('real-access')
      provider.close()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a path to a missing database is reported as not found and no file is created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiro-cli-'))
    const path = join(dir, 'missing.sqlite3')
    try {
      const error = await new KiroCliSqliteCredentials({ path }).getToken().catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'not_found', message: expect.stringContaining('does not exist') })
      await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a locked database says so (try again); other SQLite errors carry their message', async () => {
    const failing = (error: Error & { errcode?: number }) => async (): Promise<KiroCliDatabase> => {
      throw error
    }
    const busy = Object.assign(new Error('database is locked'), { code: 'ERR_SQLITE_ERROR', errcode: 5 })
    const locked = await new KiroCliSqliteCredentials({ path: '/db', openDatabase: failing(busy) })
      .getToken()
      .catch((e: unknown) => e)
    expect(locked).toMatchObject({ code: 'locked', message: expect.stringContaining('locked') })
    expect((locked as Error).message).toContain('try again')
    expect((locked as Error).message).not.toContain('invalid')

    const corrupt = Object.assign(new Error('file is not a database'), {
      code: 'ERR_SQLITE_ERROR',
      errcode: 26,
    })
    const broken = await new KiroCliSqliteCredentials({ path: '/db', openDatabase: failing(corrupt) })
      .getToken()
      .catch((e: unknown) => e)
    expect(broken).toMatchObject({
      code: 'invalid_file',
      message: expect.stringContaining('file is not a database'),
    })
  })
})
