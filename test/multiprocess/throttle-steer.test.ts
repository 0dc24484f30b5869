import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/simulator.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'
import { killAll, startWorker, type Worker } from './harness.js'
import type { WorkerMessage } from './worker.js'

let redis: RedisServer
let simulator: KiroSimulator
const workers: Worker[] = []

beforeAll(async () => {
  redis = await startRedisServer()
  simulator = await createKiroSimulator()
})
afterEach(() => {
  killAll(workers.splice(0))
})
afterAll(async () => {
  await simulator?.close()
  await redis?.close()
})

type Served = Extract<WorkerMessage, { type: 'served' }>

let sequence = 0
async function request(worker: Worker, conversation: string): Promise<Served> {
  const id = ++sequence
  worker.send(`request ${id} ${conversation}`)
  return (await worker.next((m) => m.type === 'served' && m.id === id)) as Served
}

it('a throttle seen by process A steers process B away from that account', async () => {
  const prefix = `steer-${Math.random().toString(36).slice(2, 8)}:`
  const [a, b] = await Promise.all(
    (['ioredis', 'redis'] as const).map(async (client) => {
      const worker = await startWorker(
        { redis: { url: redis.url, client, prefix }, baseURL: simulator.url },
        'pool-worker.ts',
      )
      workers.push(worker)
      return worker
    }),
  )
  // A starts a conversation; its sticky route is in Redis, so B follows it to the same account.
  const first = await request(a!, 'one')
  expect(first.ok).toBe(true)
  expect(['a', 'b']).toContain(first.account)
  const other = first.account === 'a' ? 'b' : 'a'
  expect(await request(b!, 'one')).toMatchObject({ ok: true, account: first.account })

  // Kiro throttles A's next request there: A's pool parks that account in Redis and moves on.
  simulator.enqueue([
    {
      error: {
        status: 429,
        headers: { 'x-amzn-errortype': 'ThrottlingException' },
        body: { message: 'Rate exceeded' },
      },
    },
  ])
  expect(await request(a!, 'one')).toMatchObject({ ok: true, failedOn: first.account, account: other })

  // B saw no throttle itself: its requests, that conversation's and new ones, avoid the parked account.
  expect(await request(b!, 'one')).toMatchObject({ ok: true, account: other })
  for (const conversation of ['two', 'three', 'four', 'five']) {
    expect(await request(b!, conversation)).toMatchObject({ ok: true, account: other })
  }
  for (const worker of [a!, b!]) worker.send('stop')
}, 180_000)
