import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FileSystem, nodeFileSystem } from '../../src/auth/files.js'
import { TokenFileCredentials, type TokenFileCredentialsOptions } from '../../src/auth/sources/token-file.js'
import type { RefreshEvent } from '../../src/auth/types.js'
import { deferred, type RefreshServer, startRefreshServer } from './helpers/refresh-server.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const MINUTE = 60_000

let dir: string
let file: string
let clock: number
let server: RefreshServer
const providers: TokenFileCredentials[] = []

async function writeToken(fields: Record<string, unknown>): Promise<void> {
  await writeFile(file, `${JSON.stringify(fields, null, 2)}\n`)
}

function make(options: Partial<TokenFileCredentialsOptions> = {}): TokenFileCredentials {
  const provider = new TokenFileCredentials({
    path: file,
    now: () => clock,
    refreshEndpoints: server.endpoints,
    ...options,
  })
  providers.push(provider)
  return provider
}

const iso = (ms: number) => new Date(ms).toISOString()

beforeEach(async () => {
  clock = T0
  dir = await mkdtemp(join(tmpdir(), 'kiro-tokenfile-'))
  file = join(dir, 'kiro-auth-token.json')
  server = await startRefreshServer()
  await writeToken({
    accessToken: 'expired-access-1111',
    refreshToken: 'refresh-2222',
    expiresAt: iso(T0 - 1000),
    authMethod: 'social',
    provider: 'Github',
    region: 'us-east-1',
    extra: 'kept',
  })
})
afterEach(async () => {
  for (const provider of providers.splice(0)) provider.close()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('TokenFileCredentials', () => {
  it('refreshes an expired login and writes it back to its file', async () => {
    const token = await make().getToken()
    expect(token).toMatchObject({ accessToken: 'fresh-access', kind: 'bearer', authMethod: 'social' })
    const written = JSON.parse(await readFile(file, 'utf8'))
    expect(written).toEqual({
      accessToken: 'fresh-access',
      refreshToken: 'refresh-2222',
      expiresAt: iso(T0 + 3600_000),
      authMethod: 'social',
      provider: 'Github',
      region: 'us-east-1',
      extra: 'kept',
    })
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('a second client on the same file takes the token the first one refreshed, without a request', async () => {
    const first = make()
    const second = make()
    expect((await first.getToken()).accessToken).toBe('fresh-access')
    expect((await second.getToken()).accessToken).toBe('fresh-access')
    expect(server.requests).toHaveLength(1)
  })

  it('uses a newer token the IDE wrote instead of refreshing', async () => {
    await writeToken({
      accessToken: 'current-3333',
      refreshToken: 'refresh-2222',
      expiresAt: iso(T0 + 30 * MINUTE),
    })
    const provider = make()
    expect((await provider.getToken()).accessToken).toBe('current-3333')
    await writeToken({
      accessToken: 'ide-refreshed-4444',
      refreshToken: 'refresh-5555',
      expiresAt: iso(T0 + 90 * MINUTE),
    })
    clock += 29.5 * MINUTE // inside the mandatory window of the token we hold
    expect((await provider.getToken()).accessToken).toBe('ide-refreshed-4444')
    expect(server.requests).toHaveLength(0)
  })

  it('when the IDE refreshes while our refresh is in flight, both end on the IDE login', async () => {
    const gate = deferred()
    server.handle(async () => {
      await gate.promise
      return { json: { accessToken: 'ours-6666', expiresIn: 3600 } }
    })
    const provider = make()
    const pending = provider.getToken()
    await server.received(1)
    const ide = { accessToken: 'ide-7777', refreshToken: 'refresh-8888', expiresAt: iso(T0 + 60 * MINUTE) }
    await writeToken(ide)
    gate.resolve()
    expect((await pending).accessToken).toBe('ide-7777')
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(ide)
  })

  it('after invalid_grant, a new sign-in written to the file is picked up', async () => {
    server.handle(() => ({ status: 400, json: { error: 'invalid_grant' } }))
    const provider = make()
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'refresh_token_invalid' })
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'refresh_token_invalid' })
    expect(server.requests).toHaveLength(1)
    await writeToken({
      accessToken: 'relogin-9999',
      refreshToken: 'refresh-new',
      expiresAt: iso(T0 + 60 * MINUTE),
    })
    expect((await provider.getToken()).accessToken).toBe('relogin-9999')
    expect(provider.describe().canRefresh).toBe(true)
  })

  it('a token that cannot be written back is still used, and the hook says so', async () => {
    const events: RefreshEvent[] = []
    const readOnly: FileSystem = {
      ...nodeFileSystem,
      writeNew: async () => {
        throw Object.assign(new Error('read-only file system'), { code: 'EROFS' })
      },
    }
    const provider = make({ fs: readOnly, onRefresh: (event) => events.push(event) })
    expect((await provider.getToken()).accessToken).toBe('fresh-access')
    expect(events).toEqual([
      expect.objectContaining({
        ok: true,
        writeBackError: { code: 'write_failed', message: expect.stringContaining('EROFS') },
      }),
    ])
    expect(JSON.parse(await readFile(file, 'utf8')).accessToken).toBe('expired-access-1111')
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
  })

  it('keeps serving the login it holds while the file is half-written', async () => {
    await writeToken({
      accessToken: 'current-3333',
      refreshToken: 'refresh-2222',
      expiresAt: iso(T0 + 30 * MINUTE),
    })
    const provider = make()
    expect((await provider.getToken()).accessToken).toBe('current-3333')
    await writeFile(file, '{"accessToken": "trunc')
    clock += 29.5 * MINUTE
    expect((await provider.getToken()).accessToken).toBe('fresh-access')
  })

  it('describes itself without secrets', async () => {
    const provider = make()
    await provider.getToken()
    const description = provider.describe()
    expect(description).toEqual({
      source: 'token-file',
      path: file,
      authMethod: 'social',
      region: 'us-east-1',
      expiresAt: T0 + 3600_000,
      canRefresh: true,
    })
  })

  it('a missing file is not_found, naming the path', async () => {
    await rm(file)
    await expect(make().getToken()).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(file),
    })
  })

  it('a kiroApiKey file gives an API-key token that is never refreshed', async () => {
    await writeToken({ kiroApiKey: 'ksk_abcdef123456' })
    const provider = make()
    const token = await provider.getToken()
    expect(token).toEqual({ accessToken: 'ksk_abcdef123456', kind: 'api_key', authMethod: 'api_key' })
    await expect(provider.invalidate(token)).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(server.requests).toHaveLength(0)
  })
})
