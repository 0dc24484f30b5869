import type { TokenStore } from '../auth/token-store.js'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { LockTimeoutError } from '../state/lock-table.js'
import type {
  AccountStatusRecord,
  LockLease,
  LockOptions,
  PoolSnapshot,
  SlotLease,
  State,
  StateWarning,
} from '../state/types.js'
import { adaptClient, type RedisCommands } from './client.js'
import { bounded, RedisHealth } from './health.js'
import { LocalState } from './local-state.js'
import {
  type RedisStateOptions,
  type ResolvedRedisStateOptions,
  resolveRedisStateOptions,
} from './options.js'
import { acquireRedisLock } from './redis-lock.js'
import { RedisTokenStore } from './redis-token-store.js'
import { SLOT_ACQUIRE, SLOT_RENEW, SNAPSHOT } from './scripts.js'
import { SecretBox } from './secret-box.js'

/** Slots taken while Redis was unavailable live only in this process. */
const LOCAL_SLOT = 'local:'

/**
 * The account pool's `State` kept in Redis, shared by every process and host that uses the same
 * Redis and prefix (docs/shared-state.md). Every call is bounded by `commandTimeoutMs`; while Redis
 * is unavailable the state falls back to this process's own view, warns once through `onWarning`,
 * and replays the writes Redis missed when it answers again. Token refreshes are the exception:
 * they never run without the Redis lock.
 */
export class RedisState implements State {
  readonly kind = 'redis'
  readonly #redis: RedisCommands
  readonly #options: ResolvedRedisStateOptions
  readonly #health: RedisHealth
  readonly #local = new LocalState()
  readonly #box: SecretBox
  readonly #stores = new Map<string, RedisTokenStore>()
  readonly #listeners = new Set<(warning: StateWarning) => void>()

