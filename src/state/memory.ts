import type { TokenStore } from '../auth/token-store.js'
import { APIUserAbortError } from '../errors/api-error.js'
import { LockTable } from './lock-table.js'
import type { AccountStatusRecord, LockLease, LockOptions, PoolSnapshot, SlotLease, State } from './types.js'

export interface MemoryStateOptions {
  /** Clock in ms since the epoch; every deadline is read against it. @defaultValue `Date.now` */
  now?: (() => number) | undefined
  /** Most sticky routes kept; the oldest go first. @defaultValue 100_000 */
  maxStickyRoutes?: number | undefined
}

interface Route {
  accountId: string
  expiresAt: number
}

const DEFAULT_MAX_STICKY_ROUTES = 100_000

/**
 * The {@link State} of one process: the default, and the model every other implementation follows
 * (docs/accounts.md "Shared state"). Every deadline is compared with the injected clock, so tests
 * move time by moving `now`; nothing here runs a timer except a lock wait.
 */
export class MemoryState implements State {
  readonly kind = 'memory'
  readonly #now: () => number
  readonly #maxRoutes: number
  readonly #stores = new Map<string, TokenStore>()
  readonly #statuses = new Map<string, AccountStatusRecord>()
  /** The earliest deadline among the statuses: nothing expires before it. */
  #statusExpiry = Number.POSITIVE_INFINITY
  /** Per account: lease id -> expiry. */
  readonly #slots = new Map<string, Map<string, number>>()
  /** Live leases per account, kept in step with `#slots`. */
  readonly #counts = new Map<string, number>()
  /** The earliest lease expiry: no lease expires before it. */
  #slotExpiry = Number.POSITIVE_INFINITY
  readonly #routes = new Map<string, Route>()
  readonly #locks: LockTable
  #slotSequence = 0

  constructor(options: MemoryStateOptions = {}) {
    this.#now = options.now ?? (() => Date.now())
    this.#maxRoutes = options.maxStickyRoutes ?? DEFAULT_MAX_STICKY_ROUTES
    this.#locks = new LockTable(this.#now)
  }

  /**
   * The login lives where its seed keeps it (a token file stays the file the IDE refreshes too).
   * Two pools sharing this state get the same store for the same account and source, so they
   * share its refreshed tokens; a seed from elsewhere (a moved token file) replaces the old one.
   */
  tokenStore(accountId: string, seed: TokenStore): TokenStore {
    const held = this.#stores.get(accountId)
    if (held !== undefined && sameSource(held, seed)) return held
    this.#stores.set(accountId, seed)
    return seed
  }

  lock(key: string, options: LockOptions): Promise<LockLease> {
    if (options.signal?.aborted) {
      return Promise.reject(new APIUserAbortError('Request was aborted while waiting for a lock.'))
    }
    return this.#locks.acquire(key, options)
  }

  /** The state's own maps, not copies (see {@link PoolSnapshot}): expired entries are dropped first. */
  async snapshot(_accountIds: readonly string[], stickyKey?: string): Promise<PoolSnapshot> {
    const now = this.#now()
    if (now >= this.#statusExpiry) this.#dropExpiredStatuses(now)
    if (now >= this.#slotExpiry) this.#dropExpiredSlots(now)
    if (stickyKey !== undefined) {
      const route = this.#routes.get(stickyKey)
      if (route !== undefined) {
        if (route.expiresAt > now) {
          return {
            statuses: this.#statuses,
            inFlight: this.#counts,
            sticky: route.accountId,
            stickyExpiresAt: route.expiresAt,
          }
        }
        this.#routes.delete(stickyKey)
      }
    }
    return { statuses: this.#statuses, inFlight: this.#counts, sticky: undefined }
  }

  async setStatus(accountId: string, status: AccountStatusRecord | undefined): Promise<void> {
    if (status === undefined) {
      this.#statuses.delete(accountId)
      return
    }
    this.#statuses.set(accountId, { ...status })
    if (status.until !== undefined && status.until < this.#statusExpiry) this.#statusExpiry = status.until
  }

  async acquireSlot(accountId: string, max: number, leaseMs: number): Promise<SlotLease | undefined> {
    const now = this.#now()
    if (now >= this.#slotExpiry) this.#dropExpiredSlots(now)
    const count = this.#counts.get(accountId) ?? 0
    if (count >= max) return undefined
    let leases = this.#slots.get(accountId)
    if (leases === undefined) {
      leases = new Map()
      this.#slots.set(accountId, leases)
    }
    const id = `${++this.#slotSequence}`
    const expiresAt = now + leaseMs
    leases.set(id, expiresAt)
    this.#counts.set(accountId, count + 1)
    if (expiresAt < this.#slotExpiry) this.#slotExpiry = expiresAt
    return { accountId, id }
  }

  async renewSlot(lease: SlotLease, leaseMs: number): Promise<boolean> {
    const now = this.#now()
    if (now >= this.#slotExpiry) this.#dropExpiredSlots(now)
    const leases = this.#slots.get(lease.accountId)
    if (leases === undefined || !leases.has(lease.id)) return false
    leases.set(lease.id, now + leaseMs)
    return true
  }

  async releaseSlot(lease: SlotLease): Promise<void> {
    const leases = this.#slots.get(lease.accountId)
    if (leases === undefined || !leases.delete(lease.id)) return
    const count = (this.#counts.get(lease.accountId) ?? 1) - 1
    if (count > 0) this.#counts.set(lease.accountId, count)
    else {
      this.#counts.delete(lease.accountId)
      this.#slots.delete(lease.accountId)
    }
  }

  async setSticky(key: string, accountId: string, ttlMs: number): Promise<void> {
    const routes = this.#routes
    // Re-inserted so that the map stays in order of last use and the oldest route is first.
    routes.delete(key)
    routes.set(key, { accountId, expiresAt: this.#now() + ttlMs })
    if (routes.size > this.#maxRoutes) this.#evictRoutes()
  }

  async close(): Promise<void> {
    this.#locks.close()
  }

  /** Status records past their deadline go: the account is ready again. */
  #dropExpiredStatuses(now: number): void {
    let next = Number.POSITIVE_INFINITY
    for (const [id, status] of this.#statuses) {
      if (status.until === undefined) continue
      if (status.until <= now) this.#statuses.delete(id)
      else if (status.until < next) next = status.until
    }
    this.#statusExpiry = next
  }

  /** Leases not renewed in time go (their holder died), and the counts with them. */
  #dropExpiredSlots(now: number): void {
    let next = Number.POSITIVE_INFINITY
    for (const [accountId, leases] of this.#slots) {
      for (const [id, expiresAt] of leases) {
        if (expiresAt <= now) leases.delete(id)
        else if (expiresAt < next) next = expiresAt
      }
      if (leases.size === 0) {
        this.#slots.delete(accountId)
        this.#counts.delete(accountId)
      } else this.#counts.set(accountId, leases.size)
    }
    this.#slotExpiry = next
  }

  #evictRoutes(): void {
    const now = this.#now()
    for (const [key, route] of this.#routes) {
      if (this.#routes.size <= this.#maxRoutes && route.expiresAt > now) break
      this.#routes.delete(key)
    }
  }
}

function sameSource(a: TokenStore, b: TokenStore): boolean {
  if (a === b) return true
  const left = a.describe()
  const right = b.describe()
  return left.source === right.source && left.path !== undefined && left.path === right.path
}
