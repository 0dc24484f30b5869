import { registerSecret } from '../../util/redact.js'
import type { KiroToken, StoredToken } from '../types.js'
import { apiKeyOf, effectiveAuthMethod } from '../types.js'

/**
 * A login ready for the request path: the token object handed to every caller, an already
 * resolved promise of it (so the fast path allocates nothing), and the two instants the fast path
 * compares against the clock.
 */
export interface HeldToken {
  readonly stored: StoredToken
  /** Undefined when the login has only a refresh token so far. */
  readonly token: KiroToken | undefined
  readonly resolved: Promise<KiroToken> | undefined
  /** From here on a background refresh starts while callers keep the current token. */
  readonly advisoryAt: number
  /** From here on callers wait for the refresh. */
  readonly mandatoryAt: number
  /** `Infinity` for tokens without an expiry, `-Infinity` when there is no access token. */
  readonly expiresAt: number
  readonly refreshable: boolean
}

export interface RefreshWindows {
  advisoryMs: number
  mandatoryMs: number
}

/** Builds the request-path view of a stored login. Tokens that cannot refresh are served until they expire. */
export function holdToken(stored: StoredToken, windows: RefreshWindows): HeldToken {
  // Every login passes here when loaded or refreshed: its secrets become unprintable from now on.
  registerSecret(stored.accessToken)
  registerSecret(stored.refreshToken)
  registerSecret(stored.clientSecret)
  registerSecret(stored.apiKey)
  const apiKey = apiKeyOf(stored)
  const isKey = apiKey !== undefined
  const accessToken = apiKey ?? stored.accessToken
  const refreshable = !isKey && stored.refreshToken !== undefined
  const expiresAt =
    accessToken === undefined ? Number.NEGATIVE_INFINITY : (stored.expiresAt ?? Number.POSITIVE_INFINITY)
  const token = accessToken === undefined ? undefined : toKiroToken(stored, accessToken, isKey)
  return {
    stored,
    token,
    resolved: token === undefined ? undefined : Promise.resolve(token),
    advisoryAt: refreshable ? expiresAt - windows.advisoryMs : expiresAt,
    mandatoryAt: refreshable ? expiresAt - windows.mandatoryMs : expiresAt,
    expiresAt,
    refreshable,
  }
}

function toKiroToken(stored: StoredToken, accessToken: string, isKey: boolean): KiroToken {
  const token: { -readonly [K in keyof KiroToken]: KiroToken[K] } = {
    accessToken,
    kind: isKey ? 'api_key' : 'bearer',
    authMethod: effectiveAuthMethod(stored),
  }
  if (stored.expiresAt !== undefined && !isKey) token.expiresAt = stored.expiresAt
  if (stored.region !== undefined) token.region = stored.region
  if (stored.profileArn !== undefined) token.profileArn = stored.profileArn
  return Object.freeze(token)
}

/** A login that can be served for at least the mandatory window. */
export function isUsable(stored: StoredToken | undefined, now: number, mandatoryMs: number): boolean {
  if (stored === undefined) return false
  if (apiKeyOf(stored) !== undefined) return true
  return (
    stored.accessToken !== undefined && (stored.expiresAt ?? Number.POSITIVE_INFINITY) > now + mandatoryMs
  )
}
