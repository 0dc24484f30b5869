import { CredentialsError } from '../errors/credentials-error.js'
import {
  errorCode,
  expandHome,
  type FileSystem,
  nodeFileSystem,
  nodeModules,
  statLogin,
  writeFileAtomic,
} from './files.js'
import { checkTokenEndpoint } from './refresh/endpoints.js'
import {
  type CompareAndSwapResult,
  sameLogin,
  type TokenStore,
  type TokenStoreDescription,
  type TokenStoreLock,
} from './token-store.js'
import { type FileTokenStoreLockOptions, TokenFileLocks } from './token-store-locks.js'
import type { StoredToken } from './types.js'
import { normalizeAuthMethod, parseExpiry } from './types.js'

/** Where the Kiro IDE keeps its login (docs/protocol.md §2.1). */
export const DEFAULT_TOKEN_FILE = '~/.aws/sso/cache/kiro-auth-token.json'

export interface FileTokenStoreOptions {
  /** @defaultValue `~/.aws/sso/cache/kiro-auth-token.json` */
  path?: string | undefined
  /** File operations; tests inject a facade. @defaultValue `node:fs/promises` */
  fs?: FileSystem | undefined
  /** How the source is named in `describe()` and hooks. @defaultValue `'token-file'` */
  source?: string | undefined
  /**
   * The cross-process lock (`<file>.lock`) held around a refresh and every write, so that of many
   * processes sharing the file exactly one refreshes (docs/shared-state.md). `false` turns it off.
   */
  lock?: FileTokenStoreLockOptions | false | undefined
}

interface Snapshot {
  stamp: string
  text: string
  raw: TokenFileObject
  token: StoredToken
}

/**
 * The Kiro IDE token file as a {@link TokenStore}. Reads are cached by the file's (mtime, size,
 * inode) so re-checking it costs one `stat`; writes merge into the current file (unknown fields
 * kept) and replace it atomically with mode 0600.
 */
export class FileTokenStore implements TokenStore {
  readonly #fs: FileSystem
  readonly #given: string
  readonly #source: string
  #path: string | undefined
  #cache: Snapshot | undefined
  /** Writes from this process go one at a time, so compare-and-swap holds within it. */
  #queue: Promise<unknown> = Promise.resolve()
  readonly #locks: TokenFileLocks

  constructor(options: FileTokenStoreOptions = {}) {
    this.#fs = options.fs ?? nodeFileSystem
    this.#given = options.path ?? DEFAULT_TOKEN_FILE
    this.#source = options.source ?? 'token-file'
    this.#locks = new TokenFileLocks(options.lock)
  }

