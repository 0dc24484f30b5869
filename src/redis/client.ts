import { ConfigurationError } from '../errors/configuration-error.js'

/**
 * What `createRedisState` needs of a Redis client: the two libraries are told apart by shape, so
 * neither is imported (both are optional peer dependencies).
 */
export type RedisClientLike = IoRedisLike | NodeRedisLike

/** An `ioredis` client (`new Redis(url)`); only its shape is checked, so any version's types fit. */
export interface IoRedisLike {
  call(...args: never[]): unknown
  evalsha(...args: never[]): unknown
}

/** A `redis` (node-redis v4/v5) client (`await createClient({ url }).connect()`). */
export interface NodeRedisLike {
  sendCommand(...args: never[]): unknown
  evalSha(...args: never[]): unknown
}

type Call = (command: string, ...args: string[]) => Promise<unknown>
type SendCommand = (args: string[]) => Promise<unknown>

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
    masters?: unknown
  } | null
  if (typeof candidate?.evalSha === 'function' && typeof candidate.sendCommand === 'function') {
    if (candidate.masters !== undefined) {
      // Its raw commands take a routing key first: a different call than a single node's.
      throw new ConfigurationError(
        field,
        "node-redis's cluster client is not supported; use ioredis's Cluster",
      )
    }
    const sendCommand = (candidate.sendCommand as SendCommand).bind(client)
    return { library: 'node-redis', send: (args) => sendCommand(args) }
  }
  if (typeof candidate?.evalsha === 'function' && typeof candidate.call === 'function') {
    const call = (candidate.call as Call).bind(client)
    return { library: 'ioredis', send: ([name, ...args]) => call(name!, ...args) }
  }
  throw new ConfigurationError(
    field,
    'expected a connected ioredis client (new Redis(url)) or node-redis client (await createClient({ url }).connect())',
  )
}
