// One process of the throttle test: an account pool of two logins ("a", "b") on the Redis state,
// sending one request per "request <id> <conversation>" line on stdin through the account the pool
// picks, and reporting a failure to the pool as the request pipeline does.
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { AccountPool } from '../../src/accounts/account-pool.js'
import { PoolAccount } from '../../src/accounts/pool-account.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createRedisState, type RedisClientLike } from '../../src/redis/index.js'
import { toKiroModelId } from '../../src/translate/models.js'
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
const login = { accessToken: 'any-access', expiresAt: Date.now() + 3_600_000 }
const accounts = ['a', 'b'].map(
  (id, index) =>
    new PoolAccount({ id, credentials: { ...login, accessToken: `${id}-access` } }, index, {}, state),
)
const pool = new AccountPool({ accounts, state, selection: 'sticky' })
const clients = new Map(
  accounts.map((account) => [
    account.id,
    new KiroClient({ baseURL: config.baseURL, credentials: account.credentials, maxRetries: 0 }),
  ]),
)
const MODEL = 'claude-sonnet-4-5'

async function request(id: number, conversation: string): Promise<void> {
  const lease = await pool.acquire({ model: MODEL, modelId: toKiroModelId(MODEL), stickyKey: conversation })
  const account = lease.account.id
  try {
    await clients.get(account)!.messages.create({
      model: MODEL,
      max_tokens: 32,
      messages: [{ role: 'user', content: 'hello' }],
    })
    pool.succeeded(lease.account)
    send({ type: 'served', id, account, ok: true })
  } catch (error) {
    const parked = await pool.fail(lease, error)
    send({ type: 'served', id, account, ok: false, error: (error as Error).name, parked })
  } finally {
    lease.release()
  }
}

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [command, id, conversation] = line.split(' ')
  if (command === 'request') void request(Number(id), conversation!)
  if (command === 'stop') {
    for (const client of clients.values()) client.close()
    void close().then(() => process.exit(0))
  }
})
lines.on('close', () => process.exit(1))
send({ type: 'ready', pid: process.pid })
