import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/simulator.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'
import { killAll, type RefreshRelay, startRefreshRelay, startWorker, type Worker } from './harness.js'
import type { WorkerConfig } from './worker.js'

// Many processes, one login: an expired access token and a refresh token that works once (the
// simulator rotates it on every refresh). Leases are short so that a killed holder costs little.
const PROCESSES = 8
const LANES = 25
const LEASE_MS = 1_500
const EXPIRED = { accessToken: 'expired-access', refreshToken: 'refresh-0', expiresAt: Date.now() - 60_000 }

let redis: RedisServer
let dir: string
let simulator: KiroSimulator
let relay: RefreshRelay | undefined
const workers: Worker[] = []

beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(async () => {
  await redis?.close()
})
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiro-multi-'))
  await writeFile(
    join(dir, 'kiro-auth-token.json'),
    JSON.stringify({ ...EXPIRED, authMethod: 'social', region: 'us-east-1' }),
  )
  simulator = await createKiroSimulator({
    tokens: { accessToken: 'expired-access', refreshToken: 'refresh-0' },
  })
})
afterEach(async () => {
  killAll(workers.splice(0))
  await relay?.close()
  relay = undefined
  await simulator.close()
  await rm(dir, { recursive: true, force: true })
})

type Store = 'file' | 'redis'

/** The configuration of worker `index`: Redis stores alternate between ioredis and node-redis. */
function configFor(store: Store, index: number, prefix: string): WorkerConfig {
  return {
    store,
    tokenFile: join(dir, 'kiro-auth-token.json'),
    leaseMs: LEASE_MS,
    waitMs: 20_000,
    redis: { url: redis.url, client: index % 2 === 0 ? 'ioredis' : 'redis', prefix },
    login: EXPIRED,
    baseURL: simulator.url,
    refreshUrl: relay!.url,
    lanes: LANES,
    mode: 'once',
  }
}

async function startAll(store: Store): Promise<Worker[]> {
  const prefix = `multi-${Math.random().toString(36).slice(2, 8)}:`
  return Promise.all(
    Array.from({ length: PROCESSES }, async (_, index) => {
      const worker = await startWorker(configFor(store, index, prefix))
      workers.push(worker)
      return worker
    }),
  )
}

// Starting eight Node processes (tsx) takes a while on a busy machine; this bounds a hang, it
// measures nothing.
const TIMEOUT_MS = 180_000

describe.each<Store>(['file', 'redis'])('%s store shared by processes', (store) => {
  it(
    `${PROCESSES} processes x ${LANES} requests on an expired rotating login: one refresh, no failure`,
    async () => {
      relay = await startRefreshRelay(simulator)
      const started = await startAll(store)
      for (const worker of started) worker.send('go')
      const results = await Promise.all(started.map((worker) => worker.done()))
      expect(results.map((result) => result.errors)).toEqual(started.map(() => []))
      expect(results.reduce((sum, result) => sum + result.ok, 0)).toBe(PROCESSES * LANES)
      expect(relay.calls).toHaveLength(1)
      // Everyone ended on the one refreshed login.
      const tokens = new Set(results.flatMap((result) => result.tokens))
      expect(tokens).toEqual(new Set([simulator.tokens?.accessToken]))
      expect(simulator.refreshRequests).toHaveLength(1)
    },
    TIMEOUT_MS,
  )

  it(
    'the lock holder killed (-9) mid-refresh: another takes over after the lease, the rest succeed',
    async () => {
      // The first refresh call is never answered: its process is killed while waiting for it.
      relay = await startRefreshRelay(simulator, { hold: (index) => index === 0 })
      const started = await startAll(store)
      for (const worker of started) worker.send('go')
      await relay.received(1)
      const holder = started.find((worker) => worker.pid === relay!.calls[0]!.pid)!
      holder.child.kill('SIGKILL')
      const survivors = started.filter((worker) => worker !== holder)
      const results = await Promise.all(survivors.map((worker) => worker.done()))
      expect(results.map((result) => result.errors)).toEqual(survivors.map(() => []))
      expect(results.reduce((sum, result) => sum + result.ok, 0)).toBe((PROCESSES - 1) * LANES)
      expect(relay.calls.map((call) => call.outcome)).toEqual(['held', 'forwarded'])
      expect(relay.calls[1]!.pid).not.toBe(holder.pid)
    },
    TIMEOUT_MS,
  )
})
