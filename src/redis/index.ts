// The `kiro-client/redis` entry: the account pool's State in Redis. Imports no Redis library: the
// user passes a connected ioredis or node-redis client.

export { LockTimeoutError } from '../state/lock-table.js'
export { StateUnavailableError } from '../state/state-unavailable-error.js'
export type {
  AccountState,
  AccountStatusRecord,
  LockLease,
  LockOptions,
  PoolSnapshot,
  SlotLease,
  State,
} from '../state/types.js'
export type { IoRedisLike, NodeRedisLike, RedisClientLike } from './client.js'
export type { RedisStateWarning } from './health.js'
export type { RedisStateOptions } from './options.js'
export { createRedisState, RedisState } from './redis-state.js'
