import { CredentialsError } from '../errors/credentials-error.js'
import { effectiveAuthMethod } from './auth-method.js'
import { idcRefreshRequest } from './idc.js'
import { postRefresh } from './refresh-http.js'
import { socialRefreshRequest } from './social.js'
import type { StoredToken } from './types.js'

/** Where refresh requests go; `{region}` is filled in. Tests point these at a loopback server. */
export interface RefreshEndpoints {
  /** @defaultValue `https://prod.{region}.auth.desktop.kiro.dev/refreshToken` */
  social?: string
  /** @defaultValue `https://oidc.{region}.amazonaws.com/token` */
  idc?: string
}

export interface RefreshCallOptions {
  fetch: typeof globalThis.fetch
  timeoutMs: number
  endpoints: RefreshEndpoints
  now: () => number
  /** A new token must live longer than this, or it would be due for refresh as soon as it arrives. */
  minLifetimeMs: number
}

/** Access tokens live about an hour; clients assume that when `expiresIn` is missing (spec §2.3). */
const DEFAULT_EXPIRES_IN_SECONDS = 3600

/** Exchanges a login's refresh token for a new access token, returning the updated login. */
export async function refreshStoredToken(
  token: StoredToken,
  options: RefreshCallOptions,
): Promise<StoredToken> {
  const request =
    effectiveAuthMethod(token) === 'idc'
      ? idcRefreshRequest(token, options.endpoints.idc)
      : socialRefreshRequest(token, options.endpoints.social)
  const answer = await postRefresh(request, {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    secrets: [token.refreshToken, token.clientSecret, token.accessToken],
  })
  return applyRefreshAnswer(token, answer, options.now(), options.minLifetimeMs, new URL(request.url).host)
}

/**
 * Reads a refresh answer (`accessToken`, optional `refreshToken`, `expiresIn` in seconds, optional
 * `profileArn`; spec §2.3/§2.4) into the updated login. A missing refresh token keeps the old one.
 */
export function applyRefreshAnswer(
  token: StoredToken,
  answer: Record<string, unknown>,
  now: number,
  minLifetimeMs: number,
  host: string,
): StoredToken {
  const bad = (what: string) =>
    new CredentialsError('refresh_failed', `The Kiro token refresh at ${host} answered 200 but ${what}.`)
  const { accessToken, refreshToken, expiresIn, profileArn } = answer
  if (typeof accessToken !== 'string' || accessToken === '') throw bad('without an accessToken')
  if (
    refreshToken !== undefined &&
    refreshToken !== null &&
    (typeof refreshToken !== 'string' || refreshToken === '')
  ) {
    throw bad('refreshToken is not a non-empty string')
  }
  let lifetimeSeconds = DEFAULT_EXPIRES_IN_SECONDS
  if (expiresIn !== undefined && expiresIn !== null) {
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw bad('expiresIn is not a positive number of seconds')
    }
    lifetimeSeconds = expiresIn
  }
  if (lifetimeSeconds * 1000 <= minLifetimeMs) {
    throw bad(
      `the new token expires in ${lifetimeSeconds} s, inside the ${minLifetimeMs / 1000} s refresh window; ` +
        'it would need refreshing again at once',
    )
  }
  const next: StoredToken = { ...token, accessToken, expiresAt: now + lifetimeSeconds * 1000 }
  if (typeof refreshToken === 'string') next.refreshToken = refreshToken
  if (typeof profileArn === 'string' && profileArn !== '') next.profileArn = profileArn
  return next
}
