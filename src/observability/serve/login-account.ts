import type { CredentialsProvider, RefreshEvent } from '../../auth/types.js'
import type { AccountObservation } from './serve-metrics.js'

/** Refresh failures that no retry will fix: the login itself is no longer good. */
const LOGIN_FAILURES = new Set(['refresh_token_invalid', 'expired', 'invalid_credentials', 'not_found'])

/**
 * The one login of a `serve` without an account pool, seen as an account: `ready` unless its token
 * has expired with no way to refresh it, or its last refresh said the login is no longer valid.
 */
export class LoginAccount {
  readonly #credentials: CredentialsProvider
  #invalid = false

  constructor(credentials: CredentialsProvider) {
    this.#credentials = credentials
  }

  /** For the refresh hook. */
  refreshed(event: RefreshEvent): void {
    if (event.ok) this.#invalid = false
    else if (event.error !== undefined && LOGIN_FAILURES.has(event.error.code)) this.#invalid = true
  }

  observe(inFlight: number): AccountObservation {
    const login = this.#credentials.describe()
    const expired =
      login.expiresAt !== undefined && login.expiresAt <= Date.now() && login.canRefresh === false
    return { id: 'default', state: this.#invalid || expired ? 'invalid' : 'ready', inFlight }
  }
}
