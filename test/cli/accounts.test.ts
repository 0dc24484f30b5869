import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileTokenStore } from '../../src/auth/file-token-store.js'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'
import { accountOf } from '../accounts/helpers.js'
import { envWithHome, runCli, spawnCli, waitForOutput } from './spawn-cli.js'

const REFRESH_SECRET = 'rt-secret-for-the-copy-test-0000'
const CLIENT_SECRET = 'client-secret-for-the-copy-test'

let home: string
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kiro-accounts-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('kiro-client accounts', () => {
  it('imports the Kiro IDE login (with its IdC registration), lists and removes it, never printing a secret', {
    timeout: 90_000,
  }, async () => {
    const cache = join(home, '.aws', 'sso', 'cache')
    await mkdir(cache, { recursive: true })
    await writeFile(
      join(cache, 'kiro-auth-token.json'),
      JSON.stringify({
        accessToken: 'at-secret-ide',
        refreshToken: REFRESH_SECRET,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        authMethod: 'IdC',
        region: 'us-east-1',
        clientIdHash: 'abc123',
      }),
    )
    await writeFile(
      join(cache, 'abc123.json'),
      JSON.stringify({ clientId: 'cid', clientSecret: CLIENT_SECRET }),
    )
    const env = envWithHome(home)
    const file = join(home, 'team', 'accounts.json')

    const added = await runCli(['accounts', 'add', 'alice', '--file', file, '--max-concurrency', '3'], env)
    expect(added.code).toBe(0)
    expect(added.stdout).toContain('Added alice: idc login')
    expect(added.stderr).toContain('share one refresh token')
    const copy = join(home, 'team', 'accounts', 'alice.json')
    expect((await stat(copy)).mode & 0o777).toBe(0o600)
    // The copy refreshes on its own: the registration travelled with it.
    expect(await new FileTokenStore({ path: copy }).load()).toMatchObject({
      refreshToken: REFRESH_SECRET,
      clientId: 'cid',
      clientSecret: CLIENT_SECRET,
      authMethod: 'idc',
    })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      accounts: [{ id: 'alice', credentials: { tokenFile: 'accounts/alice.json' }, maxConcurrency: 3 }],
    })

    const listed = await runCli(['accounts', 'list', '--file', file], env)
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(
      /^alice: idc login, us-east-1, token expires in \d+ min .*; max 3 at once\n$/,
    )
    for (const output of [added, listed]) {
      expect(output.stdout + output.stderr).not.toContain(REFRESH_SECRET)
      expect(output.stdout + output.stderr).not.toContain(CLIENT_SECRET)
    }

    const twice = await runCli(['accounts', 'add', 'alice', '--file', file], env)
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('already has an account named "alice"')

    const removed = await runCli(['accounts', 'remove', 'alice', '--file', file], env)
    expect(removed.code).toBe(0)
    await expect(stat(copy)).rejects.toMatchObject({ code: 'ENOENT' })
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ accounts: [] })
  })

  it('imports a given token file and refuses a bad name', { timeout: 60_000 }, async () => {
    const source = join(home, 'other-login.json')
    await writeFile(source, JSON.stringify({ accessToken: 'at', refreshToken: 'rt', authMethod: 'social' }))
    const file = join(home, 'given', 'accounts.json')
    const env = envWithHome(home)
    const bad = await runCli(['accounts', 'add', 'no/slash', '--from', source, '--file', file], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('accounts[0].id')
    const good = await runCli(['accounts', 'add', 'bob', '--from', source, '--file', file], env)
    expect(good.code).toBe(0)
    expect(good.stdout).toContain(`copied from ${source}`)
  })
})

