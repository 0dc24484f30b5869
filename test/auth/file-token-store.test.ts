import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileTokenStore } from '../../src/auth/file-token-store.js'
import { type FileSystem, nodeFileSystem } from '../../src/auth/files.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'

let dir: string
let file: string

const ORIGINAL = {
  accessToken: 'file-access-token-aaaa',
  refreshToken: 'file-refresh-token-bbbb',
  expiresAt: '2030-01-01T00:00:00.000Z',
  authMethod: 'social',
  provider: 'Google',
  profileArn: 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC',
  region: 'us-east-1',
  futureField: { nested: [1, 2, 3] },
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiro-auth-'))
  file = join(dir, 'kiro-auth-token.json')
  await writeFile(file, `${JSON.stringify(ORIGINAL, null, 2)}\n`, { mode: 0o644 })
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const NEXT = {
  accessToken: 'new-access-cccc',
  refreshToken: 'new-refresh-dddd',
  expiresAt: Date.parse('2030-02-02T00:00:00Z'),
}

describe('FileTokenStore', () => {
  it('loads every field of the token file', async () => {
    expect(await new FileTokenStore({ path: file }).load()).toEqual({
      accessToken: ORIGINAL.accessToken,
      refreshToken: ORIGINAL.refreshToken,
      expiresAt: Date.parse(ORIGINAL.expiresAt),
      authMethod: 'social',
      profileArn: ORIGINAL.profileArn,
      region: 'us-east-1',
    })
  })

  it('writes back merged: token fields updated, unknown fields and layout kept, mode 0600', async () => {
    const store = new FileTokenStore({ path: file })
    const current = (await store.load())!
    expect(await store.compareAndSwap(current, { ...current, ...NEXT })).toEqual({ swapped: true })
    const text = await readFile(file, 'utf8')
    expect(JSON.parse(text)).toEqual({ ...ORIGINAL, ...NEXT, expiresAt: '2030-02-02T00:00:00.000Z' })
    expect(Object.keys(JSON.parse(text))).toEqual(Object.keys(ORIGINAL))
    expect(text).toBe(
      `${JSON.stringify({ ...ORIGINAL, ...NEXT, expiresAt: '2030-02-02T00:00:00.000Z' }, null, 2)}\n`,
    )
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
  })

  it('keeps a numeric expiresAt numeric', async () => {
    await writeFile(file, JSON.stringify({ ...ORIGINAL, expiresAt: 1_900_000_000_000 }))
    const store = new FileTokenStore({ path: file })
    await store.save(NEXT)
    expect(JSON.parse(await readFile(file, 'utf8')).expiresAt).toBe(NEXT.expiresAt)
  })

  it('compare-and-swap refuses when another process changed the file, and returns its login', async () => {
    const store = new FileTokenStore({ path: file })
    const seen = (await store.load())!
    const theirs = { ...ORIGINAL, accessToken: 'ide-access-eeee', expiresAt: '2030-03-03T00:00:00.000Z' }
    await writeFile(file, JSON.stringify(theirs))
    const result = await store.compareAndSwap(seen, { ...seen, ...NEXT })
    expect(result).toEqual({
      swapped: false,
      current: expect.objectContaining({
        accessToken: 'ide-access-eeee',
        expiresAt: Date.parse(theirs.expiresAt),
      }),
    })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(theirs)
  })

  it('sees a rewrite by another process on the next load', async () => {
    const store = new FileTokenStore({ path: file })
    await store.load()
    await writeFile(file, JSON.stringify({ ...ORIGINAL, accessToken: 'ide-access-ffff-longer' }))
    expect((await store.load())?.accessToken).toBe('ide-access-ffff-longer')
  })

  it('a failed rename leaves the original file whole and no temp file behind', async () => {
    const before = await readFile(file, 'utf8')
    const failingRename: FileSystem = {
      ...nodeFileSystem,
      rename: async () => {
        throw Object.assign(new Error('simulated crash'), { code: 'EIO' })
      },
    }
    const store = new FileTokenStore({ path: file, fs: failingRename })
    const error = await store.save(NEXT).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error).toMatchObject({ code: 'write_failed' })
    expect(await readFile(file, 'utf8')).toBe(before)
    expect(await readdir(dir)).toEqual(['kiro-auth-token.json'])
  })

  it('a crash between write and rename (temp left behind) never replaces the real file', async () => {
    const before = await readFile(file, 'utf8')
    const crashing: FileSystem = {
      ...nodeFileSystem,
      rename: async () => {
        throw new Error('process killed')
      },
      unlink: async () => {
        throw new Error('process killed')
      },
    }
    await expect(new FileTokenStore({ path: file, fs: crashing }).save(NEXT)).rejects.toMatchObject({
      code: 'write_failed',
    })
    const left = (await readdir(dir)).filter((name) => name !== 'kiro-auth-token.json')
    expect(left).toHaveLength(1)
    expect(left[0]).toMatch(/^\.kiro-auth-token\.json\..+\.tmp$/)
    // The orphan holds the complete new content (it was fsynced), but the real file is untouched.
    expect(JSON.parse(await readFile(join(dir, left[0]!), 'utf8')).accessToken).toBe(NEXT.accessToken)
    expect(await readFile(file, 'utf8')).toBe(before)

    const store = new FileTokenStore({ path: file })
    expect((await store.load())?.accessToken).toBe(ORIGINAL.accessToken)
    await store.save({ accessToken: 'after-restart-gggg' })
    expect(JSON.parse(await readFile(file, 'utf8')).accessToken).toBe('after-restart-gggg')
  })

  it('reads the IdC client registration named by clientIdHash, and never writes it into the token file', async () => {
    await writeFile(
      file,
      JSON.stringify({
        ...ORIGINAL,
        authMethod: 'IdC',
        clientIdHash: 'a1b2c3',
        startUrl: 'https://view.awsapps.com/start',
      }),
    )
    await writeFile(
      join(dir, 'a1b2c3.json'),
      JSON.stringify({
        clientId: 'reg-client-id',
        clientSecret: 'reg-client-secret-hhhh',
        expiresAt: '2030-06-01T00:00:00Z',
      }),
    )
    const store = new FileTokenStore({ path: file })
    const loaded = (await store.load())!
    expect(loaded).toMatchObject({
      authMethod: 'idc',
      clientId: 'reg-client-id',
      clientSecret: 'reg-client-secret-hhhh',
    })
    await store.compareAndSwap(loaded, { ...loaded, ...NEXT })
    const written = JSON.parse(await readFile(file, 'utf8'))
    expect(written).not.toHaveProperty('clientSecret')
    expect(written).not.toHaveProperty('clientId')
    expect(written).toMatchObject({
      clientIdHash: 'a1b2c3',
      startUrl: 'https://view.awsapps.com/start',
      accessToken: NEXT.accessToken,
    })
  })

  it('rejects a clientIdHash that is a path', async () => {
    await writeFile(file, JSON.stringify({ ...ORIGINAL, clientIdHash: '../../etc/passwd' }))
    await expect(new FileTokenStore({ path: file }).load()).rejects.toMatchObject({
      code: 'invalid_file',
      message: expect.stringContaining('clientIdHash'),
    })
  })

  it('reports a broken file by path and field, never by content', async () => {
    await writeFile(
      file,
      `{"accessToken": "${ORIGINAL.accessToken}", "refreshToken": "${ORIGINAL.refreshToken}",`,
    )
    const error = (await new FileTokenStore({ path: file })
      .load()
      .catch((e: unknown) => e)) as CredentialsError
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.code).toBe('invalid_file')
    expect(error.message).toContain(file)
    expect(error.message).not.toContain(ORIGINAL.accessToken)
    expect(error.message).not.toContain(ORIGINAL.refreshToken)
    expect(error.cause).toBeUndefined()

    await writeFile(file, JSON.stringify({ ...ORIGINAL, expiresAt: 'soon' }))
    await expect(new FileTokenStore({ path: file }).load()).rejects.toMatchObject({
      code: 'invalid_file',
      message: expect.stringContaining('expiresAt'),
    })
    await writeFile(file, JSON.stringify({ ...ORIGINAL, region: 'evil.example.com/x' }))
    await expect(new FileTokenStore({ path: file }).load()).rejects.toMatchObject({
      code: 'invalid_file',
      message: expect.stringContaining('region'),
    })
  })

  it('a file it may not look at is a CredentialsError naming the path, not a raw fs error', async () => {
    const denied: FileSystem = {
      ...nodeFileSystem,
      stat: async () => {
        throw Object.assign(new Error(`EACCES: permission denied, stat '${file}'`), { code: 'EACCES' })
      },
    }
    await expect(new FileTokenStore({ path: file, fs: denied }).load()).rejects.toMatchObject({
      name: 'CredentialsError',
      code: 'invalid_file',
      message: `${file}: cannot be read (EACCES).`,
    })
  })

  it('a missing file loads as undefined', async () => {
    expect(await new FileTokenStore({ path: join(dir, 'absent.json') }).load()).toBeUndefined()
  })
})
