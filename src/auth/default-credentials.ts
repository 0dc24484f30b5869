import { CredentialsError } from '../errors/credentials-error.js'
import { ENV_VARIABLES, type Env } from './env-credentials.js'
import { type FileSystem, nodeFileSystem, statLogin } from './file-system.js'
import { DEFAULT_TOKEN_FILE } from './file-token-store.js'
import { KiroCliSqliteCredentials } from './kiro-cli-credentials.js'
import {
  kiroCliDatabasePaths,
  nodeSqliteSupported,
  type OpenKiroCliDatabase,
  sqliteUnsupportedMessage,
} from './kiro-cli-database.js'
import { expandHome, nodeModules } from './node-modules.js'
import type { RefreshOptions } from './refresh-options.js'
import { TokenFileCredentials } from './token-file-credentials.js'
import type { CredentialsDescription, CredentialsProvider, GetTokenOptions, KiroToken } from './types.js'

export interface DefaultCredentialsOptions extends RefreshOptions {
  env?: Env | undefined
  fs?: FileSystem | undefined
  openDatabase?: OpenKiroCliDatabase | undefined
}

/**
 * The on-disk logins, looked up on first use (so that constructing a client does no I/O): the
 * Kiro IDE token file, then the kiro-cli database. Until one is found every call retries the
 * lookup, so signing in later needs no restart.
 */
export class DefaultCredentials implements CredentialsProvider {
  readonly #options: DefaultCredentialsOptions
  #provider: CredentialsProvider | undefined
  #lookup: Promise<CredentialsProvider> | undefined
  #closed = false

  constructor(options: DefaultCredentialsOptions = {}) {
    this.#options = options
  }

  getToken(options?: GetTokenOptions): Promise<KiroToken> {
    if (this.#provider !== undefined) return this.#provider.getToken(options)
    return this.#find().then((provider) => provider.getToken(options))
  }

  async invalidate(rejected: KiroToken, options?: GetTokenOptions): Promise<KiroToken> {
    return (await this.#find()).invalidate(rejected, options)
  }

  describe(): CredentialsDescription {
    return this.#provider?.describe() ?? { source: 'default', path: DEFAULT_TOKEN_FILE }
  }

  close(): void {
    this.#closed = true
    this.#provider?.close()
  }

  #find(): Promise<CredentialsProvider> {
    if (this.#provider !== undefined) return Promise.resolve(this.#provider)
    this.#lookup ??= this.#search().finally(() => {
      this.#lookup = undefined
    })
    return this.#lookup
  }

  async #search(): Promise<CredentialsProvider> {
    const node = await nodeModules()
    const fs = this.#options.fs ?? nodeFileSystem
    const env = this.#options.env ?? {}
    const tried: string[] = [
      `${ENV_VARIABLES.tokenFile}, ${ENV_VARIABLES.apiKey}, ${ENV_VARIABLES.accessToken} / ${ENV_VARIABLES.refreshToken} (not set)`,
    ]
    let found: CredentialsProvider | undefined
    const tokenFile = node.path.resolve(expandHome(DEFAULT_TOKEN_FILE, node))
    if ((await statLogin(fs, tokenFile)) !== undefined) {
      found = new TokenFileCredentials({ ...this.#options, path: tokenFile })
    } else {
      tried.push(`${tokenFile} (no such file)`)
      for (const db of kiroCliDatabasePaths(node, env)) {
        if ((await statLogin(fs, db)) === undefined) {
          tried.push(`${db} (no such file)`)
        } else if (this.#options.openDatabase === undefined && !nodeSqliteSupported()) {
          tried.push(`${db} (skipped: ${sqliteUnsupportedMessage()})`)
        } else {
          found = new KiroCliSqliteCredentials({ ...this.#options, path: db })
          break
        }
      }
    }
    if (found === undefined) {
      throw new CredentialsError(
        'not_found',
        `No Kiro login found. Looked at: ${tried.join('; ')}. ` +
          'Sign in with the Kiro IDE or kiro-cli, set one of those variables, or pass credentials to the client.',
      )
    }
    if (this.#closed) found.close()
    this.#provider = found
    return found
  }
}
