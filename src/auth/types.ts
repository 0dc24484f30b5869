/**
 * How a login refreshes: Kiro's social (desktop) auth, AWS IdC / Builder ID, an external identity
 * provider (the Kiro IDE's `external_idp`: an OAuth refresh at the provider's token endpoint,
 * docs/protocol.md §9.2), or a static API key.
 */
export type AuthMethod = 'social' | 'idc' | 'external_idp' | 'api_key'

/** What the transport needs to authorize one request. */
export interface KiroToken {
  readonly accessToken: string
  /** Milliseconds since the epoch; absent when the token does not expire (API keys). */
  readonly expiresAt?: number
  /** `api_key`: send the header `tokentype: API_KEY` next to the bearer (docs/protocol.md §1.3). */
  readonly kind: 'bearer' | 'api_key'
  readonly authMethod?: AuthMethod
  readonly region?: string
  readonly profileArn?: string
}

/** Per-call options of {@link CredentialsProvider.getToken} and {@link CredentialsProvider.invalidate}. */
export interface GetTokenOptions {
  /** Aborting rejects this caller with `APIUserAbortError`; a refresh shared with other callers goes on. */
  signal?: AbortSignal | undefined
}

/** Where credentials come from; safe to print. */
export type CredentialsSource =
  | 'token-file'
  | 'static'
  | 'env'
  | 'api-key'
  | 'kiro-cli-sqlite'
  | 'store'
  | 'default'
  | 'none'

/** A description of a login that is safe to show (`whoami`): never a token or a secret. */
export interface CredentialsDescription {
  source: CredentialsSource | (string & {})
  /** The file or database the login lives in, when there is one. */
  path?: string
  authMethod?: AuthMethod
  region?: string
  profileArn?: string
  /** Access-token expiry in ms since the epoch, once a token has been loaded. */
  expiresAt?: number
  /** Whether this login can get a new access token by itself. */
  canRefresh?: boolean
}

/** The payload of the `onRefresh` hook. It never holds a token value. */
export interface RefreshEvent {
  source: string
  /** The pool account whose login refreshed (docs/accounts.md); absent for a single login. */
  account?: string
  authMethod?: AuthMethod
  durationMs: number
  ok: boolean
  /** Why the refresh failed: a `CredentialsError` code and its (secret-free) message. */
  error?: { code: string; message: string }
  /** True when the refresh ran ahead of expiry while callers kept the current token. */
  background: boolean
  /** The new token was refreshed but could not be written back to its store. */
  writeBackError?: { code: string; message: string }
}

export type RefreshHook = (event: RefreshEvent) => void

/**
 * Anything that yields a valid Kiro access token. `KiroClient` accepts one, or plain credentials that
 * `resolveCredentials` turns into one.
 */
export interface CredentialsProvider {
  /** The current token; a number compare unless a refresh is due. */
  getToken(options?: GetTokenOptions): Promise<KiroToken>
  /**
   * Called after Kiro answered 401/403 "bearer token invalid" for `rejected`: one forced refresh
   * (shared with concurrent callers). Returns the newer token at once if `rejected` was already replaced.
   */
  invalidate(rejected: KiroToken, options?: GetTokenOptions): Promise<KiroToken>
  /** Safe for display: source, path, auth method, region, profile ARN, expiry. Never a secret. */
  describe(): CredentialsDescription
  /** Stops the background refresh timer. */
  close(): void
}

/**
 * A login as a {@link TokenStore} keeps it: what a refresh needs and what it produces.
 * `expiresAt` is in ms since the epoch.
 */
export interface StoredToken {
  accessToken?: string
  refreshToken?: string
  expiresAt?: number
  authMethod?: AuthMethod
  /** Region of the login; the social refresh host and the fallback for IdC. */
  region?: string
  /** Region of the AWS SSO-OIDC service for IdC refresh, when it differs (docs/protocol.md §2.2). */
  idcRegion?: string
  profileArn?: string
  clientId?: string
  clientSecret?: string
  /** External identity provider logins: the provider's OAuth token endpoint (https). */
  tokenEndpoint?: string
  /** External identity provider logins: the scopes to ask for on refresh, space-separated. */
  scopes?: string
  /** A Kiro API key (`ksk_…`): sent as the bearer, never refreshed. */
  apiKey?: string
}

/**
 * Reads an `authMethod` as the Kiro IDE and other clients write it: `social`; for AWS IdC /
 * Builder ID `IdC`, `idc`, `builder-id`, `iam`; `external_idp` (case-insensitive, docs/protocol.md §2.2, §9.2).
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
    case 'external-idp':
    case 'externalidp':
      return 'external_idp'
    case 'api-key':
    case 'apikey':
      return 'api_key'
    default:
      return undefined
  }
}

/**
 * The refresh flavour of a login: its declared method, else an external identity provider when it
 * names a token endpoint (no social or IdC login has one), else IdC when both client id and secret
 * are known, else social (docs/protocol.md §2.2 "Auth-type detection", §9.2).
 */
export function effectiveAuthMethod(token: StoredToken): AuthMethod {
  if (apiKeyOf(token) !== undefined) return 'api_key'
  if (token.authMethod !== undefined) return token.authMethod
  if (token.tokenEndpoint !== undefined) return 'external_idp'
  return token.clientId !== undefined && token.clientSecret !== undefined ? 'idc' : 'social'
}

/**
 * The Kiro API key of a login: its `apiKey`, or an access token that is one (`ksk_…`), which
 * must travel with `tokentype: API_KEY` whatever field it was given in (docs/protocol.md §1.3).
 */
export function apiKeyOf(token: StoredToken): string | undefined {
  if (token.apiKey !== undefined) return token.apiKey
  return token.accessToken?.startsWith('ksk_') === true ? token.accessToken : undefined
}

/**
 * Parses an expiry as token files carry it: an ISO 8601 / RFC 3339 string (up to nine fractional
 * digits, docs/protocol.md §2.1), milliseconds since the epoch, or a Date. Undefined when unusable.
 */
export function parseExpiry(value: unknown): number | undefined {
  if (value instanceof Date) {
    const ms = value.getTime()
    return Number.isFinite(ms) ? ms : undefined
  }
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined
  if (typeof value === 'string' && value.trim() !== '') {
    const ms = Date.parse(value)
    return Number.isFinite(ms) ? ms : undefined
  }
  return undefined
}