  constructor(options: RedisStateOptions) {
    this.#options = resolveRedisStateOptions(options)
    this.#redis = adaptClient(options.redis)
    this.#box = new SecretBox(options.encryptionKey)
    const onWarning = options.onWarning
    this.#health = new RedisHealth(this.#options.retryIntervalMs, (warning) => {
      for (const listener of [onWarning, ...this.#listeners]) {
        try {
          listener?.(warning)
        } catch {
          // A throwing listener must not break a request.
        }
      }
    })
  }

  /** Which client library was recognised: `ioredis` or `node-redis`. */
  get library(): 'ioredis' | 'node-redis' {
    return this.#redis.library
  }

  tokenStore(accountId: string, seed: TokenStore): TokenStore {
    let store = this.#stores.get(accountId)
    if (store === undefined) {
      store = new RedisTokenStore(
        {
          redis: this.#redis,
          box: this.#box,
          call: (operation, run) => this.#call(operation, run),
          reachable: () => this.#health.shouldTry(),
          defer: (key, write) => this.#local.defer(key, write),
          refreshLock: (id, signal) => this.#refreshLock(id, signal),
        },
        accountId,
        this.#key('token', accountId),
        seed,
      )
      this.#stores.set(accountId, store)
    }
    return store
  }

  /** A lease lock; the lease bounds the hold (as in the memory state) unless released earlier. */
  lock(key: string, options: LockOptions): Promise<LockLease> {
    return this.#lock(key, options, false)
  }

  #lock(key: string, options: LockOptions, renew: boolean): Promise<LockLease> {
    const context = {
      name: key,
      redis: this.#redis,
      timeoutMs: this.#options.commandTimeoutMs,
      lockKey: this.#key('lock', key),
      fenceKey: this.#key('fence', key),
    }
    return acquireRedisLock(context, options, renew)
  }

  async snapshot(accountIds: readonly string[], stickyKey?: string): Promise<PoolSnapshot> {
    const keys = [
      ...accountIds.map((id) => this.#key('status', id)),
      ...accountIds.map((id) => this.#key('slots', id)),
    ]
    if (stickyKey !== undefined) keys.push(this.#key('sticky', stickyKey))
    const args = [String(accountIds.length), stickyKey === undefined ? '0' : '1']
    return this.#orLocal(
      'snapshot',
      async () => {
        const [statuses, counts, sticky] = (await SNAPSHOT.run(this.#redis, keys, args)) as [
          string[],
          number[],
          string,
        ]
        const snapshot: PoolSnapshot = { statuses: new Map(), inFlight: new Map() }
        accountIds.forEach((id, index) => {
          const status = parseStatus(statuses[index])
          if (status !== undefined) snapshot.statuses.set(id, status)
          const count = Number(counts[index] ?? 0)
          if (count > 0) snapshot.inFlight.set(id, count)
        })
        if (sticky) snapshot.sticky = sticky
        this.#local.adopt(accountIds, snapshot.statuses)
        return snapshot
      },
      () => this.#local.snapshot(accountIds, stickyKey),
    )
  }

  async setStatus(accountId: string, status: AccountStatusRecord | undefined): Promise<void> {
    this.#local.setStatus(accountId, status)
    const key = this.#key('status', accountId)
    const write = async () => {
      const ttl = status?.until === undefined ? undefined : Math.ceil(status.until - Date.now())
      if (status === undefined || (ttl !== undefined && ttl <= 0)) await this.#redis.send(['DEL', key])
      else if (ttl === undefined) await this.#redis.send(['SET', key, JSON.stringify(status)])
      else await this.#redis.send(['SET', key, JSON.stringify(status), 'PX', String(ttl)])
    }
    await this.#orLocal('setStatus', write, () => this.#local.defer(key, write))
  }

  async acquireSlot(accountId: string, max: number, leaseMs: number): Promise<SlotLease | undefined> {
    const id = slotId()
    const lease = String(Math.max(1, Math.round(leaseMs)))
    return this.#orLocal(
      'acquireSlot',
      async () => {
        const granted = await SLOT_ACQUIRE.run(
          this.#redis,
          [this.#key('slots', accountId)],
          [id, String(max), lease],
        )
        return Number(granted) === 1 ? { accountId, id } : undefined
      },
      () => this.#local.acquireSlot(accountId, max, leaseMs, LOCAL_SLOT + id),
    )
  }

  async renewSlot(lease: SlotLease, leaseMs: number): Promise<boolean> {
    if (lease.id.startsWith(LOCAL_SLOT)) return this.#local.renewSlot(lease, leaseMs)
    const ms = String(Math.max(1, Math.round(leaseMs)))
    return this.#orLocal(
      'renewSlot',
      async () =>
        Number(await SLOT_RENEW.run(this.#redis, [this.#key('slots', lease.accountId)], [lease.id, ms])) ===
        1,
      // Unknown while Redis is away: the stream goes on; the slot's lease may lapse meanwhile.
      () => true,
    )
  }

  async releaseSlot(lease: SlotLease): Promise<void> {
    if (lease.id.startsWith(LOCAL_SLOT)) return this.#local.releaseSlot(lease)
    // Missed while Redis is away: the slot's lease runs out instead.
    await this.#orLocal(
      'releaseSlot',
      async () => {
        await this.#redis.send(['ZREM', this.#key('slots', lease.accountId), lease.id])
      },
      () => {},
    )
  }

  async setSticky(key: string, accountId: string, ttlMs: number): Promise<void> {
    this.#local.setSticky(key, accountId, ttlMs)
    const redisKey = this.#key('sticky', key)
    const write = async () => {
      await this.#redis.send(['SET', redisKey, accountId, 'PX', String(Math.max(1, Math.round(ttlMs)))])
    }
    await this.#orLocal('setSticky', write, () => this.#local.defer(redisKey, write))
  }

  subscribe(listener: (warning: StateWarning) => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  async close(): Promise<void> {
    // Nothing of ours stays open: locks renew on unref'd timers their holders stop; the client is the user's.
  }

  /** A Redis call bounded by the command timeout; a failure marks Redis unavailable. */
  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      const value = await bounded(run(), this.#options.commandTimeoutMs)
      if (this.#health.succeeded()) void this.#resync()
      return value
    } catch (error) {
      this.#health.failed(operation, error)
      throw error
    }
  }

  /** Redis when it answers in time, else this process's own view. */
  async #orLocal<T>(operation: string, run: () => Promise<T>, local: () => T): Promise<T> {
    if (!this.#health.shouldTry()) return local()
    try {
      return await this.#call(operation, run)
    } catch {
      return local()
    }
  }

  /** Replays the writes Redis missed during the outage; a failure ends the replay and the recovery. */
  async #resync(): Promise<void> {
    try {
      await this.#local.replay((write) => bounded(write(), this.#options.commandTimeoutMs))
    } catch (error) {
      this.#health.failed('resync', error)
    }
  }

  async #refreshLock(accountId: string, signal: AbortSignal | undefined): Promise<LockLease> {
    const { refreshLeaseMs: leaseMs, refreshWaitMs: waitMs } = this.#options
    try {
      // Renewed while held: a refresh may outlast the lease; only a dead holder's lock expires.
      return await this.#lock(`refresh:${accountId}`, { leaseMs, waitMs, signal }, true)
    } catch (error) {
      if (!KiroError.isInstance(error) || error.name === 'APIUserAbortError') throw error
      if (error instanceof LockTimeoutError) {
        throw new CredentialsError(
          'refresh_timeout',
          `Another process has been refreshing the login of account ${accountId} for more than ${waitMs} ms.`,
          { cause: error },
        )
      }
      throw new CredentialsError(
        'refresh_failed',
        `The login of account ${accountId} needs a refresh, but Redis did not answer within ${waitMs} ms, ` +
          'and a refresh never runs without the shared lock (another process could spend the same refresh token).',
        { cause: error },
      )
    }
  }

  #key(kind: string, id: string): string {
    return `${this.#options.prefix}${kind}:${id}`
  }
}

function parseStatus(text: string | undefined): AccountStatusRecord | undefined {
  if (!text) return undefined
  try {
    const record = JSON.parse(text) as AccountStatusRecord
    return typeof record === 'object' && record !== null && typeof record.state === 'string'
      ? record
      : undefined
  } catch {
    return undefined
  }
}

function slotId(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(10)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
}

/**
 * The account pool's state in Redis, for many processes and hosts (docs/shared-state.md).
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createRedisState } from 'kiro-client/redis'
 *
 * const state = createRedisState({ redis: new Redis(process.env.REDIS_URL), prefix: 'kiro:' })
 * ```
 */
export function createRedisState(options: RedisStateOptions): RedisState {
  return new RedisState(options)
}
