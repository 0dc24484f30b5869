import { CredentialsError } from '../errors/credentials-error.js'
import { DEFAULT_TOKEN_FILE } from './file-token-store.js'
import { expandHome, type FileSystem, nodeFileSystem, nodeModules, statLogin } from './files.js'
import {
  kiroCliDatabasePaths,
  nodeSqliteSupported,
  type OpenKiroCliDatabase,
  sqliteUnsupportedMessage,
} from './kiro-cli-database.js'
import type { RefreshOptions } from './refresh/options.js'
import { ApiKeyCredentials } from './sources/api-key.js'
import { KiroCliSqliteCredentials } from './sources/kiro-cli.js'
import {
  ENV_VARIABLES,
  type Env,
  envFieldName,
  StaticCredentials,
  type StaticCredentialsInput,
  staticInputFromEnv,
  toStoredToken,
  unknownStaticField,
} from './sources/static.js'
import { TokenFileCredentials } from './sources/token-file.js'
import type { CredentialsDescription, CredentialsProvider, GetTokenOptions, KiroToken } from './types.js'

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
  const named = envLoginInput(env)
  if (named === undefined) return new DefaultCredentials({ ...options, env })
  if ('tokenFile' in named) return new TokenFileCredentials({ ...options, path: named.tokenFile })
  if ('kiroCliDb' in named) return new KiroCliSqliteCredentials({ ...options, path: named.kiroCliDb })
  if ('apiKey' in named) return withEnvName(() => new ApiKeyCredentials(named.apiKey, { source: 'env' }))
  toStoredToken(named.plain, envFieldName)
  return new StaticCredentials(named.plain, { ...options, source: 'env' })
}

/**
 * The login the environment names, in the lookup order (steps 1-4 above); undefined when it names
 * none. `plain` is credentials given as variables, not yet checked.
 */
export function envLoginInput(
  env: Env,
):
  | { tokenFile: string }
  | { kiroCliDb: string }
  | { apiKey: string }
  | { plain: StaticCredentialsInput }
  | undefined {
  const get = (name: string) => {
    const value = env[name]?.trim()
    return value === undefined || value === '' ? undefined : value
  }
  const tokenFile = get(ENV_VARIABLES.tokenFile)
  if (tokenFile !== undefined) return { tokenFile }
  const kiroCliDb = get(ENV_VARIABLES.kiroCliDb)
  if (kiroCliDb !== undefined) return { kiroCliDb }
  const apiKey = get(ENV_VARIABLES.apiKey)
  if (apiKey !== undefined) return { apiKey }
  const plain = staticInputFromEnv(env)
  return plain === undefined ? undefined : { plain }
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
  const unknown = unknownStaticField(input)
  if (unknown !== undefined) throw new CredentialsError('invalid_credentials', `credentials.${unknown}`)
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

interface DefaultCredentialsOptions extends RefreshOptions {
  env?: Env | undefined
  fs?: FileSystem | undefined
  openDatabase?: OpenKiroCliDatabase | undefined
}

/**
 * The login on this machine's disk: the Kiro IDE token file, else the first kiro-cli database this
 * runtime can open. `tried` says why each place before it was passed over.
 */
export async function findLoginOnDisk(
  options: Pick<DefaultCredentialsOptions, 'env' | 'fs' | 'openDatabase'> = {},
): Promise<{ login: { tokenFile: string } | { kiroCliDb: string } | undefined; tried: string[] }> {
  const node = await nodeModules()
  const fs = options.fs ?? nodeFileSystem
  const tried: string[] = []
  const tokenFile = node.path.resolve(expandHome(DEFAULT_TOKEN_FILE, node))
  if ((await statLogin(fs, tokenFile)) !== undefined) return { login: { tokenFile }, tried }
  tried.push(`${tokenFile} (no such file)`)
  for (const db of kiroCliDatabasePaths(node, options.env ?? {})) {
    if ((await statLogin(fs, db)) === undefined) {
      tried.push(`${db} (no such file)`)
    } else if (options.openDatabase === undefined && !nodeSqliteSupported()) {
      tried.push(`${db} (skipped: ${sqliteUnsupportedMessage()})`)
    } else {
      return { login: { kiroCliDb: db }, tried }
    }
  }
  return { login: undefined, tried }
}

/**
 * The on-disk logins, looked up on first use (so that constructing a client does no I/O): the
 * Kiro IDE token file, then the kiro-cli database. Until one is found every call retries the
 * lookup, so signing in later needs no restart.
 */
class DefaultCredentials implements CredentialsProvider {
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
    const { login, tried } = await findLoginOnDisk(this.#options)
    if (login === undefined) {
      const unset = `${ENV_VARIABLES.tokenFile}, ${ENV_VARIABLES.apiKey}, ${ENV_VARIABLES.accessToken} / ${ENV_VARIABLES.refreshToken} (not set)`
      throw new CredentialsError(
        'not_found',
        `No Kiro login found. Looked at: ${[unset, ...tried].join('; ')}. ` +
          'Sign in with the Kiro IDE or kiro-cli, set one of those variables, or pass credentials to the client.',
      )
    }
    const found =
      'tokenFile' in login
        ? new TokenFileCredentials({ ...this.#options, path: login.tokenFile })
        : new KiroCliSqliteCredentials({ ...this.#options, path: login.kiroCliDb })
    if (this.#closed) found.close()
    this.#provider = found
    return found
  }
}
