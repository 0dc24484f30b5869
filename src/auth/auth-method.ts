import type { AuthMethod, StoredToken } from './types.js'

/**
 * Reads an `authMethod` as the Kiro IDE and other clients write it: `social`, or for AWS IdC /
 * Builder ID `IdC`, `idc`, `builder-id`, `iam` (case-insensitive, spec/kiro-wire.md §2.2).
 * Unknown values give undefined so that the method is detected instead.
 */
export function normalizeAuthMethod(raw: unknown): AuthMethod | undefined {
  if (typeof raw !== 'string') return undefined
  switch (raw.trim().toLowerCase().replace(/_/g, '-')) {
    case 'social':
      return 'social'
    case 'idc':
    case 'builder-id':
    case 'builderid':
    case 'iam':
      return 'idc'
    case 'api-key':
    case 'apikey':
      return 'api_key'
    default:
      return undefined
  }
}

/**
 * The refresh flavour of a login: its declared method, else IdC when both client id and secret
 * are known, else social (spec/kiro-wire.md §2.2 "Auth-type detection").
 */
export function effectiveAuthMethod(token: StoredToken): AuthMethod {
  if (apiKeyOf(token) !== undefined) return 'api_key'
  if (token.authMethod !== undefined) return token.authMethod
  return token.clientId !== undefined && token.clientSecret !== undefined ? 'idc' : 'social'
}

/**
 * The Kiro API key of a login: its `apiKey`, or an access token that is one (`ksk_…`), which
 * must travel with `tokentype: API_KEY` whatever field it was given in (spec §1.3).
 */
export function apiKeyOf(token: StoredToken): string | undefined {
  if (token.apiKey !== undefined) return token.apiKey
  return token.accessToken?.startsWith('ksk_') === true ? token.accessToken : undefined
}
