import { CredentialsError } from '../errors/credentials-error.js'
import { expandHome, nodeModules } from './files.js'
import {
  type KiroCliDatabase,
  type OpenKiroCliDatabase,
  openNodeSqlite,
  sqliteFailure,
} from './kiro-cli-database.js'
import {
  type CompareAndSwapResult,
  sameLogin,
  type TokenStore,
  type TokenStoreDescription,
} from './token-store.js'
import type { StoredToken } from './types.js'
import { parseExpiry } from './types.js'

export interface KiroCliSqliteStoreOptions {
  /** The kiro-cli database file. */
  path: string
  /** Opens the database; tests pass a fake. @defaultValue `node:sqlite` */
  openDatabase?: OpenKiroCliDatabase | undefined
}

interface Row {
  key: string
  raw: Record<string, unknown>
  token: StoredToken
}

/**
 * The kiro-cli login (`auth_kv` table of its SQLite database) as a {@link TokenStore}. The
 * database is opened for each operation and closed right after, so kiro-cli is never locked out;
 * a compare-and-swap runs inside one `BEGIN IMMEDIATE` transaction.
 */
export class KiroCliSqliteStore implements TokenStore {
  readonly #path: string
  readonly #open: OpenKiroCliDatabase

  constructor(options: KiroCliSqliteStoreOptions) {
    this.#path = options.path
    this.#open = options.openDatabase ?? openNodeSqlite
  }

  describe(): TokenStoreDescription {
    return { source: 'kiro-cli-sqlite', path: this.#path }
  }

  async load(): Promise<StoredToken | undefined> {
    return this.#with((db) => {
      const row = this.#readRow(db)
      return row === undefined ? undefined : row.token
    })
  }

  async save(token: StoredToken): Promise<void> {
    await this.#with((db) =>
      db.transaction(() => {
        const row = this.#readRow(db)
        if (row === undefined)
          throw new CredentialsError('not_found', `${this.#path}: no kiro-cli login to update.`)
        db.set('auth_kv', row.key, JSON.stringify(mergeCliToken(row.raw, token)))
      }),
    )
  }

  async compareAndSwap(expected: StoredToken, next: StoredToken): Promise<CompareAndSwapResult> {
    return this.#with((db) =>
      db.transaction((): CompareAndSwapResult => {
        const row = this.#readRow(db)
        if (row === undefined || !sameLogin(row.token, expected))
          return { swapped: false, current: row?.token }
        db.set('auth_kv', row.key, JSON.stringify(mergeCliToken(row.raw, next)))
        return { swapped: true }
      }),
    )
  }

  async #with<T>(fn: (db: KiroCliDatabase) => T): Promise<T> {
    const path = expandHome(this.#path, await nodeModules())
    const db = await this.#open(path).catch((error: unknown) => {
      throw CredentialsError.isInstance(error)
        ? error
        : sqliteFailure(this.#path, 'cannot open the kiro-cli database', error)
    })
    try {
      return fn(db)
    } catch (error) {
      if (error instanceof CredentialsError) throw error
      throw sqliteFailure(this.#path, 'cannot read the kiro-cli database', error)
    } finally {
      db.close()
    }
  }

  #readRow(db: KiroCliDatabase): Row | undefined {
    for (const key of CLI_TOKEN_KEYS) {
      const text = db.get('auth_kv', key)
      if (text === undefined) continue
      const { raw, token } = parseCliToken(text, key, `${this.#path} (auth_kv ${key})`)
      if (token.authMethod === 'idc') {
        for (const registrationKey of CLI_REGISTRATION_KEYS) {
          const registration = db.get('auth_kv', registrationKey)
          const parsed = registration === undefined ? undefined : parseCliRegistration(registration)
          if (parsed === undefined) continue
          token.clientId = parsed.clientId
          token.clientSecret = parsed.clientSecret
          // The OIDC service lives in the registration's region (docs/protocol.md §2.1).
          if (parsed.region !== undefined) token.idcRegion = parsed.region
          break
        }
      }
      if (token.profileArn === undefined) {
        const profile = db.get('state', CLI_PROFILE_KEY)
        const arn = profile === undefined ? undefined : parseCliProfile(profile)
        if (arn !== undefined) token.profileArn = arn
      }
      return { key, raw, token }
    }
    return undefined
  }
}

/** `auth_kv` keys holding a kiro-cli login, in the order they are tried (docs/protocol.md §2.1). */
const CLI_TOKEN_KEYS = ['kirocli:social:token', 'kirocli:odic:token', 'codewhisperer:odic:token'] as const
/** `auth_kv` keys holding the IdC client registration. */
const CLI_REGISTRATION_KEYS = [
  'kirocli:odic:device-registration',
  'codewhisperer:odic:device-registration',
] as const
/** `state` key whose JSON `{arn}` is the selected profile. */
const CLI_PROFILE_KEY = 'api.codewhisperer.profile'

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
function parseCliToken(text: string, key: string, where: string): { raw: CliTokenRow; token: StoredToken } {
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
function parseCliRegistration(
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
function parseCliProfile(text: string): string | undefined {
  try {
    return str((JSON.parse(text) as { arn?: unknown }).arn)
  } catch {
    return undefined
  }
}

/**
 * The token row after a refresh: only `access_token`, `refresh_token`, `expires_at` and `region`
 * change; every other key is kept, as kiro-cli expects (docs/protocol.md §2.1, JW issue #131).
 */
function mergeCliToken(raw: CliTokenRow, next: StoredToken): CliTokenRow {
  const merged: CliTokenRow = { ...raw }
  if (next.accessToken !== undefined) merged.access_token = next.accessToken
  if (next.refreshToken !== undefined) merged.refresh_token = next.refreshToken
  if (next.expiresAt !== undefined) merged.expires_at = new Date(next.expiresAt).toISOString()
  if (next.region !== undefined && raw.region !== undefined) merged.region = next.region
  return merged
}
