import type { AccountStatusRecord, PoolSnapshot, SlotLease } from '../state/types.js'

/**
 * This process's own view, used while Redis is unavailable (docs/shared-state.md): the statuses it
 * last read or wrote, its own slots, and its sticky routes. Writes made during an outage are kept
 * as pending and replayed to Redis when it answers again.
 */
export class LocalState {
  readonly #statuses = new Map<string, AccountStatusRecord>()
  readonly #slots = new Map<string, Map<string, number>>()
  readonly #sticky = new Map<string, { accountId: string; until: number }>()
  /** Writes Redis missed, latest per key, in the order they were made. */
  readonly #pending = new Map<string, () => Promise<void>>()

  snapshot(accountIds: readonly string[], stickyKey: string | undefined): PoolSnapshot {
    const now = Date.now()
    const statuses = new Map<string, AccountStatusRecord>()
    const inFlight = new Map<string, number>()
    for (const id of accountIds) {
      const status = this.#liveStatus(id, now)
      if (status !== undefined) statuses.set(id, status)
      const count = this.#liveSlots(id, now)
      if (count > 0) inFlight.set(id, count)
    }
    const snapshot: PoolSnapshot = { statuses, inFlight }
    if (stickyKey !== undefined) {
      const route = this.#sticky.get(stickyKey)
      if (route !== undefined && route.until > now) snapshot.sticky = route.accountId
    }
    return snapshot
  }

  /** Keeps what Redis said, so an outage starts from the latest shared view. */
  adopt(accountIds: readonly string[], statuses: ReadonlyMap<string, AccountStatusRecord>): void {
    for (const id of accountIds) {
      const status = statuses.get(id)
      if (status === undefined) this.#statuses.delete(id)
      else this.#statuses.set(id, status)
    }
  }

  setStatus(accountId: string, status: AccountStatusRecord | undefined): void {
    if (status === undefined) this.#statuses.delete(accountId)
    else this.#statuses.set(accountId, status)
  }

  acquireSlot(accountId: string, max: number, leaseMs: number, id: string): SlotLease | undefined {
    const now = Date.now()
    if (this.#liveSlots(accountId, now) >= max) return undefined
    const slots = this.#slots.get(accountId) ?? new Map<string, number>()
    this.#slots.set(accountId, slots)
    slots.set(id, now + leaseMs)
    return { accountId, id }
  }

  renewSlot(lease: SlotLease, leaseMs: number): boolean {
    const slots = this.#slots.get(lease.accountId)
    const until = slots?.get(lease.id)
    const now = Date.now()
    if (slots === undefined || until === undefined || until <= now) return false
    slots.set(lease.id, now + leaseMs)
    return true
  }

  releaseSlot(lease: SlotLease): void {
    const slots = this.#slots.get(lease.accountId)
    slots?.delete(lease.id)
    if (slots?.size === 0) this.#slots.delete(lease.accountId)
  }

  setSticky(key: string, accountId: string, ttlMs: number): void {
    this.#sticky.set(key, { accountId, until: Date.now() + ttlMs })
    if (this.#sticky.size > 10_000) this.#sweepSticky()
  }

  /** Remembers a write Redis missed; a later write to the same key replaces it. */
  defer(key: string, write: () => Promise<void>): void {
    this.#pending.delete(key)
    this.#pending.set(key, write)
  }

  /** Replays the missed writes in order through `run`; the first failure stops it, the rest stay pending. */
  async replay(run: (write: () => Promise<void>) => Promise<void>): Promise<void> {
    for (const [key, write] of [...this.#pending]) {
      await run(write)
      if (this.#pending.get(key) === write) this.#pending.delete(key)
    }
  }

  get pendingCount(): number {
    return this.#pending.size
  }

  #liveStatus(id: string, now: number): AccountStatusRecord | undefined {
    const status = this.#statuses.get(id)
    if (status?.until !== undefined && status.until <= now) {
      this.#statuses.delete(id)
      return undefined
    }
    return status
  }

  #liveSlots(id: string, now: number): number {
    const slots = this.#slots.get(id)
    if (slots === undefined) return 0
    for (const [slot, until] of slots) if (until <= now) slots.delete(slot)
    return slots.size
  }

  #sweepSticky(): void {
    const now = Date.now()
    for (const [key, route] of this.#sticky) if (route.until <= now) this.#sticky.delete(key)
  }
}
