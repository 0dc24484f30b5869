// One process of the throttle test: a KiroClient with two accounts ("a", "b") whose pool keeps its
// state in Redis. Sends one request per "request <id> <conversation>" line on stdin and reports
// which account served it.
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createRedisState, type RedisClientLike } from '../../src/redis/index.js'
import type { WorkerMessage } from './worker.js'

interface PoolWorkerConfig {
  redis: { url: string; client: 'ioredis' | 'redis'; prefix: string }
  baseURL: string
}

const config = JSON.parse(process.argv[2]!) as PoolWorkerConfig
const send = (message: WorkerMessage) => process.stdout.write(`${JSON.stringify(message)}\n`)

let redis: unknown
let close: () => Promise<void>
if (config.redis.client === 'ioredis') {
  const client = new Redis(config.redis.url)
  client.on('error', () => {})
  redis = client
  close = async () => client.disconnect()
} else {
  const client = createClient({ url: config.redis.url })
  client.on('error', () => {})
  await client.connect()
  redis = client
  close = async () => client.destroy()
}

const state = createRedisState({ redis: redis as RedisClientLike, prefix: config.redis.prefix })
const expiresAt = Date.now() + 3_600_000
let served: { account?: string | undefined; failedOn?: string | undefined } = {}
const client = new KiroClient({
  baseURL: config.baseURL,
  accounts: ['a', 'b'].map((id) => ({ id, credentials: { accessToken: `${id}-access`, expiresAt } })),
  state,
  maxRetries: 0,
  hooks: {
    onRetry: (event) => {
      served.failedOn = event.account
    },
    onEnd: (event) => {
      served.account = event.account
    },
  },
})

async function request(id: number, conversation: string): Promise<void> {
  served = {}
  try {
    // The same first message gives the same conversation id (the sticky key) in every process.
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 32,
      messages: [{ role: 'user', content: `conversation ${conversation}` }],
    })
    send({ type: 'served', id, account: served.account ?? '?', ok: true, failedOn: served.failedOn })
  } catch (error) {
    send({ type: 'served', id, account: served.account ?? '?', ok: false, error: (error as Error).name })
  }
}

// One request at a time, in the order given.
let queue = Promise.resolve()
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [command, id, conversation] = line.split(' ')
  if (command === 'request') queue = queue.then(() => request(Number(id), conversation!))
  if (command === 'stop') {
    client.close()
    void close().then(() => process.exit(0))
  }
})
lines.on('close', () => process.exit(1))
send({ type: 'ready', pid: process.pid })
