import { CredentialsError } from '../../errors/credentials-error.js'
import { checkTokenEndpoint } from '../refresh/endpoints.js'
import type { RefreshOptions } from '../refresh/options.js'
import { RefreshingCredentials } from '../refresh/refreshing-credentials.js'
import { MemoryTokenStore } from '../token-store.js'
import type { StoredToken } from '../types.js'
import { normalizeAuthMethod, parseExpiry } from '../types.js'

/** Plain credentials, e.g. copied from a token file or a secret manager. */
export interface StaticCredentialsInput {
  accessToken?: string | undefined
  refreshToken?: string | undefined
  /** ISO 8601 string, ms since the epoch, or a Date. */
  expiresAt?: string | number | Date | undefined
  /** `social`, or `idc` (also `IdC`, `builder-id`, `iam`); detected when absent. */
  authMethod?: string | undefined
  region?: string | undefined
  /** AWS SSO-OIDC region for IdC refresh, when it differs from `region`. */
  idcRegion?: string | undefined
  profileArn?: string | undefined
  clientId?: string | undefined
  clientSecret?: string | undefined
  /** External identity provider logins (`authMethod: 'external_idp'`): the provider's OAuth token endpoint. */
  tokenEndpoint?: string | undefined
  /** External identity provider logins: the scopes to ask for on refresh, space-separated. */
  scopes?: string | undefined
}

/** Every field of {@link StaticCredentialsInput}: the compiler keeps this in step with it. */
const STATIC_FIELDS: Readonly<Record<keyof StaticCredentialsInput, true>> = {
  accessToken: true,
  refreshToken: true,
  expiresAt: true,
  authMethod: true,
  region: true,
  idcRegion: true,
  profileArn: true,
  clientId: true,
  clientSecret: true,
  tokenEndpoint: true,
  scopes: true,
}

/**
 * The first key of `input` that plain credentials do not have, as an error's text (`key: unknown
 * field`), with a hint when it is the snake_case spelling of one; undefined when all are known.
 */
