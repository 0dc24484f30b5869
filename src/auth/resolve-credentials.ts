import { CredentialsError } from '../errors/credentials-error.js'
import { ApiKeyCredentials } from './api-key-credentials.js'
import { DefaultCredentials, type DefaultCredentialsOptions } from './default-credentials.js'
import { ENV_VARIABLES, type Env, envFieldName, staticInputFromEnv } from './env-credentials.js'
import { KiroCliSqliteCredentials } from './kiro-cli-credentials.js'
import { StaticCredentials, type StaticCredentialsInput, toStoredToken } from './static-credentials.js'
import { TokenFileCredentials } from './token-file-credentials.js'
import type { CredentialsProvider } from './types.js'

/** What `KiroClient` accepts as `credentials`. */
export type CredentialsInput =
  | CredentialsProvider
  | StaticCredentialsInput
  | { apiKey: string }
  | { tokenFile: string }
  | { kiroCliDb: string }

export interface ResolveCredentialsOptions extends DefaultCredentialsOptions {
  /** @defaultValue `process.env` */
  env?: Env | undefined
}

const STATIC_FIELDS = new Set([
  'accessToken',
  'refreshToken',
  'expiresAt',
  'authMethod',
  'region',
  'idcRegion',
  'profileArn',
  'clientId',
  'clientSecret',
])

/**
 * Turns what the user gave into a provider. Without input the lookup order is:
 * 1. `KIRO_AUTH_TOKEN_FILE` (a token file path), 2. `KIRO_CLI_DB` (a kiro-cli database path),
 * 3. `KIRO_API_KEY`, 4. `KIRO_ACCESS_TOKEN` / `KIRO_REFRESH_TOKEN` and their companions,
 * 5. the Kiro IDE token file `~/.aws/sso/cache/kiro-auth-token.json`, 6. the kiro-cli database
 * (Node >= 22.5 only, skipped otherwise). Steps 5 and 6 run on first use.
 *
 * Bad input throws a `CredentialsError` (`invalid_credentials`) naming the field; a missing login
 * is reported by `getToken()` (`not_found`), so constructing a client never does I/O.
 */
export function resolveCredentials(
  input: CredentialsInput | undefined,
  options: ResolveCredentialsOptions = {},
): CredentialsProvider {
  if (input !== undefined) return fromInput(input, options)
  const env = options.env ?? globalThis.process?.env ?? {}
  const get = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const tokenFile = get(ENV_VARIABLES.tokenFile)
  if (tokenFile !== undefined) return new TokenFileCredentials({ ...options, path: tokenFile })
  const cliDb = get(ENV_VARIABLES.kiroCliDb)
  if (cliDb !== undefined) return new KiroCliSqliteCredentials({ ...options, path: cliDb })
  const apiKey = get(ENV_VARIABLES.apiKey)
  if (apiKey !== undefined) return withEnvName(() => new ApiKeyCredentials(apiKey, { source: 'env' }))
  const fromEnv = staticInputFromEnv(env)
  if (fromEnv !== undefined) {
    toStoredToken(fromEnv, envFieldName)
    return new StaticCredentials(fromEnv, { ...options, source: 'env' })
  }
  return new DefaultCredentials({ ...options, env })
}

function fromInput(input: CredentialsInput, options: ResolveCredentialsOptions): CredentialsProvider {
  if (typeof input !== 'object' || input === null) {
    throw new CredentialsError(
      'invalid_credentials',
      `credentials: expected an object, got ${input === null ? 'null' : typeof input}.`,
    )
  }
  if ('getToken' in input && typeof input.getToken === 'function') return input
  if ('apiKey' in input) return new ApiKeyCredentials(input.apiKey)
  if ('tokenFile' in input) {
    if (typeof input.tokenFile !== 'string' || input.tokenFile === '') {
      throw new CredentialsError('invalid_credentials', 'credentials.tokenFile: expected a file path.')
    }
    return new TokenFileCredentials({ ...options, path: input.tokenFile })
  }
  if ('kiroCliDb' in input) {
    if (typeof input.kiroCliDb !== 'string' || input.kiroCliDb === '') {
      throw new CredentialsError('invalid_credentials', 'credentials.kiroCliDb: expected a file path.')
    }
    return new KiroCliSqliteCredentials({ ...options, path: input.kiroCliDb })
  }
  for (const key of Object.keys(input)) {
    if (!STATIC_FIELDS.has(key)) {
      const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
      const hint = STATIC_FIELDS.has(camel) ? ` (did you mean ${camel}?)` : ''
      throw new CredentialsError('invalid_credentials', `credentials.${key}: unknown field${hint}.`)
    }
  }
  return new StaticCredentials(input as StaticCredentialsInput, options)
}

function withEnvName<T>(make: () => T): T {
  try {
    return make()
  } catch (error) {
    if (error instanceof CredentialsError) {
      throw new CredentialsError(error.code, error.message.replace(/^apiKey:/, `${ENV_VARIABLES.apiKey}:`))
    }
    throw error
  }
}
