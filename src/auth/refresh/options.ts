import type { TokenStore } from '../token-store.js'
import type { RefreshHook } from '../types.js'
import type { RefreshEndpoints } from './endpoints.js'

/** Options shared by every refreshing provider. */
export interface RefreshOptions {
  /** @defaultValue the global `fetch`, looked up when a refresh runs */
  fetch?: typeof globalThis.fetch
  /** Clock in ms since the epoch. @defaultValue `Date.now` */
  now?: () => number
  /** Refresh in the background this long before expiry, serving the current token meanwhile. @defaultValue 600_000 */
  advisoryWindowMs?: number
  /** Callers wait for the refresh this long before expiry. @defaultValue 60_000 */
  mandatoryWindowMs?: number
  /** Timeout of one refresh request. @defaultValue 20_000 */
  refreshTimeoutMs?: number
  /** Wait after a failed refresh before the next attempt; doubles per failure. @defaultValue 1_000 */
  retryBackoffMs?: number
  /** @defaultValue 30_000 */
  maxRetryBackoffMs?: number
  /** Refresh URLs with a `{region}` placeholder (other regions, tests). */
  refreshEndpoints?: RefreshEndpoints
  /** Called after every refresh request, in the background or not. Never receives a token value. */
  onRefresh?: RefreshHook
  /** Refresh ahead of expiry on an unref'd timer while the provider is in use. @defaultValue true */
  backgroundRefresh?: boolean
}

export interface RefreshingCredentialsOptions extends RefreshOptions {
  store: TokenStore
}
