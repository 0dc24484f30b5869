import { APIUserAbortError } from '../errors/api-error.js'

/**
 * Requests waiting for a concurrency slot. A release in this process wakes them at once; a timer
 * wakes them too, for slots freed by other processes sharing the state and for parked accounts
 * whose deadline passed. Woken waiters select again in the order they came.
 */
export class SlotWaiters {
  readonly #waiters = new Set<() => void>()

  get size(): number {
    return this.#waiters.size
  }

  /** Resolves when woken or after `ms`; rejects with `APIUserAbortError` when `signal` aborts. */
  wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) {
      return Promise.reject(new APIUserAbortError('Request was aborted while waiting for a Kiro account.'))
    }
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer)
        this.#waiters.delete(wake)
        signal?.removeEventListener('abort', onAbort)
      }
      const wake = () => {
        done()
        resolve()
      }
      const onAbort = () => {
        done()
        reject(new APIUserAbortError('Request was aborted while waiting for a Kiro account.'))
      }
      const timer = setTimeout(wake, ms)
      this.#waiters.add(wake)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  wakeAll(): void {
    for (const wake of [...this.#waiters]) wake()
  }
}
