import { APIUserAbortError } from '../errors/api-error.js'
import { KiroError } from '../errors/kiro-error.js'
import type { LockLease, LockOptions } from './types.js'

/** A lock that could not be had within its `waitMs`. */
export class LockTimeoutError extends KiroError {
  override name = 'LockTimeoutError'
}

interface Entry {
  holder: { grant: number; expiresAt: number } | undefined
  waiters: Set<() => void>
}

/**
 * The lease locks of {@link MemoryState}: one holder per key, a holder that never releases loses
 * the lock when its lease ends (by the injected clock), and every grant of a key carries a larger
 * fence than the one before, so a store can refuse a write from a holder that lost the lock.
 */
export class LockTable {
  readonly #now: () => number
  readonly #entries = new Map<string, Entry>()
  readonly #fences = new Map<string, number>()
  #grants = 0

  constructor(now: () => number) {
    this.#now = now
  }

  async acquire(key: string, options: LockOptions): Promise<LockLease> {
    const { leaseMs, waitMs, signal } = options
    const started = performance.now()
    for (;;) {
      const lease = this.#tryGrant(key, leaseMs)
      if (lease !== undefined) return lease
      const waited = performance.now() - started
      if (waited >= waitMs) {
        throw new LockTimeoutError(`The lock ${JSON.stringify(key)} was not free within ${waitMs} ms.`)
      }
      const entry = this.#entries.get(key)!
      // Look again when the holder's lease runs out, when it releases, or when the wait is over.
      const holderLeft = (entry.holder?.expiresAt ?? 0) - this.#now()
      await wake(entry, Math.max(1, Math.min(waitMs - waited, holderLeft)), signal)
    }
  }

  /** Wakes every waiter so none is left waiting on a table nobody uses any more. */
  close(): void {
    for (const entry of this.#entries.values()) for (const waiter of entry.waiters) waiter()
  }

  #tryGrant(key: string, leaseMs: number): LockLease | undefined {
    const now = this.#now()
    let entry = this.#entries.get(key)
    if (entry === undefined) {
      entry = { holder: undefined, waiters: new Set() }
      this.#entries.set(key, entry)
    }
    if (entry.holder !== undefined && entry.holder.expiresAt > now) return undefined
    const grant = ++this.#grants
    const fence = (this.#fences.get(key) ?? 0) + 1
    this.#fences.set(key, fence)
    entry.holder = { grant, expiresAt: now + leaseMs }
    const held = entry
    return {
      key,
      fence,
      release: async () => {
        if (held.holder?.grant !== grant) return
        held.holder = undefined
        if (held.waiters.size === 0) this.#entries.delete(key)
        else for (const waiter of held.waiters) waiter()
      },
    }
  }
}

/** Resolves on a wake-up call or after `ms`; rejects with `APIUserAbortError` when `signal` aborts. */
function wake(entry: Entry, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) {
    return Promise.reject(new APIUserAbortError('Request was aborted while waiting for a lock.'))
  }
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer)
      entry.waiters.delete(done)
      signal?.removeEventListener('abort', onAbort)
    }
    const onWake = () => {
      done()
      resolve()
    }
    const onAbort = () => {
      done()
      reject(new APIUserAbortError('Request was aborted while waiting for a lock.'))
    }
    const timer = setTimeout(onWake, ms)
    entry.waiters.add(onWake)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
