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

/** The slots of one account: lease id -> expiry, and the earliest expiry, so that a count is O(1) until then. */
interface Slots {
  leases: Map<string, number>
  earliest: number
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
  readonly #slots = new Map<string, Slots>()
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

  async snapshot(accountIds: readonly string[], stickyKey?: string): Promise<PoolSnapshot> {
    const now = this.#now()
    const statuses = new Map<string, AccountStatusRecord>()
    const inFlight = new Map<string, number>()
    // Most accounts are ready and idle: look only at the few that are not.
    if (this.#statuses.size > 0 || this.#slots.size > 0) {
      for (let i = 0; i < accountIds.length; i++) {
        const id = accountIds[i]!
        const status = this.#liveStatus(id, now)
        if (status !== undefined) statuses.set(id, status)
        const count = this.#count(id, now)
        if (count > 0) inFlight.set(id, count)
      }
    }
    let sticky: string | undefined
    if (stickyKey !== undefined) {
      const route = this.#routes.get(stickyKey)
      if (route !== undefined) {
        if (route.expiresAt > now) sticky = route.accountId
        else this.#routes.delete(stickyKey)
      }
    }
    return { statuses, inFlight, sticky }
  }

  async setStatus(accountId: string, status: AccountStatusRecord | undefined): Promise<void> {
    if (status === undefined) this.#statuses.delete(accountId)
    else this.#statuses.set(accountId, { ...status })
  }

  async acquireSlot(accountId: string, max: number, leaseMs: number): Promise<SlotLease | undefined> {
    const now = this.#now()
    if (this.#count(accountId, now) >= max) return undefined
    let slots = this.#slots.get(accountId)
    if (slots === undefined) {
      slots = { leases: new Map(), earliest: Number.POSITIVE_INFINITY }
      this.#slots.set(accountId, slots)
    }
    const id = `${++this.#slotSequence}`
    const expiresAt = now + leaseMs
    slots.leases.set(id, expiresAt)
    if (expiresAt < slots.earliest) slots.earliest = expiresAt
    return { accountId, id }
  }

  async renewSlot(lease: SlotLease, leaseMs: number): Promise<boolean> {
    const now = this.#now()
    const slots = this.#slots.get(lease.accountId)
    const expiresAt = slots?.leases.get(lease.id)
    if (slots === undefined || expiresAt === undefined) return false
    if (expiresAt <= now) {
      this.#count(lease.accountId, now)
      return false
    }
    slots.leases.set(lease.id, now + leaseMs)
    return true
  }

  async releaseSlot(lease: SlotLease): Promise<void> {
    const slots = this.#slots.get(lease.accountId)
    if (slots === undefined) return
    slots.leases.delete(lease.id)
    if (slots.leases.size === 0) this.#slots.delete(lease.accountId)
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

  #liveStatus(accountId: string, now: number): AccountStatusRecord | undefined {
    const status = this.#statuses.get(accountId)
    if (status === undefined) return undefined
    if (status.until !== undefined && status.until <= now) {
      this.#statuses.delete(accountId)
      return undefined
    }
    return status
  }

  /** Live leases of an account; expired ones (a holder that died) are dropped on the way. */
  #count(accountId: string, now: number): number {
    const slots = this.#slots.get(accountId)
    if (slots === undefined) return 0
    if (now >= slots.earliest) {
      let earliest = Number.POSITIVE_INFINITY
      for (const [id, expiresAt] of slots.leases) {
        if (expiresAt <= now) slots.leases.delete(id)
        else if (expiresAt < earliest) earliest = expiresAt
      }
      slots.earliest = earliest
      if (slots.leases.size === 0) {
        this.#slots.delete(accountId)
        return 0
      }
    }
    return slots.leases.size
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
