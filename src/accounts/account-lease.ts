import type { SlotLease, State } from '../state/types.js'
import type { PoolAccount } from './pool-account.js'

/** A request's hold on one account: its concurrency slot, given back exactly once. */
export interface AccountLease {
  readonly account: PoolAccount
  readonly released: boolean
  /** Gives the slot back; later calls do nothing. */
  release(): void
}

/**
 * The leases a pool has given out. Slot leases expire in the state unless renewed, so that a
 * process that dies frees its slots; one unref'd timer per pool (not per request), started with the
 * first lease, renews the live ones every third of the lease (a long stream outlives it).
 */
export class LeaseKeeper {
  readonly #state: State
  readonly #leaseMs: number
  readonly #onRelease: () => void
  readonly #live = new Set<SlotLease>()
  #timer: ReturnType<typeof setInterval> | undefined

  constructor(state: State, leaseMs: number, onRelease: () => void) {
    this.#state = state
    this.#leaseMs = leaseMs
    this.#onRelease = onRelease
  }

  hold(account: PoolAccount, slot: SlotLease): AccountLease {
    this.#live.add(slot)
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#renew(), Math.max(1_000, Math.floor(this.#leaseMs / 3)))
      this.#timer.unref?.()
    }
    return new Lease(this, account, slot)
  }

  /** Called once per lease, by {@link Lease.release}. */
  give(slot: SlotLease): void {
    this.#live.delete(slot)
    this.#state.releaseSlot(slot).then(this.#onRelease, this.#onRelease)
  }

  close(): void {
    this.#stop()
  }

  #renew(): void {
    for (const slot of this.#live) {
      // A lease that cannot be renewed (the state lost it) only means the count is off for a while.
      this.#state.renewSlot(slot, this.#leaseMs).catch(() => {})
    }
  }

  #stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}

class Lease implements AccountLease {
  released = false
  readonly account: PoolAccount
  readonly #keeper: LeaseKeeper
  readonly #slot: SlotLease

  constructor(keeper: LeaseKeeper, account: PoolAccount, slot: SlotLease) {
    this.#keeper = keeper
    this.account = account
    this.#slot = slot
  }

  release(): void {
    if (this.released) return
    this.released = true
    this.#keeper.give(this.#slot)
  }
}
