// One process of a multi-process test: a KiroClient whose login lives in a shared store (the token
// file, or Redis), sending requests to the simulator once the parent says "go". Reads "go" and
// "stop" lines on stdin; writes one JSON object per line on stdout.
import { createInterface } from 'node:readline'
import { Redis } from 'ioredis'
import { createClient } from 'redis'
import { FileTokenStore } from '../../src/auth/file-token-store.js'
import { RefreshingCredentials } from '../../src/auth/refresh/refreshing-credentials.js'
import { MemoryTokenStore, type TokenStore } from '../../src/auth/token-store.js'
import type { StoredToken } from '../../src/auth/types.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createRedisState } from '../../src/redis/index.js'
import type { State } from '../../src/state/types.js'

export interface WorkerConfig {
  store: 'file' | 'redis'
  /** The token file (file store), or nothing. */
  tokenFile?: string
  leaseMs: number
  waitMs: number
  redis?: { url: string; client: 'ioredis' | 'redis'; prefix: string; commandTimeoutMs?: number }
  /** The login a Redis store is seeded with. */
  login?: StoredToken
  baseURL: string
  /** The social refresh endpoint. */
  refreshUrl: string
  /** Requests sent at once. */
  lanes: number
  /** Each lane sends one request, or keeps sending until "stop". */
  mode: 'once' | 'until-stop'
  /** Around each request: snapshot, take a slot, release it (the pool's calls on the State). */
  useState?: boolean
}

export type WorkerMessage =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; ok: number }
  | { type: 'warning'; warning: string }
  | { type: 'done'; ok: number; failed: number; errors: string[]; tokens: string[] }

const config = JSON.parse(process.argv[2]!) as WorkerConfig
const send = (message: WorkerMessage) => process.stdout.write(`${JSON.stringify(message)}\n`)

let state: State | undefined
let close = async () => {}
let store: TokenStore
if (config.store === 'file') {
  store = new FileTokenStore({
    path: config.tokenFile,
    lock: { leaseMs: config.leaseMs, waitMs: config.waitMs },
  })
} else {
  const { url, client: kind, prefix, commandTimeoutMs } = config.redis!
  let redis: unknown
  if (kind === 'ioredis') {
    const client = new Redis(url, { retryStrategy: () => 50, maxRetriesPerRequest: 1 })
    client.on('error', () => {})
    redis = client
    close = async () => client.disconnect()
  } else {
    const client = createClient({ url, socket: { reconnectStrategy: () => 50 } })
    client.on('error', () => {})
    await client.connect()
    redis = client
    close = async () => client.destroy()
  }
  state = createRedisState({
    redis: redis as never,
    prefix,
    commandTimeoutMs,
    retryIntervalMs: 100,
    refreshLock: { leaseMs: config.leaseMs, waitMs: config.waitMs },
    onWarning: (warning) => send({ type: 'warning', warning: warning.type }),
  })
  store = state.tokenStore('default', new MemoryTokenStore(config.login))
}

// The refresh endpoint learns which process called it, so the parent can kill the lock holder.
const taggedFetch: typeof fetch = (input, init) =>
  fetch(input, {
    ...init,
    headers: { ...(init?.headers as Record<string, string>), 'x-worker-pid': String(process.pid) },
  })

const credentials = new RefreshingCredentials({
  store,
  fetch: taggedFetch,
  refreshEndpoints: { social: config.refreshUrl },
  backgroundRefresh: false,
})
const client = new KiroClient({ baseURL: config.baseURL, credentials, maxRetries: 0 })

let ok = 0
const errors: string[] = []
const tokens = new Set<string>()
let stopping = false

async function one(): Promise<void> {
  const snapshot = state === undefined ? undefined : await state.snapshot(['default'], 'conversation')
  const slot =
    state === undefined || snapshot === undefined
      ? undefined
      : await state.acquireSlot('default', 1_000, 30_000)
  try {
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hello' }],
    })
    tokens.add((await credentials.getToken()).accessToken)
    ok += 1
    if (config.mode === 'until-stop' && ok % 20 === 0) send({ type: 'progress', ok })
  } catch (error) {
    errors.push(`${(error as Error).name}: ${(error as Error).message}`)
  } finally {
    if (slot !== undefined) await state!.releaseSlot(slot)
  }
}

async function lane(): Promise<void> {
  if (config.mode === 'once') return one()
  while (!stopping) await one()
}

const lines = createInterface({ input: process.stdin })
let started: Promise<void> | undefined
lines.on('line', (line) => {
  if (line === 'go' && started === undefined) {
    started = Promise.all(Array.from({ length: config.lanes }, lane)).then(async () => {
      send({ type: 'done', ok, failed: errors.length, errors: errors.slice(0, 5), tokens: [...tokens] })
      client.close()
      await close()
      process.exit(0)
    })
  }
  if (line === 'stop') stopping = true
})
// The parent went away (a test that failed or timed out): nobody will read the result.
lines.on('close', () => process.exit(1))
send({ type: 'ready', pid: process.pid })
