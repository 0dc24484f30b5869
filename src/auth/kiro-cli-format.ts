import { CredentialsError } from '../errors/credentials-error.js'
import { parseExpiry } from './expiry.js'
import type { StoredToken } from './types.js'

/** `auth_kv` keys holding a kiro-cli login, in the order they are tried (spec/kiro-wire.md §2.1). */
export const CLI_TOKEN_KEYS = [
  'kirocli:social:token',
  'kirocli:odic:token',
  'codewhisperer:odic:token',
] as const
/** `auth_kv` keys holding the IdC client registration. */
export const CLI_REGISTRATION_KEYS = [
  'kirocli:odic:device-registration',
  'codewhisperer:odic:device-registration',
] as const
/** `state` key whose JSON `{arn}` is the selected profile. */
export const CLI_PROFILE_KEY = 'api.codewhisperer.profile'

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

function parseObject(text: string, where: string): CliTokenRow {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new CredentialsError('invalid_file', `${where}: not valid JSON (${text.length} bytes).`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CredentialsError('invalid_file', `${where}: expected a JSON object.`)
  }
  return value as CliTokenRow
}

/** A kiro-cli token row; unknown keys are kept on write-back. */
type CliTokenRow = Record<string, unknown> & {
  access_token?: unknown
  refresh_token?: unknown
  expires_at?: unknown
  region?: unknown
  profile_arn?: unknown
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

/** Reads a kiro-cli token row (snake_case JSON; `expires_at` RFC 3339) into a stored login. */
export function parseCliToken(
  text: string,
  key: string,
  where: string,
): { raw: CliTokenRow; token: StoredToken } {
  const raw = parseObject(text, where)
  const token: StoredToken = { authMethod: key.includes(':social:') ? 'social' : 'idc' }
  const accessToken = str(raw.access_token)
  const refreshToken = str(raw.refresh_token)
  if (accessToken === undefined && refreshToken === undefined) {
    throw new CredentialsError(
      'invalid_file',
      `${where}: access_token: missing, and there is no refresh_token either.`,
    )
  }
  if (accessToken !== undefined) token.accessToken = accessToken
  if (refreshToken !== undefined) token.refreshToken = refreshToken
  const expiresAt = parseExpiry(raw.expires_at)
  if (expiresAt !== undefined) token.expiresAt = expiresAt
  const region = str(raw.region)
  if (region !== undefined && REGION.test(region)) token.region = region
  const profileArn = str(raw.profile_arn)
  if (profileArn !== undefined) token.profileArn = profileArn
  return { raw, token }
}

/** Reads a device registration row: `client_id`, `client_secret`, `region`. */
export function parseCliRegistration(
  text: string,
): { clientId: string; clientSecret: string; region?: string } | undefined {
  try {
    const raw = JSON.parse(text) as { client_id?: unknown; client_secret?: unknown; region?: unknown }
    const clientId = str(raw.client_id)
    const clientSecret = str(raw.client_secret)
    if (clientId === undefined || clientSecret === undefined) return undefined
    const region = str(raw.region)
    return region !== undefined && REGION.test(region)
      ? { clientId, clientSecret, region }
      : { clientId, clientSecret }
  } catch {
    return undefined
  }
}

/** Reads the profile ARN from the `state` row `{arn}`. */
export function parseCliProfile(text: string): string | undefined {
  try {
    return str((JSON.parse(text) as { arn?: unknown }).arn)
  } catch {
    return undefined
  }
}

/**
 * The token row after a refresh: only `access_token`, `refresh_token`, `expires_at` and `region`
 * change; every other key is kept, as kiro-cli expects (spec §2.1, JW issue #131).
 */
export function mergeCliToken(raw: CliTokenRow, next: StoredToken): CliTokenRow {
  const merged: CliTokenRow = { ...raw }
  if (next.accessToken !== undefined) merged.access_token = next.accessToken
  if (next.refreshToken !== undefined) merged.refresh_token = next.refreshToken
  if (next.expiresAt !== undefined) merged.expires_at = new Date(next.expiresAt).toISOString()
  if (next.region !== undefined && raw.region !== undefined) merged.region = next.region
  return merged
}
