import { ConfigurationError } from '../errors/configuration-error.js'

/**
 * What `createRedisState` needs of a Redis client: the two libraries are told apart by shape, so
 * neither is imported (both are optional peer dependencies).
 */
export type RedisClientLike = IoRedisLike | NodeRedisLike

/** An `ioredis` client (`new Redis(url)`). */
export interface IoRedisLike {
  call(command: string, ...args: Array<string | number>): Promise<unknown>
  evalsha(...args: Array<string | number>): Promise<unknown>
}

/** A `redis` (node-redis v4/v5) client (`await createClient({ url }).connect()`). */
export interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>
  evalSha(...args: never[]): Promise<unknown>
}

/** One raw command, whichever library sent it. */
export interface RedisCommands {
  readonly library: 'ioredis' | 'node-redis'
  send(args: string[]): Promise<unknown>
}

/** Wraps the user's client; throws a `ConfigurationError` for anything that is neither library. */
export function adaptClient(client: unknown, field = 'redis'): RedisCommands {
  const candidate = client as {
    evalSha?: unknown
    sendCommand?: unknown
    evalsha?: unknown
    call?: unknown
  } | null
  if (typeof candidate?.evalSha === 'function' && typeof candidate.sendCommand === 'function') {
    const nodeRedis = client as NodeRedisLike
    return { library: 'node-redis', send: (args) => nodeRedis.sendCommand(args) }
  }
  if (typeof candidate?.evalsha === 'function' && typeof candidate.call === 'function') {
    const ioredis = client as IoRedisLike
    return { library: 'ioredis', send: ([name, ...args]) => ioredis.call(name!, ...args) }
  }
  throw new ConfigurationError(
    field,
    'expected a connected ioredis client (new Redis(url)) or node-redis client (await createClient({ url }).connect())',
  )
}
