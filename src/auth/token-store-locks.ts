import { ConfigurationError } from '../errors/configuration-error.js'
import { acquireFileLock, type FileLease } from './file-lock.js'
import type { TokenStoreLock } from './token-store.js'

export interface FileTokenStoreLockOptions {
  /** A holder that dies (kill -9) delays the others by at most this long. @defaultValue 10_000 */
  leaseMs?: number | undefined
  /** How long to wait for another process's refresh before giving up. @defaultValue 30_000 */
  waitMs?: number | undefined
}

/**
 * The lock side of a file store: callers in this process take turns, then contend with other
 * processes through {@link acquireFileLock}. While a `lock()` caller holds it, the store's writes
 * run under that hold; other writes take the lock for their own duration.
 */
export class TokenFileLocks {
  readonly #options: { leaseMs: number; waitMs: number } | undefined
  #turn: Promise<void> = Promise.resolve()
  #holding = false

  /** `false` turns locking off (one process only, or a file system without working exclusive create). */
  constructor(options: FileTokenStoreLockOptions | false | undefined) {
    this.#options = options === false ? undefined : validate(options ?? {})
  }

  lock(target: string, signal: AbortSignal | undefined): Promise<TokenStoreLock> {
    let endTurn!: () => void
    const previous = this.#turn
    this.#turn = new Promise<void>((resolve) => {
      endTurn = resolve
    })
    return previous.then(async (): Promise<TokenStoreLock> => {
      let lease: FileLease | undefined
      try {
        lease = await this.#acquire(target, signal)
      } catch (error) {
        endTurn()
        throw error
      }
      this.#holding = true
      let released = false
      return {
        fence: lease?.fence ?? 0,
        release: async () => {
          if (released) return
          released = true
          this.#holding = false
          try {
            await lease?.release()
          } finally {
            endTurn()
          }
        },
      }
    })
  }

  /** Runs a write under the lock: the caller's hold if there is one, else a hold of its own. */
  async run<T>(target: string, task: () => Promise<T>): Promise<T> {
    if (this.#holding || this.#options === undefined) return task()
    const lease = await this.#acquire(target, undefined)
    try {
      return await task()
    } finally {
      await lease?.release()
    }
  }

  #acquire(target: string, signal: AbortSignal | undefined): Promise<FileLease | undefined> {
    if (this.#options === undefined) return Promise.resolve(undefined)
    return acquireFileLock(target, { ...this.#options, signal })
  }
}

function validate(options: FileTokenStoreLockOptions): { leaseMs: number; waitMs: number } {
  const positive = (field: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new ConfigurationError(
        `lock.${field}`,
        `expected a positive number of milliseconds, got ${String(value)}`,
      )
    }
    return value
  }
  return {
    leaseMs: positive('leaseMs', options.leaseMs, 10_000),
    waitMs: positive('waitMs', options.waitMs, 30_000),
  }
}
