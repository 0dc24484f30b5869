import { CredentialsError } from '../errors/credentials-error.js'
import type { RefreshHttpRequest } from './refresh-http.js'
import { endpointFor } from './region.js'
import type { StoredToken } from './types.js'

/** Kiro's desktop auth service (spec/kiro-wire.md §2.3); `{region}` is the login's region. */
export const SOCIAL_REFRESH_ENDPOINT = 'https://prod.{region}.auth.desktop.kiro.dev/refreshToken'

const DEFAULT_REGION = 'us-east-1'

/** The refresh request of a social (Google / GitHub) Kiro login. */
export function socialRefreshRequest(
  token: StoredToken,
  template = SOCIAL_REFRESH_ENDPOINT,
): RefreshHttpRequest {
  if (token.refreshToken === undefined) {
    throw new CredentialsError('refresh_failed', 'refreshToken: the login has no refresh token.')
  }
  return {
    url: endpointFor(template, token.region ?? DEFAULT_REGION, 'region'),
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/plain, */*',
      // The IDE identifies itself this way (spec §2.3); the service has been seen to care about it.
      'user-agent': 'KiroIDE',
    },
    body: { refreshToken: token.refreshToken },
  }
}