export function unknownStaticField(input: object): string | undefined {
  const known = (key: string) => Object.hasOwn(STATIC_FIELDS, key)
  for (const key of Object.keys(input)) {
    if (known(key)) continue
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    return `${key}: unknown field${known(camel) ? ` (did you mean ${camel}?)` : ''}.`
  }
  return undefined
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
const STRING_FIELDS = ['accessToken', 'refreshToken', 'profileArn', 'clientId', 'clientSecret'] as const

/**
 * Checks plain credentials and turns them into a stored login. Errors name the field (through
 * `fieldName`, so env variables are reported by their own names) and never quote a value.
 */
export function toStoredToken(
  input: StaticCredentialsInput,
  fieldName: (field: keyof StaticCredentialsInput) => string = (field) => `credentials.${field}`,
): StoredToken {
  const invalid = (field: keyof StaticCredentialsInput, reason: string) =>
    new CredentialsError('invalid_credentials', `${fieldName(field)}: ${reason}.`)
  if (typeof input !== 'object' || input === null) {
    throw new CredentialsError('invalid_credentials', 'credentials: expected an object.')
  }
  const token: StoredToken = {}
  for (const field of STRING_FIELDS) {
    const value = input[field]
    if (value === undefined || value === '') continue
    if (typeof value !== 'string') throw invalid(field, `expected a string, got ${typeof value}`)
    if (/\s/.test(value)) throw invalid(field, 'contains whitespace')
    token[field] = value
  }
  if (token.accessToken === undefined && token.refreshToken === undefined) {
    throw invalid('accessToken', 'missing: give an accessToken, a refreshToken, or both')
  }
  if (input.expiresAt !== undefined) {
    const expiresAt = parseExpiry(input.expiresAt)
    if (expiresAt === undefined) {
      throw invalid('expiresAt', 'expected an ISO 8601 date, milliseconds since the epoch, or a Date')
    }
    token.expiresAt = expiresAt
  }
  if (input.authMethod !== undefined) {
    const method = normalizeAuthMethod(input.authMethod)
    if (method === undefined || method === 'api_key') {
      throw invalid(
        'authMethod',
        'expected "social", "idc" or "external_idp" (for an API key, pass { apiKey })',
      )
    }
    token.authMethod = method
  }
  for (const field of ['region', 'idcRegion'] as const) {
    const value = input[field]
    if (value === undefined || value === '') continue
    if (typeof value !== 'string' || !REGION.test(value))
      throw invalid(field, 'expected an AWS region name like "us-east-1"')
    token[field] = value
  }
  if (input.tokenEndpoint !== undefined && input.tokenEndpoint !== '') {
    if (typeof input.tokenEndpoint !== 'string') throw invalid('tokenEndpoint', 'expected a string')
    token.tokenEndpoint = checkTokenEndpoint(input.tokenEndpoint, fieldName('tokenEndpoint'))
  }
  if (input.scopes !== undefined && input.scopes !== '') {
    if (typeof input.scopes !== 'string') throw invalid('scopes', 'expected a space-separated string')
    token.scopes = input.scopes.trim()
  }
  if (
    token.authMethod === 'external_idp' &&
    token.refreshToken !== undefined &&
    (token.clientId === undefined || token.tokenEndpoint === undefined)
  ) {
    throw invalid(
      token.clientId === undefined ? 'clientId' : 'tokenEndpoint',
      'required to refresh an external identity provider login',
    )
  }
  if (
    token.authMethod === 'idc' &&
    (token.clientId === undefined || token.clientSecret === undefined) &&
    token.refreshToken !== undefined
  ) {
    throw invalid(
      token.clientId === undefined ? 'clientId' : 'clientSecret',
      'required to refresh an IdC / Builder ID login',
    )
  }
  return token
}

export interface StaticCredentialsOptions extends RefreshOptions {
  /** How the source is named in `describe()` and hooks. @defaultValue `'static'` */
  source?: string
}

/**
 * Credentials given in code. With a refresh token they refresh like the token file does, keeping
 * refreshed tokens in memory (use `RefreshingCredentials` with your own `TokenStore` to persist them).
 */
export class StaticCredentials extends RefreshingCredentials {
  constructor(input: StaticCredentialsInput, options: StaticCredentialsOptions = {}) {
    const store = new MemoryTokenStore(toStoredToken(input), { source: options.source ?? 'static' })
    super({ ...options, store })
  }
}

/** Environment variables read by `resolveCredentials`, by the credential field each one sets. */
export const ENV_VARIABLES = {
  tokenFile: 'KIRO_AUTH_TOKEN_FILE',
  apiKey: 'KIRO_API_KEY',
  accessToken: 'KIRO_ACCESS_TOKEN',
  refreshToken: 'KIRO_REFRESH_TOKEN',
  expiresAt: 'KIRO_EXPIRES_AT',
  authMethod: 'KIRO_AUTH_METHOD',
  region: 'KIRO_REGION',
  idcRegion: 'KIRO_IDC_REGION',
  profileArn: 'KIRO_PROFILE_ARN',
  clientId: 'KIRO_CLIENT_ID',
  clientSecret: 'KIRO_CLIENT_SECRET',
  tokenEndpoint: 'KIRO_TOKEN_ENDPOINT',
  scopes: 'KIRO_SCOPES',
  kiroCliDb: 'KIRO_CLI_DB',
} as const

export type Env = Readonly<Record<string, string | undefined>>

/** Plain credentials from the environment, or undefined when neither access nor refresh token is set. */
export function staticInputFromEnv(env: Env): StaticCredentialsInput | undefined {
  const get = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const input: StaticCredentialsInput = {
    accessToken: get(ENV_VARIABLES.accessToken),
    refreshToken: get(ENV_VARIABLES.refreshToken),
    expiresAt: get(ENV_VARIABLES.expiresAt),
    authMethod: get(ENV_VARIABLES.authMethod),
    region: get(ENV_VARIABLES.region),
    idcRegion: get(ENV_VARIABLES.idcRegion),
    profileArn: get(ENV_VARIABLES.profileArn),
    clientId: get(ENV_VARIABLES.clientId),
    clientSecret: get(ENV_VARIABLES.clientSecret),
    tokenEndpoint: get(ENV_VARIABLES.tokenEndpoint),
    scopes: get(ENV_VARIABLES.scopes),
  }
  if (input.accessToken === undefined && input.refreshToken === undefined) return undefined
  // An expiry given as digits is ms since the epoch, as in code.
  if (input.expiresAt !== undefined && /^\d+$/.test(input.expiresAt as string))
    input.expiresAt = Number(input.expiresAt)
  return input
}

/** Reports a static-credentials field by the environment variable that set it. */
export function envFieldName(field: keyof StaticCredentialsInput): string {
  return ENV_VARIABLES[field]
}
