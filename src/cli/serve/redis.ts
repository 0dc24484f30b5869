import type { RedisClientLike } from '../../redis/client.js'
import { bounded, type RedisStateWarning } from '../../redis/health.js'
import { createRedisState, type RedisState } from '../../redis/redis-state.js'
import { registerSecret } from '../../util/redact.js'
import { UsageError } from '../args.js'

/** A Redis connection the CLI opened itself, and the state on it. */
export interface OpenedRedis {
  state: RedisState
  /** `ioredis` or `redis`: whichever package was found. */
  library: string
  close(): Promise<void>
}

/** Loads an optional package; tests pass one that finds nothing. */
export type PackageImporter = (name: 'ioredis' | 'redis') => Promise<unknown>

const importPackage: PackageImporter = (name) => import(name)

/** How long the CLI waits for Redis at startup before giving up. */
const CONNECT_TIMEOUT_MS = 5_000

/**
 * `serve --redis URL`: connects with whichever of `ioredis` or `redis` (node-redis) is installed
 * (both are optional peer dependencies) and builds the shared state on it (docs/shared-state.md).
 * Errors name the URL without its password.
 */
export async function openRedis(
  options: {
    url: string
    prefix: string
    encryptionKey: string | undefined
    /** Told, in a sentence naming the URL without its password, when Redis goes away and comes back. */
    onWarning: (message: string) => void
  },
  importer: PackageImporter = importPackage,
): Promise<OpenedRedis> {
  const shown = withoutPassword(options.url)
  const key = options.encryptionKey === undefined ? undefined : decodeKey(options.encryptionKey)
  const client = await connect(options.url, shown, importer)
  const onWarning = (warning: RedisStateWarning) =>
    options.onWarning(
      warning.type === 'unavailable'
        ? `Redis ${shown} unavailable (${warning.message}); serving from local state`
        : `Redis ${shown} is back after ${warning.downMs} ms`,
    )
  const state = createRedisState({
    redis: client.client as RedisClientLike,
    prefix: options.prefix,
    encryptionKey: key,
    onWarning,
  })
  return { state, library: client.library, close: client.close }
}

interface Connected {
  client: unknown
  library: string
  close(): Promise<void>
}

async function connect(url: string, shown: string, importer: PackageImporter): Promise<Connected> {
  const ioredis = (await importer('ioredis').catch(() => undefined)) as
    | { Redis: new (url: string, options: object) => IoRedisClient }
    | undefined
  if (ioredis?.Redis !== undefined) {
    const client = new ioredis.Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: CONNECT_TIMEOUT_MS,
    })
    client.on('error', () => {})
    try {
      await client.connect()
    } catch (error) {
      client.disconnect()
      throw unreachable(shown, error)
    }
    return { client, library: 'ioredis', close: async () => client.disconnect() }
  }
  const nodeRedis = (await importer('redis').catch(() => undefined)) as
    | { createClient: (options: object) => NodeRedisClient }
    | undefined
  if (nodeRedis?.createClient !== undefined) {
    const client = nodeRedis.createClient({
      url,
      socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: retry },
    })
    client.on('error', () => {})
    try {
      await bounded(client.connect(), CONNECT_TIMEOUT_MS)
    } catch (error) {
      client.destroy()
      throw unreachable(shown, error)
    }
    return { client, library: 'redis', close: async () => client.destroy() }
  }
  throw new UsageError(
    '--redis: neither the ioredis nor the redis package is installed; install one (npm install ioredis)',
  )
}

interface IoRedisClient {
  on(event: 'error', listener: () => void): void
  connect(): Promise<void>
  disconnect(): void
}

interface NodeRedisClient {
  on(event: 'error', listener: () => void): void
  connect(): Promise<unknown>
  destroy(): void
}

/** node-redis retries forever by default; at startup a dead Redis must fail instead. */
function retry(attempt: number): number | Error {
  return attempt > 20 ? new Error('Redis unreachable') : Math.min(attempt * 100, 2_000)
}

function unreachable(shown: string, error: unknown): UsageError {
  const code = (error as { code?: unknown } | null)?.code
  const why = typeof code === 'string' ? code : error instanceof Error ? error.message : 'error'
  return new UsageError(`--redis: cannot connect to ${shown} (${why})`)
}

/** The URL as it may be printed: any password replaced. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      throw new UsageError(`--redis: expected a redis:// or rediss:// URL, got ${parsed.protocol}//`)
    }
    if (parsed.password !== '') {
      // Redacted wherever this process prints (a client library's message could quote it).
      registerSecret(decodeURIComponent(parsed.password))
      parsed.password = '***'
    }
    return parsed.toString()
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError('--redis: expected a URL like redis://host:6379')
  }
}

/** `--redis-key`: 32 bytes, base64 (`openssl rand -base64 32`). */
function decodeKey(text: string): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0))
  } catch {
    throw new UsageError('--redis-key: expected 32 bytes in base64 (openssl rand -base64 32)')
  }
  if (bytes.byteLength !== 32) {
    throw new UsageError(`--redis-key: expected 32 bytes in base64, got ${bytes.byteLength} bytes`)
  }
  return bytes
}
