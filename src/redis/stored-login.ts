import type { StoredToken } from '../auth/types.js'
import { normalizeAuthMethod } from '../auth/types.js'
import { CredentialsError } from '../errors/credentials-error.js'

const TEXT_FIELDS = [
  'accessToken',
  'refreshToken',
  'region',
  'idcRegion',
  'profileArn',
  'clientId',
  'clientSecret',
  'apiKey',
] as const

/**
 * Reads a login record from Redis back into a `StoredToken`, keeping only the known fields with
 * the right types. Errors name the key and the field, never a value.
 */
export function decodeLogin(text: string, key: string): StoredToken {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new CredentialsError('invalid_credentials', `${key}: the login in Redis is not valid JSON.`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CredentialsError('invalid_credentials', `${key}: the login in Redis is not a JSON object.`)
  }
  const record = raw as Record<string, unknown> & { expiresAt?: unknown; authMethod?: unknown }
  const token: StoredToken = {}
  for (const field of TEXT_FIELDS) {
    const value = record[field]
    if (value === undefined || value === null) continue
    if (typeof value !== 'string') {
      throw new CredentialsError(
        'invalid_credentials',
        `${key}: ${field}: expected a string, got ${typeof value}.`,
      )
    }
    token[field] = value
  }
  const expiresAt = record.expiresAt
  if (expiresAt !== undefined && expiresAt !== null) {
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) {
      throw new CredentialsError('invalid_credentials', `${key}: expiresAt: expected ms since the epoch.`)
    }
    token.expiresAt = expiresAt
  }
  const authMethod = normalizeAuthMethod(record.authMethod)
  if (authMethod !== undefined) token.authMethod = authMethod
  return token
}
