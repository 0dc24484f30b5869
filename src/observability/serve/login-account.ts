import type { CredentialsDescription, RefreshEvent } from '../../auth/types.js'
import type { AccountObservation } from './serve-metrics.js'

/** Refresh failures that no retry will fix: the login itself is no longer good. */
const LOGIN_FAILURES = new Set(['refresh_token_invalid', 'expired', 'invalid_credentials', 'not_found'])

/** An account as `client.accounts.list()` gives it (only what readiness and the gauges read). */
export interface ListedAccount extends AccountObservation {
  login?: CredentialsDescription | undefined
}

/**
 * Readiness beyond what the client's account list says: a single login is listed `ready` always,
 * but it is not while its token has expired with no way to refresh it, or after a refresh said
 * the login is no longer valid (until a refresh succeeds). Refreshes of pool accounts (they carry
 * `account`) are the pool's to judge.
 */
export class LoginWatch {
  #invalid = false

  /** For the refresh hook. */
  refreshed(event: RefreshEvent & { account?: string | undefined }): void {
    if (event.account !== undefined) return
    if (event.ok) this.#invalid = false
    else if (event.error !== undefined && LOGIN_FAILURES.has(event.error.code)) this.#invalid = true
  }

  observe(account: ListedAccount): AccountObservation {
    const { login } = account
    const expired =
      login?.expiresAt !== undefined && login.expiresAt <= Date.now() && login.canRefresh === false
    const invalid = account.state === 'ready' && (expired || (this.#invalid && account.id === 'default'))
    return { id: account.id, state: invalid ? 'invalid' : account.state, inFlight: account.inFlight }
  }
}
