import type { StaticCredentialsInput } from './static-credentials.js'

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
