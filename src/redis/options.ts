import { ConfigurationError } from '../errors/configuration-error.js'
import type { RedisClientLike } from './client.js'
import type { RedisStateWarning } from './health.js'

export interface RedisStateOptions {
  /** A connected `ioredis` or `redis` (node-redis) client. It is used, never closed. */
  redis: RedisClientLike
  /** Prepended to every key; in Redis Cluster, include a hash tag (`{kiro}:`) so scripts see one slot. @defaultValue `'kiro:'` */
  prefix?: string | undefined
  /** Bound on each Redis call; past it the call counts as failed. @defaultValue 250 */
  commandTimeoutMs?: number | undefined
  /** While Redis is unavailable, how often one call probes it again. @defaultValue 1_000 */
  retryIntervalMs?: number | undefined
  /** The per-account lock held around a token refresh. */
  refreshLock?:
    | {
        /** A holder that dies delays the others by at most this long. @defaultValue 10_000 */
        leaseMs?: number | undefined
        /** How long to wait for the lock (or for Redis) before failing the refresh. @defaultValue 30_000 */
        waitMs?: number | undefined
      }
    | undefined
  /**
   * Seals logins at rest with AES-256-GCM (WebCrypto): 32 raw bytes or an AES-GCM `CryptoKey`.
   * Without it, logins (refresh tokens included) are stored in plain JSON (docs/shared-state.md).
   */
  encryptionKey?: Uint8Array | CryptoKey | undefined
  /** Told when Redis becomes unavailable (requests continue on local state) and when it is back. */
  onWarning?: ((warning: RedisStateWarning) => void) | undefined
}

export interface ResolvedRedisStateOptions {
  prefix: string
  commandTimeoutMs: number
  retryIntervalMs: number
  refreshLeaseMs: number
  refreshWaitMs: number
}

/** Defaults filled in; anything invalid is a `ConfigurationError` naming the option. */
export function resolveRedisStateOptions(options: RedisStateOptions): ResolvedRedisStateOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError('options', 'expected an object with at least { redis }')
  }
  const prefix = options.prefix ?? 'kiro:'
  if (typeof prefix !== 'string')
    throw new ConfigurationError('prefix', `expected a string, got ${typeof prefix}`)
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new ConfigurationError('onWarning', 'expected a function')
  }
  return {
    prefix,
    commandTimeoutMs: positive('commandTimeoutMs', options.commandTimeoutMs, 250),
    retryIntervalMs: positive('retryIntervalMs', options.retryIntervalMs, 1_000),
    refreshLeaseMs: positive('refreshLock.leaseMs', options.refreshLock?.leaseMs, 10_000),
    refreshWaitMs: positive('refreshLock.waitMs', options.refreshLock?.waitMs, 30_000),
  }
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError(field, `expected a positive number of milliseconds, got ${String(value)}`)
  }
  return value
}