describe('kiro-client keys', () => {
  it('prints a new key once and stores only its hash', { timeout: 60_000 }, async () => {
    const file = join(home, 'keys.json')
    const env = envWithHome(home)
    const added = await runCli(['keys', 'add', 'carol', '--file', file, '--account', 'alice'], env)
    expect(added.code).toBe(0)
    const key = added.stdout.trim()
    expect(key).toMatch(/^kck_[A-Za-z0-9_-]{43}$/)
    const stored = await readFile(file, 'utf8')
    expect(stored).not.toContain(key)
    expect(JSON.parse(stored)).toEqual({
      carol: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), accounts: ['alice'] },
    })
    const listed = await runCli(['keys', 'list', '--file', file], env)
    expect(listed.stdout).toBe('carol: pinned to alice\n')
    expect((await runCli(['keys', 'remove', 'carol', '--file', file], env)).code).toBe(0)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({})
    // A damaged file is named, never quoted, and left as it is.
    await writeFile(file, '{"carol": {"sha256": "kck_pasted-by-mistake"')
    const damaged = await runCli(['keys', 'list', '--file', file], env)
    expect(damaged.code).not.toBe(0)
    expect(damaged.stderr).toContain(`${file}: not valid JSON`)
    expect(damaged.stderr).not.toContain('pasted-by-mistake')
    expect(await readFile(file, 'utf8')).toBe('{"carol": {"sha256": "kck_pasted-by-mistake"')
  })
})

describe('kiro-client serve --accounts (child process)', () => {
  let sim: KiroSimulator
  let child: ChildProcess
  let url: string
  let dir: string
  let stderr = ''
  const ADMIN = 'admin-key-serve-test'

  const accountsFile = (ids: string[]) =>
    JSON.stringify({
      selection: 'round-robin',
      accounts: ids.map((id) => ({
        id,
        credentials: { accessToken: `secret-access-${id}` },
        baseURL: sim.url,
      })),
    })

  beforeAll(async () => {
    sim = await createKiroSimulator()
    dir = await mkdtemp(join(tmpdir(), 'kiro-serve-accounts-'))
    await writeFile(join(dir, 'accounts.json'), accountsFile(['alice', 'bob']))
    await writeFile(join(dir, 'admin-key'), `${ADMIN}\n`)
    const keys = await runCli(['keys', 'add', 'carol', '--file', join(dir, 'keys.json')], envWithHome(dir))
    await writeFile(join(dir, 'carol-key'), keys.stdout.trim())
    child = spawnCli(
      [
        'serve',
        '--port',
        '0',
        '--accounts',
        join(dir, 'accounts.json'),
        '--admin-key-file',
        join(dir, 'admin-key'),
        '--client-keys',
        join(dir, 'keys.json'),
      ],
      envWithHome(dir),
    )
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    url = (await waitForOutput(child, /listening on (http:\/\/\S+)/))[1]!
  }, 90_000)

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'close')
    }
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })

  const admin = async () =>
    (await (await fetch(`${url}/admin/accounts`, { headers: { 'x-api-key': ADMIN } })).json()) as {
      accounts: Array<{ id: string; state: string }>
    }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let i = 0; i < 100; i++) {
      const value = await read()
      if (done(value)) return value
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    throw new Error('gave up waiting')
  }

  it('serves members by their key over the pool, and shows the accounts to the admin', async () => {
    const key = await readFile(join(dir, 'carol-key'), 'utf8')
    const client = new Anthropic({ baseURL: url, apiKey: key, maxRetries: 0 })
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    })
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(sim.generateRequests.map(accountOf)).toEqual(['alice', 'bob'])
    const stranger = new Anthropic({ baseURL: url, apiKey: 'not-a-member', maxRetries: 0 })
    await expect(
      stranger.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError)
    expect((await admin()).accounts.map((account) => account.id)).toEqual(['alice', 'bob'])
    expect((await fetch(`${url}/admin/accounts`, { headers: { 'x-api-key': key } })).status).toBe(401)
    // The access log names the member and the account.
    expect(stderr).toMatch(/account alice/)
  })

  it('picks up a changed accounts file, and keeps the pool when the new file is bad', async () => {
    await writeFile(join(dir, 'accounts.json'), accountsFile(['alice', 'bob', 'dave']))
    const grown = await until(admin, (list) => list.accounts.length === 3)
    expect(grown.accounts.map((account) => account.id)).toEqual(['alice', 'bob', 'dave'])
    await writeFile(join(dir, 'accounts.json'), '{ "accounts": [ { "id": "x" } ] }')
    await until(
      async () => stderr,
      (text) => text.includes('accounts file not used'),
    )
    expect(stderr).toContain('accounts[0].credentials')
    expect((await admin()).accounts.map((account) => account.id)).toEqual(['alice', 'bob', 'dave'])
  })
})
