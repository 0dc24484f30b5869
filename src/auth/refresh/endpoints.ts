import { CredentialsError } from '../../errors/credentials-error.js'
import { effectiveAuthMethod, type StoredToken } from '../types.js'
import { postRefresh, type RefreshHttpRequest } from './http.js'

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

/** Access tokens live about an hour; clients assume that when `expiresIn` is missing (docs/protocol.md §2.3). */
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
 * `profileArn`; docs/protocol.md §2.3/§2.4) into the updated login. A missing refresh token keeps the old one.
 */
function applyRefreshAnswer(
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

/** Kiro's desktop auth service (docs/protocol.md §2.3); `{region}` is the login's region. */
export const SOCIAL_REFRESH_ENDPOINT = 'https://prod.{region}.auth.desktop.kiro.dev/refreshToken'

const DEFAULT_REGION = 'us-east-1'

/** The refresh request of a social (Google / GitHub) Kiro login. */
function socialRefreshRequest(token: StoredToken, template = SOCIAL_REFRESH_ENDPOINT): RefreshHttpRequest {
  if (token.refreshToken === undefined) {
    throw new CredentialsError('refresh_failed', 'refreshToken: the login has no refresh token.')
  }
  return {
    url: endpointFor(template, token.region ?? DEFAULT_REGION, 'region'),
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/plain, */*',
      // The IDE identifies itself this way (docs/protocol.md §2.3); the service has been seen to care about it.
      'user-agent': 'KiroIDE',
    },
    body: { refreshToken: token.refreshToken },
  }
}

/** AWS SSO-OIDC CreateToken (docs/protocol.md §2.4); `{region}` is the IdC region. */
export const IDC_REFRESH_ENDPOINT = 'https://oidc.{region}.amazonaws.com/token'

/** The refresh request of an AWS IdC / Builder ID login: camelCase JSON, not a form (docs/protocol.md §2.4). */
function idcRefreshRequest(token: StoredToken, template = IDC_REFRESH_ENDPOINT): RefreshHttpRequest {
  if (token.refreshToken === undefined) {
    throw new CredentialsError('refresh_failed', 'refreshToken: the login has no refresh token.')
  }
  if (token.clientId === undefined || token.clientSecret === undefined) {
    throw new CredentialsError(
      'invalid_credentials',
      'clientId, clientSecret: an IdC / Builder ID login needs its client registration to refresh ' +
        '(the token file names it by clientIdHash). Sign in to Kiro again to recreate it.',
    )
  }
  const field = token.idcRegion !== undefined ? 'idcRegion' : 'region'
  return {
    url: endpointFor(template, token.idcRegion ?? token.region ?? DEFAULT_REGION, field),
    headers: {
      'content-type': 'application/json',
      'x-amz-user-agent': 'aws-sdk-js/3.980.0 KiroIDE',
      'user-agent': 'aws-sdk-js/3.980.0 ua/2.1 api/sso-oidc#3.980.0 m/E KiroIDE',
      'amz-sdk-invocation-id': globalThis.crypto.randomUUID(),
      'amz-sdk-request': 'attempt=1; max=1',
    },
    body: {
      clientId: token.clientId,
      clientSecret: token.clientSecret,
      grantType: 'refresh_token',
      refreshToken: token.refreshToken,
    },
  }
}

/** AWS region names: `us-east-1`, `eu-central-1`, `us-gov-west-1`, `cn-north-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

/**
 * A region goes into a refresh hostname, next to the refresh token: anything but a region name
 * could point the request at another host, so it is checked, not trusted.
 */
function checkRegion(region: string, field: string): string {
  if (!REGION.test(region)) {
    throw new CredentialsError(
      'invalid_credentials',
      `${field}: expected an AWS region name like "us-east-1", got ${JSON.stringify(region.slice(0, 40))}.`,
    )
  }
  return region
}

/** Fills `{region}` in an endpoint template after checking the region. */
function endpointFor(template: string, region: string, field: string): string {
  return template.replaceAll('{region}', checkRegion(region, field))
}
