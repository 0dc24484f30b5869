import { CredentialsError } from '../errors/credentials-error.js'
import type { RefreshHttpRequest } from './refresh-http.js'
import { endpointFor } from './region.js'
import type { StoredToken } from './types.js'

/** AWS SSO-OIDC CreateToken (spec/kiro-wire.md §2.4); `{region}` is the IdC region. */
export const IDC_REFRESH_ENDPOINT = 'https://oidc.{region}.amazonaws.com/token'

const DEFAULT_REGION = 'us-east-1'

/** The refresh request of an AWS IdC / Builder ID login: camelCase JSON, not a form (spec §2.4). */
export function idcRefreshRequest(token: StoredToken, template = IDC_REFRESH_ENDPOINT): RefreshHttpRequest {
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
