import type { CompareAndSwapResult } from '../auth/token-store.js'
import {
  sameLogin,
  type TokenStore,
  type TokenStoreDescription,
  type TokenStoreLock,
} from '../auth/token-store.js'
import type { StoredToken } from '../auth/types.js'
import { CredentialsError } from '../errors/credentials-error.js'
import type { LockLease } from '../state/types.js'
import type { RedisCommands } from './client.js'
import { describeFailure } from './health.js'
import { TOKEN_CAS, TOKEN_SEED } from './scripts.js'
import { loginFingerprint, type SecretBox } from './secret-box.js'
import { decodeLogin } from './stored-login.js'

/** What a token store borrows from its Redis state. */
export interface TokenStoreContext {
  redis: RedisCommands
  box: SecretBox
  /** Runs one Redis call, bounded and counted for health; throws when Redis did not answer. */
  call<T>(operation: string, run: () => Promise<T>): Promise<T>
  /** False while Redis is known to be down (between probes). */
  reachable(): boolean
  /** Remembers a write for when Redis answers again. */
  defer(key: string, write: () => Promise<void>): void
  /** The account's refresh lock; rejects with a `CredentialsError` saying why it was not granted. */
  refreshLock(accountId: string, signal: AbortSignal | undefined): Promise<LockLease>
}

/**
 * One account's login in Redis (a hash: `fp` fingerprint, `data` JSON or sealed JSON, `fence`), with
 * compare-and-swap in Lua and the account's refresh lock (docs/shared-state.md). The seed (the
 * login's own store, e.g. the token file) fills an empty record, is consulted for a newer login on
 * each load (the IDE refreshed or signed in again), and receives refreshed logins, best effort.
 */
export class RedisTokenStore implements TokenStore {
  readonly #context: TokenStoreContext
  readonly #accountId: string
  readonly #key: string
  readonly #seed: TokenStore
  /** The login last read from or written to Redis: what this process serves while Redis is down. */
  #last: StoredToken | undefined
  /** The fencing token of the refresh lock while this store holds it. */
  #fence: number | undefined

  constructor(context: TokenStoreContext, accountId: string, key: string, seed: TokenStore) {
    this.#context = context
    this.#accountId = accountId
    this.#key = key
    this.#seed = seed
  }

  describe(): TokenStoreDescription {
    return { source: 'redis', path: this.#key }
  }

  async load(): Promise<StoredToken | undefined> {
    if (!this.#context.reachable()) return this.#offline()
    let data: unknown
    try {
      data = await this.#context.call('load', () => this.#context.redis.send(['HGET', this.#key, 'data']))
    } catch {
      return this.#offline()
    }
    const seeded = await this.#seed.load().catch(() => undefined)
    let stored = typeof data === 'string' && data !== '' ? await this.#decode(data) : undefined
    if (stored === undefined) {
      const candidate = newest(this.#last, seeded)
      if (candidate === undefined) return undefined
      stored = await this.#plant(candidate)
    } else if (seeded !== undefined && !sameLogin(seeded, stored) && expiresLater(seeded, stored)) {
      // A newer login on this host (the IDE refreshed, or someone signed in again): share it.
      const result = await this.compareAndSwap(stored, seeded).catch(() => undefined)
      if (result !== undefined) stored = result.swapped ? seeded : (result.current ?? stored)
    }
    this.#last = stored
    return { ...stored }
  }

  async save(token: StoredToken): Promise<void> {
    const next = { ...this.#last, ...token }
    const [fp, data] = await Promise.all([loginFingerprint(next), this.#seal(next)])
    try {
      await this.#context.call('save', () =>
        this.#context.redis.send(['HSET', this.#key, 'fp', fp, 'data', data]),
      )
    } catch (error) {
      throw this.#unstored(error)
    }
    this.#last = next
  }

  async compareAndSwap(expected: StoredToken, next: StoredToken): Promise<CompareAndSwapResult> {
    const [expectedFp, nextFp, data] = await Promise.all([
      loginFingerprint(expected),
      loginFingerprint(next),
      this.#seal(next),
    ])
    const args = [expectedFp, nextFp, data, this.#fence === undefined ? '' : String(this.#fence)]
    const write = () => TOKEN_CAS.run(this.#context.redis, [this.#key], args) as Promise<[number, string?]>
    let reply: [number, string?]
    try {
      reply = await this.#context.call('compareAndSwap', write)
    } catch (error) {
      // A refreshed login exists only here now: keep serving it, and store it when Redis is back.
      this.#last = next
      this.#context.defer(`token:${this.#accountId}`, async () => {
        await write()
      })
      await this.#writeThrough(expected, next)
      throw this.#unstored(error)
    }
    if (Number(reply[0]) === 1) {
      this.#last = next
      await this.#writeThrough(expected, next)
      return { swapped: true }
    }
    const current = reply[1] ? await this.#decode(reply[1]) : undefined
    if (current !== undefined) this.#last = current
    return { swapped: false, current: current === undefined ? undefined : { ...current } }
  }

  async lock(options: { signal?: AbortSignal | undefined } = {}): Promise<TokenStoreLock> {
    const lease = await this.#context.refreshLock(this.#accountId, options.signal)
    this.#fence = lease.fence
    return {
      fence: lease.fence,
      release: async () => {
        if (this.#fence === lease.fence) this.#fence = undefined
        await lease.release()
      },
    }
  }

  async #offline(): Promise<StoredToken | undefined> {
    if (this.#last !== undefined) return { ...this.#last }
    return this.#seed.load()
  }

  /** Stores `candidate` unless another process stored a login first; returns what Redis holds. */
  async #plant(candidate: StoredToken): Promise<StoredToken> {
    const [fp, data] = await Promise.all([loginFingerprint(candidate), this.#seal(candidate)])
    try {
      const held = await this.#context.call('seed', () =>
        TOKEN_SEED.run(this.#context.redis, [this.#key], [fp, data]),
      )
      return typeof held === 'string' && held !== data ? await this.#decode(held) : candidate
    } catch {
      return candidate
    }
  }

  /** Keeps the seed (the token file on this host) in step, so the IDE goes on working with it. */
  async #writeThrough(expected: StoredToken, next: StoredToken): Promise<void> {
    await this.#seed.compareAndSwap(expected, next).catch(() => {})
  }

  #seal(token: StoredToken): Promise<string> {
    return this.#context.box.seal(JSON.stringify(token), this.#key)
  }

  async #decode(data: string): Promise<StoredToken> {
    return decodeLogin(await this.#context.box.open(data, this.#key), this.#key)
  }

  #unstored(error: unknown): CredentialsError {
    return new CredentialsError(
      'write_failed',
      `Redis did not store the login of account ${this.#accountId} (${describeFailure(error)}); ` +
        'this process keeps it and writes it when Redis answers again.',
    )
  }
}

/** Only a known, later expiry wins: a seed without one (static input) never replaces a refreshed login. */
function expiresLater(candidate: StoredToken, than: StoredToken): boolean {
  return (
    candidate.expiresAt !== undefined && than.expiresAt !== undefined && candidate.expiresAt > than.expiresAt
  )
}

function newest(known: StoredToken | undefined, seed: StoredToken | undefined): StoredToken | undefined {
  if (known === undefined) return seed
  if (seed === undefined) return known
  return expiresLater(seed, known) ? seed : known
}