  describe(): TokenStoreDescription {
    return { source: this.#source, path: this.#path ?? this.#given }
  }

  async load(): Promise<StoredToken | undefined> {
    const snapshot = await this.#read(true)
    return snapshot === undefined ? undefined : { ...snapshot.token }
  }

  save(token: StoredToken): Promise<void> {
    return this.#serial(async () => {
      const current = await this.#read(false)
      await this.#write(current, token)
    })
  }

  compareAndSwap(expected: StoredToken, next: StoredToken): Promise<CompareAndSwapResult> {
    return this.#serial(async (): Promise<CompareAndSwapResult> => {
      // Always the file as it is now: the IDE, which takes no lock, may have refreshed it since
      // we last looked. Other processes are kept out by the lock.
      const current = await this.#read(false)
      if (current === undefined || !sameLogin(current.token, expected)) {
        return { swapped: false, current: current === undefined ? undefined : { ...current.token } }
      }
      await this.#write(current, next)
      return { swapped: true }
    })
  }

  /**
   * Takes the cross-process lock on the file (docs/shared-state.md). With locking off, or in a
   * directory that cannot hold a lock file (read-only), the lock is a no-op: nothing can coordinate.
   */
  async lock(options: { signal?: AbortSignal | undefined } = {}): Promise<TokenStoreLock> {
    return this.#locks.lock(await this.#resolvePath(), options.signal)
  }

  async #resolvePath(): Promise<string> {
    if (this.#path === undefined) {
      const node = await nodeModules()
      this.#path = node.path.resolve(expandHome(this.#given, node))
    }
    return this.#path
  }

  async #read(useCache: boolean): Promise<Snapshot | undefined> {
    const file = await this.#resolvePath()
    const stat = await statLogin(this.#fs, file)
    if (stat === undefined) {
      this.#cache = undefined
      return undefined
    }
    const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`
    if (useCache && this.#cache?.stamp === stamp) return this.#cache
    let text: string
    try {
      text = await this.#fs.readFile(file)
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined
      throw new CredentialsError('invalid_file', `${file}: cannot be read (${errorCode(error)}).`)
    }
    const { raw, parsed } = parseTokenFileText(text, file)
    const token = parsed.token
    if (
      parsed.clientIdHash !== undefined &&
      (token.clientId === undefined || token.clientSecret === undefined)
    ) {
      // IdC logins keep their client registration beside the token, named by clientIdHash (docs/protocol.md §2.1).
      const { path } = await nodeModules()
      const registration = await this.#fs
        .readFile(path.join(path.dirname(file), `${parsed.clientIdHash}.json`))
        .then(parseRegistrationText, () => undefined)
      if (registration !== undefined) Object.assign(token, registration)
    }
    this.#cache = { stamp, text, raw, token }
    return this.#cache
  }

  async #write(current: Snapshot | undefined, next: StoredToken): Promise<void> {
    const file = await this.#resolvePath()
    const merged = mergeTokenFile(current?.raw ?? {}, next)
    try {
      if (current === undefined) {
        const { path } = await nodeModules()
        await this.#fs.mkdir(path.dirname(file))
      }
      await writeFileAtomic(this.#fs, file, formatLike(merged, current?.text))
    } catch (error) {
      throw new CredentialsError(
        'write_failed',
        `${file}: could not write the refreshed token (${errorCode(error)}).`,
      )
    } finally {
      this.#cache = undefined
    }
  }

  /** One write at a time in this process, each under the cross-process lock. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const locked = async () => this.#locks.run(await this.#resolvePath(), task)
    const run = this.#queue.then(locked, locked)
    this.#queue = run.catch(() => {})
    return run
  }
}

/** What the token file says, plus the name of its client registration file (IdC, docs/protocol.md §2.1). */
interface ParsedTokenFile {
  token: StoredToken
  clientIdHash?: string
}

/** A token file's JSON object; fields this library does not know are kept on write-back. */
type TokenFileObject = Record<string, unknown> & {
  accessToken?: unknown
  refreshToken?: unknown
  expiresAt?: unknown
  authMethod?: unknown
  region?: unknown
  idcRegion?: unknown
  profileArn?: unknown
  scopes?: unknown
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
/** The registration file name comes from the token file: allow a plain name, never a path. */
const SAFE_FILE_NAME = /^[A-Za-z0-9_-]{1,128}$/

/**
 * Parses the JSON text of a Kiro IDE token file (docs/protocol.md §2.2). Errors name the file and
 * the field, never a value: the file is full of secrets, and so is a JSON parser's message about it.
 */
function parseTokenFileText(text: string, file: string): { raw: TokenFileObject; parsed: ParsedTokenFile } {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new CredentialsError('invalid_file', `${file}: not valid JSON (${text.length} bytes).`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CredentialsError('invalid_file', `${file}: expected a JSON object.`)
  }
  const record = raw as TokenFileObject
  return { raw: record, parsed: readTokenRecord(record, file) }
}

function readTokenRecord(record: TokenFileObject, file: string): ParsedTokenFile {
  const invalid = (field: string, reason: string) =>
    new CredentialsError('invalid_file', `${file}: ${field}: ${reason}.`)
  const text = (field: string): string | undefined => {
    const value = record[field]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value !== 'string') throw invalid(field, `expected a string, got ${typeof value}`)
    return value
  }
  const token: StoredToken = {}
  const accessToken = text('accessToken')
  const refreshToken = text('refreshToken')
  const apiKey = text('kiroApiKey')
  if (accessToken !== undefined) token.accessToken = accessToken
  if (refreshToken !== undefined) token.refreshToken = refreshToken
  if (apiKey !== undefined) {
    if (!apiKey.startsWith('ksk_'))
      throw invalid('kiroApiKey', 'expected a Kiro API key starting with "ksk_"')
    token.apiKey = apiKey
  }
  if (accessToken === undefined && refreshToken === undefined && apiKey === undefined) {
    throw invalid(
      'accessToken',
      'missing, and there is no refreshToken or kiroApiKey either; sign in to Kiro again',
    )
  }
  if (record.expiresAt !== undefined && record.expiresAt !== null) {
    const expiresAt = parseExpiry(record.expiresAt)
    if (expiresAt === undefined)
      throw invalid('expiresAt', 'expected an ISO 8601 date or milliseconds since the epoch')
    token.expiresAt = expiresAt
  }
  const authMethod = normalizeAuthMethod(record.authMethod)
  if (authMethod !== undefined) token.authMethod = authMethod
  for (const field of ['region', 'idcRegion'] as const) {
    const value = text(field)
    if (value === undefined) continue
    if (!REGION.test(value)) throw invalid(field, 'expected an AWS region name like "us-east-1"')
    token[field] = value
  }
  const profileArn = text('profileArn')
  const clientId = text('clientId')
  const clientSecret = text('clientSecret')
  if (profileArn !== undefined) token.profileArn = profileArn
  if (clientId !== undefined) token.clientId = clientId
  if (clientSecret !== undefined) token.clientSecret = clientSecret
  const tokenEndpoint = text('tokenEndpoint')
  if (tokenEndpoint !== undefined)
    token.tokenEndpoint = checkTokenEndpoint(tokenEndpoint, `${file}: tokenEndpoint`)
  const scopes = record.scopes
  if (typeof scopes === 'string' && scopes.trim() !== '') token.scopes = scopes.trim()
  else if (Array.isArray(scopes) && scopes.every((scope) => typeof scope === 'string')) {
    if (scopes.length > 0) token.scopes = scopes.join(' ')
  } else if (scopes !== undefined && scopes !== null && scopes !== '') {
    throw invalid('scopes', 'expected a space-separated string or a list of strings')
  }
  const clientIdHash = text('clientIdHash')
  if (clientIdHash !== undefined && !SAFE_FILE_NAME.test(clientIdHash)) {
    throw invalid('clientIdHash', 'expected a plain file name (letters, digits, "-" or "_")')
  }
  return clientIdHash === undefined ? { token } : { token, clientIdHash }
}

/** Reads `{clientId, clientSecret}` from a client registration file; undefined if it has neither. */
function parseRegistrationText(text: string): { clientId: string; clientSecret: string } | undefined {
  try {
    const { clientId, clientSecret } = JSON.parse(text) as { clientId?: unknown; clientSecret?: unknown }
    if (
      typeof clientId === 'string' &&
      clientId !== '' &&
      typeof clientSecret === 'string' &&
      clientSecret !== ''
    ) {
      return { clientId, clientSecret }
    }
  } catch {
    // Unreadable: the refresh will say the registration is missing.
  }
  return undefined
}

/**
 * The token file after a refresh: the original object with the token fields updated and every
 * other field kept as it was (unknown fields preserved). `expiresAt` keeps its original
 * form (ISO string, or a number). The client registration stays in its own file.
 */
function mergeTokenFile(raw: TokenFileObject, next: StoredToken): TokenFileObject {
  const merged: TokenFileObject = { ...raw }
  if (next.accessToken !== undefined) merged.accessToken = next.accessToken
  if (next.refreshToken !== undefined) merged.refreshToken = next.refreshToken
  if (next.expiresAt !== undefined) {
    merged.expiresAt =
      typeof raw.expiresAt === 'number' ? next.expiresAt : new Date(next.expiresAt).toISOString()
  }
  if (next.profileArn !== undefined) merged.profileArn = next.profileArn
  // Fields a brand-new file needs; an existing file's own values win.
  if (merged.authMethod === undefined && next.authMethod !== undefined && next.authMethod !== 'api_key') {
    merged.authMethod = tokenFileAuthMethod(next.authMethod)
  }
  if (merged.region === undefined && next.region !== undefined) merged.region = next.region
  if (merged.idcRegion === undefined && next.idcRegion !== undefined) merged.idcRegion = next.idcRegion
  return merged
}

/** A login's auth method as the Kiro IDE writes it in a token file (`IdC`, `social`, `external_idp`). */
export function tokenFileAuthMethod(method: 'idc' | 'social' | 'external_idp'): string {
  return method === 'idc' ? 'IdC' : method
}

/** Serializes like the original: same indentation, same trailing newline. */
function formatLike(value: Record<string, unknown>, original: string | undefined): string {
  const indent = original === undefined ? '  ' : (/^\{\r?\n([ \t]+)"/.exec(original)?.[1] ?? '')
  const newline = original === undefined || original.endsWith('\n') ? '\n' : ''
  return JSON.stringify(value, null, indent) + newline
}
