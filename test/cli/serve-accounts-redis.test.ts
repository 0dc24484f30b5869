import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'
import { accountOf } from '../accounts/helpers.js'
import { connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'
import { envWithHome, spawnCli, waitForOutput } from './spawn-cli.js'

const ADMIN = 'admin-key-accounts-redis-test'
const PREFIX = 'team-test:'

interface AdminList {
  accounts: Array<{ id: string; state: string }>
}

// Two `serve` processes with the same accounts file and the same Redis: the file's accounts are
// the pool, and their statuses, logins and routes live in Redis, so both processes see one pool.
describe('kiro-client serve --accounts --redis (two child processes)', () => {
  let redis: RedisServer
  let sim: KiroSimulator
  let dir: string
  const children: ChildProcess[] = []
  const urls: string[] = []

  beforeAll(async () => {
    redis = await startRedisServer()
    sim = await createKiroSimulator()
    dir = await mkdtemp(join(tmpdir(), 'kiro-serve-accounts-redis-'))
    // Alice logs in from a token file next to the accounts file; bob has a bare access token.
    await writeFile(
      join(dir, 'alice.json'),
      JSON.stringify({
        accessToken: 'secret-access-alice',
        refreshToken: 'secret-refresh-alice',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        authMethod: 'social',
      }),
      { mode: 0o600 },
    )
    await writeFile(
      join(dir, 'accounts.json'),
      JSON.stringify({
        selection: 'round-robin',
        accounts: [
          { id: 'alice', credentials: { tokenFile: 'alice.json' }, baseURL: sim.url },
          { id: 'bob', credentials: { accessToken: 'secret-access-bob' }, baseURL: sim.url },
        ],
      }),
    )
    await writeFile(join(dir, 'admin-key'), `${ADMIN}\n`)
    for (let i = 0; i < 2; i++) {
      const child = spawnCli(
        [
          'serve',
          '--port',
          '0',
          '--accounts',
          join(dir, 'accounts.json'),
          '--admin-key-file',
          join(dir, 'admin-key'),
          '--redis-prefix',
          PREFIX,
        ],
        envWithHome(dir, { KIRO_REDIS_URL: redis.url }),
      )
      children.push(child)
    }
    for (const child of children) urls.push((await waitForOutput(child, /listening on (http:\/\/\S+)/))[1]!)
  }, 120_000)

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await once(child, 'close')
      }
    }
    await sim?.close()
    await redis?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  const admin = async (url: string, path = '', method = 'GET') => {
    const response = await fetch(`${url}/admin/accounts${path}`, { method, headers: { 'x-api-key': ADMIN } })
    expect(response.ok).toBe(true)
    return method === 'GET' ? ((await response.json()) as AdminList) : undefined
  }
  const ask = (url: string) =>
    new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 }).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    })

  it("keeps the accounts file's logins and statuses in Redis, shared by both processes", async () => {
    const [a, b] = urls as [string, string]
    for (const url of [a, a, b, b]) await ask(url)
    // Both accounts served (round-robin in each process), with the tokens of the file.
    expect(new Set(sim.generateRequests.map(accountOf))).toEqual(new Set(['alice', 'bob']))

    const db = await connectClient('ioredis', redis.url)
    try {
      // Each account's login is a record in Redis, not only in the processes' memory.
      expect(await db.command(['HEXISTS', `${PREFIX}token:alice`, 'data'])).toBe(1)
      expect(await db.command(['HEXISTS', `${PREFIX}token:bob`, 'data'])).toBe(1)
      expect(await db.command(['HEXISTS', `${PREFIX}token:default`, 'data'])).toBe(0)

      // An operator disables alice on process A: the status is written to Redis ...
      await admin(a, '/alice/disable', 'POST')
      const stored = (await db.command(['GET', `${PREFIX}status:alice`])) as string | null
      expect(JSON.parse(stored ?? '{}')).toMatchObject({ state: 'disabled' })
    } finally {
      await db.close()
    }
    // ... so process B, which was told nothing, shows it and serves from bob only.
    expect((await admin(b))?.accounts).toEqual([
      expect.objectContaining({ id: 'alice', state: 'disabled' }),
      expect.objectContaining({ id: 'bob', state: 'ready' }),
    ])
    const before = sim.generateRequests.length
    for (let i = 0; i < 4; i++) await ask(b)
    expect(sim.generateRequests.slice(before).map(accountOf)).toEqual(['bob', 'bob', 'bob', 'bob'])

    // Enabled again on B: A sees alice ready and uses her.
    await admin(b, '/alice/enable', 'POST')
    expect((await admin(a))?.accounts.map((account) => account.state)).toEqual(['ready', 'ready'])
    const after = sim.generateRequests.length
    for (let i = 0; i < 2; i++) await ask(a)
    expect(sim.generateRequests.slice(after).map(accountOf)).toContain('alice')
  })
})
