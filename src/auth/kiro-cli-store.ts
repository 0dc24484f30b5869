import { CredentialsError } from '../errors/credentials-error.js'
import { type KiroCliDatabase, type OpenKiroCliDatabase, openNodeSqlite } from './kiro-cli-database.js'
import {
  CLI_PROFILE_KEY,
  CLI_REGISTRATION_KEYS,
  CLI_TOKEN_KEYS,
  mergeCliToken,
  parseCliProfile,
  parseCliRegistration,
  parseCliToken,
} from './kiro-cli-format.js'
import { expandHome, nodeModules } from './node-modules.js'
import {
  type CompareAndSwapResult,
  sameLogin,
  type TokenStore,
  type TokenStoreDescription,
} from './token-store.js'
import type { StoredToken } from './types.js'

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
    const db = await this.#open(expandHome(this.#path, await nodeModules()))
    try {
      return fn(db)
    } catch (error) {
      if (error instanceof CredentialsError) throw error
      // SQLite's own message may quote a row; name the error class only.
      const name = error instanceof Error ? error.name : 'unknown error'
      throw new CredentialsError(
        'invalid_file',
        `${this.#path}: cannot read the kiro-cli database (${name}).`,
      )
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
          // The OIDC service lives in the registration's region (spec §2.1).
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
