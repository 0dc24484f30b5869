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
  // A starts the conversation; its sticky route is shared, so B follows it to the same account.
  const first = await request(a!, 'conversation-1')
  expect(first.ok).toBe(true)
  expect((await request(b!, 'conversation-1')).account).toBe(first.account)

  // Kiro throttles A's next request on that account: A's pool parks it in Redis.
  simulator.enqueue([
    {
      error: {
        status: 429,
        headers: { 'x-amzn-errortype': 'ThrottlingException' },
        body: { message: 'Rate exceeded' },
      },
    },
  ])
  const throttled = await request(a!, 'conversation-1')
  expect(throttled).toMatchObject({ account: first.account, ok: false, parked: true })

  // B, which saw no throttle itself, goes to the other account for the same conversation.
  const steered = await request(b!, 'conversation-1')
  expect(steered.ok).toBe(true)
  expect(steered.account).not.toBe(first.account)
  for (const worker of [a!, b!]) worker.send('stop')
}, 180_000)
