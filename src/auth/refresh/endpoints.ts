import { CredentialsError } from '../../errors/credentials-error.js'
import { isLoopbackHostname } from '../../util/token-url.js'
import { effectiveAuthMethod, type StoredToken } from '../types.js'
import { postRefresh, type RefreshHttpRequest } from './http.js'

/** Where refresh requests go; `{region}` is filled in. Tests point these at a loopback server. */
export interface RefreshEndpoints {
  /** @defaultValue `https://prod.{region}.auth.desktop.kiro.dev/refreshToken` */
  social?: string
  /** @defaultValue `https://oidc.{region}.amazonaws.com/token` */
  idc?: string
}

const FORM_TOKEN_FIELDS = {
  access_token: 'accessToken',
  refresh_token: 'refreshToken',
  expires_in: 'expiresIn',
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
  const method = effectiveAuthMethod(token)
  const request =
    method === 'idc'
      ? idcRefreshRequest(token, options.endpoints.idc)
      : method === 'external_idp'
        ? externalIdpRefreshRequest(token)
        : socialRefreshRequest(token, options.endpoints.social)
  let answer = await postRefresh(request, {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    secrets: [token.refreshToken, token.clientSecret, token.accessToken],
  })
  if (request.encoding === 'form') answer = fromOAuthAnswer(answer)
  return applyRefreshAnswer(token, answer, options.now(), options.minLifetimeMs, new URL(request.url).host)
}

/** An OAuth token answer (`access_token`, `refresh_token`, `expires_in`) in the names Kiro's endpoints use. */
function fromOAuthAnswer(answer: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [oauth, kiro] of Object.entries(FORM_TOKEN_FIELDS)) {
    if (answer[oauth] !== undefined) out[kiro] = answer[oauth]
  }
  return out
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

/**
 * The refresh request of an external identity provider login (the Kiro IDE's `external_idp`,
 * docs/protocol.md §9.2): a form-encoded OAuth `refresh_token` grant of a public client (no
 * secret) to the provider's token endpoint stored with the login, asking again for its scopes
 * (`offline_access` among them keeps a refresh token coming).
 */
function externalIdpRefreshRequest(token: StoredToken): RefreshHttpRequest {
  if (token.refreshToken === undefined) {
    throw new CredentialsError('refresh_failed', 'refreshToken: the login has no refresh token.')
  }
  if (token.clientId === undefined || token.tokenEndpoint === undefined) {
    throw new CredentialsError(
      'invalid_credentials',
      `${token.clientId === undefined ? 'clientId' : 'tokenEndpoint'}: an external identity provider login ` +
        'needs its client id and token endpoint to refresh. Sign in to Kiro again to recreate them.',
    )
  }
  const body: Record<string, string> = {
    client_id: token.clientId,
    grant_type: 'refresh_token',
    refresh_token: token.refreshToken,
    ...(token.scopes !== undefined && token.scopes !== '' ? { scope: token.scopes } : {}),
  }
  return {
    url: checkTokenEndpoint(token.tokenEndpoint, 'tokenEndpoint'),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
    encoding: 'form',
  }
}

/**
 * The token endpoint receives the refresh token, so it must be https (plain http only for a
 * loopback host, as in tests), without credentials, query or fragment in the URL.
 */
export function checkTokenEndpoint(endpoint: string, field: string): string {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new CredentialsError('invalid_credentials', `${field}: not a URL.`)
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname))
  if (!secure || url.username !== '' || url.password !== '' || url.hash !== '') {
    throw new CredentialsError(
      'invalid_credentials',
      `${field}: expected an https URL without credentials or fragment (plain http only for loopback hosts), ` +
        `got ${url.protocol}//${url.host}.`,
    )
  }
  return url.href
}
