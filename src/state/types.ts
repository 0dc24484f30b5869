import type { TokenStore } from '../auth/token-store.js'

/**
 * Why an account can or cannot serve now. `ready` is never stored: an account without a status
 * record (or whose record has expired) is ready.
 */
export type AccountState = 'ready' | 'cooling' | 'exhausted' | 'suspended' | 'invalid' | 'disabled'

/** A stored reason an account is parked. Holds no secret. */
export interface AccountStatusRecord {
  state: Exclude<AccountState, 'ready'>
  /** Ms since the epoch when the account is worth trying again; absent: until an operator acts. */
  until?: number
  /** Kiro's machine-readable reason, e.g. `MONTHLY_REQUEST_COUNT`, `TEMPORARILY_SUSPENDED`. */
  reason?: string
  /** A short, secret-free sentence for operators. */
  message?: string
  /** Ms since the epoch when the status was set. */
  since: number
}

/**
 * What selection reads in one round trip. Read it, never change it: an implementation may hand out
 * its own maps rather than copies (the memory state does, so that a request costs no copying), in
 * which case they follow later changes, and may also hold entries of accounts not asked about.
 */
export interface PoolSnapshot {
  /** Parked accounts only (those with an unexpired status record). */
  statuses: Map<string, AccountStatusRecord>
  /** Live (unexpired) slot leases per account. Accounts with none may be absent. */
  inFlight: Map<string, number>
  /** The account the sticky key points at, when one was asked for and is known. */
  sticky?: string | undefined
  /**
   * When that route expires (ms since the epoch), if the state can tell cheaply. The pool then
   * renews a route only once half its time is gone, instead of on every request.
   */
  stickyExpiresAt?: number | undefined
}

/**
 * A shared state that could not be reached (its calls fall back to this process's own view) or is
 * back. Never holds a secret or an address.
 */
export type StateWarning =
  | {
      type: 'unavailable'
      /** The operation that failed first (`snapshot`, `acquireSlot`, …). */
      operation: string
      /** The failure's class and code, e.g. `timeout after 250 ms` or `Error ECONNREFUSED`. */
      message: string
    }
  | {
      type: 'recovered'
      /** How long the state was unavailable, as seen by this process. */
      downMs: number
    }

/** One counted concurrency slot on one account; expires unless renewed, so a crashed holder frees it. */
export interface SlotLease {
  readonly accountId: string
  readonly id: string
}

/** An exclusive lease lock. `fence` grows with every grant of the same key. */
export interface LockLease {
  readonly key: string
  readonly fence: number
  /** Releases the lock if this lease still holds it; a no-op otherwise. */
  release(): Promise<void>
}

export interface LockOptions {
  /** How long the lock is held if the holder dies without releasing it. */
  leaseMs: number
  /** How long to wait for the lock before failing. */
  waitMs: number
  signal?: AbortSignal | undefined
}

/**
 * The state an account pool keeps, shared by every client that uses the same `State`: token records
 * with compare-and-swap, lease locks with fencing tokens, account statuses with deadlines, counted
 * concurrency slots with leases, and a small table of sticky routes. The in-memory implementation
 * serves one process; `kiro-client/redis` serves many processes and hosts.
 */
export interface State {
  /** `memory`, `redis`, or a user implementation's name; for status pages and logs. */
  readonly kind: string
  /**
   * The token store of one account. `seed` is where the login comes from (a token file, static
   * credentials); a shared state adopts it when it holds no record for the account yet.
   */
  tokenStore(accountId: string, seed: TokenStore): TokenStore
  /** Takes the exclusive lock `key`; rejects with a `KiroError` when `waitMs` passes first. */
  lock(key: string, options: LockOptions): Promise<LockLease>
  /** Statuses, in-flight counts and the sticky route (when `stickyKey` is given) in one read. */
  snapshot(accountIds: readonly string[], stickyKey?: string): Promise<PoolSnapshot>
  /** Parks an account (record) or makes it ready again (undefined). A record with `until` expires then. */
  setStatus(accountId: string, status: AccountStatusRecord | undefined): Promise<void>
  /** Takes one of `max` slots of an account, or returns undefined when all are taken. */
  acquireSlot(accountId: string, max: number, leaseMs: number): Promise<SlotLease | undefined>
  /** Extends a slot's lease (long streams); false when it had already expired. */
  renewSlot(lease: SlotLease, leaseMs: number): Promise<boolean>
  releaseSlot(lease: SlotLease): Promise<void>
  /** Routes `key` (a conversation) to `accountId` for `ttlMs`. */
  setSticky(key: string, accountId: string, ttlMs: number): Promise<void>
  /**
   * Tells `listener` when a shared state becomes unavailable and when it is back (a client's
   * `onStateWarning` hook); returns the unsubscribe. States that cannot fail need not have it.
   */
  subscribe?(listener: (warning: StateWarning) => void): () => void
  /** Stops timers and subscriptions; does not close a client the user passed in. */
  close?(): Promise<void>
}
