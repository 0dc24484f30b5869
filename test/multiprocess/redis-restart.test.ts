import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/simulator.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'
import { killAll, type RefreshRelay, startRefreshRelay, startWorker, type Worker } from './harness.js'

const LIVE = { accessToken: 'live-access', refreshToken: 'refresh-0', expiresAt: Date.now() + 3_600_000 }

let redis: RedisServer
let simulator: KiroSimulator
let relay: RefreshRelay
const workers: Worker[] = []

beforeAll(async () => {
  redis = await startRedisServer()
  simulator = await createKiroSimulator({ tokens: { accessToken: 'live-access', refreshToken: 'refresh-0' } })
  relay = await startRefreshRelay(simulator)
})
afterEach(() => {
  killAll(workers.splice(0))
})
afterAll(async () => {
  await relay?.close()
  await simulator?.close()
  await redis?.close()
})

it('Redis killed and restarted while four processes serve requests: none fails because of it', async () => {
  const prefix = `restart-${Math.random().toString(36).slice(2, 8)}:`
  const started = await Promise.all(
    Array.from({ length: 4 }, async (_, index) => {
      const worker = await startWorker({
        store: 'redis',
        leaseMs: 1_500,
        waitMs: 5_000,
        redis: {
          url: redis.url,
          client: index % 2 === 0 ? 'ioredis' : 'redis',
          prefix,
          commandTimeoutMs: 100,
        },
        login: LIVE,
        baseURL: simulator.url,
        refreshUrl: relay.url,
        lanes: 5,
        mode: 'until-stop',
        useState: true,
      })
      workers.push(worker)
      return worker
    }),
  )
  for (const worker of started) worker.send('go')
  const progressed = (worker: Worker, at: number) =>
    worker.next((message) => message.type === 'progress' && message.ok >= at)
  await Promise.all(started.map((worker) => progressed(worker, 20)))

  await redis.kill()
  // Every process noticed the outage (its calls fell back to local state) ...
  await Promise.all(
    started.map((worker) => worker.next((m) => m.type === 'warning' && m.warning === 'unavailable')),
  )
  // ... and kept serving through it.
  const during = started.map((worker) => worker.messages.filter((m) => m.type === 'progress').length)
  await Promise.all(started.map((worker, index) => progressed(worker, (during[index]! + 1) * 20)))

  await redis.start()
  await Promise.all(
    started.map((worker) => worker.next((m) => m.type === 'warning' && m.warning === 'recovered')),
  )
  for (const worker of started) worker.send('stop')
  const results = await Promise.all(started.map((worker) => worker.done()))
  expect(results.map((result) => result.errors)).toEqual(started.map(() => []))
  expect(results.every((result) => result.ok > 40)).toBe(true)
  expect(relay.calls).toHaveLength(0)
}, 180_000)
