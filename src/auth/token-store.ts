import type { StoredToken } from './types.js'

/** What a store says about itself; safe to print. */
export interface TokenStoreDescription {
  source: string
  path?: string
}

/** The outcome of {@link TokenStore.compareAndSwap}. */
export type CompareAndSwapResult =
  | { swapped: true }
  /** Someone else changed the login since `expected` was read: here is what the store holds now. */
  | { swapped: false; current: StoredToken | undefined }

/**
 * Where a login lives, so that several clients (or processes) can share one and its refreshes.
 * The default is the Kiro IDE token file ({@link FileTokenStore}); a Redis or database store
 * implements the same three calls.
 */
export interface TokenStore {
  describe(): TokenStoreDescription
  /** The login as stored now, or undefined when there is none. */
  load(): Promise<StoredToken | undefined>
  /** Writes `token` unconditionally, keeping any fields the store knows and this library does not. */
  save(token: StoredToken): Promise<void>
  /**
   * Writes `next` only if the store still holds `expected` (same access and refresh token, see
   * {@link sameLogin}); otherwise leaves it alone and returns what it holds.
   */
  compareAndSwap(expected: StoredToken, next: StoredToken): Promise<CompareAndSwapResult>
  /**
   * Optional: an exclusive lock on this login across processes, held around read-check-refresh-write
   * so that exactly one holder refreshes and the others adopt its result. A holder that dies frees
   * the lock when its lease runs out.
   */
  lock?(options?: { signal?: AbortSignal | undefined }): Promise<TokenStoreLock>
}

/** A held {@link TokenStore.lock}. */
export interface TokenStoreLock {
  /** Grows with every grant; a store may refuse writes carrying an older fence. */
  readonly fence: number
  release(): Promise<void>
}

/** True when two stored logins carry the same access token and refresh token. */
export function sameLogin(a: StoredToken | undefined, b: StoredToken | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.accessToken === b.accessToken && a.refreshToken === b.refreshToken && a.apiKey === b.apiKey
}

/** A store in memory: the default for static credentials, and a model for other stores. */
export class MemoryTokenStore implements TokenStore {
  #token: StoredToken | undefined
  readonly #description: TokenStoreDescription

  constructor(token?: StoredToken, description: TokenStoreDescription = { source: 'static' }) {
    this.#token = token === undefined ? undefined : { ...token }
    this.#description = description
  }

  describe(): TokenStoreDescription {
    return this.#description
  }

  async load(): Promise<StoredToken | undefined> {
    return this.#token === undefined ? undefined : { ...this.#token }
  }

  async save(token: StoredToken): Promise<void> {
    this.#token = { ...this.#token, ...token }
  }

  async compareAndSwap(expected: StoredToken, next: StoredToken): Promise<CompareAndSwapResult> {
    if (!sameLogin(this.#token, expected)) {
      return { swapped: false, current: this.#token === undefined ? undefined : { ...this.#token } }
    }
    this.#token = { ...this.#token, ...next }
    return { swapped: true }
  }
}
