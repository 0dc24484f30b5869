import type { SlotLease, State } from '../state/types.js'
import type { PoolAccount } from './pool-account.js'

/**
 * A request's hold on one account: its concurrency slot, renewed while the request lives (a long
 * stream outlives the lease), and given back exactly once.
 */
export class AccountLease {
  readonly account: PoolAccount
  readonly #slot: SlotLease
  readonly #state: State
  readonly #onRelease: () => void
  readonly #renewal: ReturnType<typeof setInterval>
  #released = false

  constructor(account: PoolAccount, slot: SlotLease, state: State, leaseMs: number, onRelease: () => void) {
    this.account = account
    this.#slot = slot
    this.#state = state
    this.#onRelease = onRelease
    this.#renewal = setInterval(
      () => {
        // A lease that cannot be renewed (the state lost it) only means the count is off for a while.
        state.renewSlot(slot, leaseMs).catch(() => {})
      },
      Math.max(1_000, Math.floor(leaseMs / 3)),
    )
    this.#renewal.unref?.()
  }

  get released(): boolean {
    return this.#released
  }

  /** Gives the slot back; later calls do nothing. */
  release(): void {
    if (this.#released) return
    this.#released = true
    clearInterval(this.#renewal)
    this.#state.releaseSlot(this.#slot).then(this.#onRelease, this.#onRelease)
  }
}
