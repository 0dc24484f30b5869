import { CredentialsError } from '../errors/credentials-error.js'
import { writeFileAtomic } from './atomic-write.js'
import { errorCode, type FileSystem, nodeFileSystem, statLogin } from './file-system.js'
import { expandHome, nodeModules } from './node-modules.js'
import {
  formatLike,
  mergeTokenFile,
  parseRegistrationText,
  parseTokenFileText,
  type TokenFileObject,
} from './token-file-format.js'
import {
  type CompareAndSwapResult,
  sameLogin,
  type TokenStore,
  type TokenStoreDescription,
} from './token-store.js'
import type { StoredToken } from './types.js'

/** Where the Kiro IDE keeps its login (spec/kiro-wire.md §2.1). */
export const DEFAULT_TOKEN_FILE = '~/.aws/sso/cache/kiro-auth-token.json'

export interface FileTokenStoreOptions {
  /** @defaultValue `~/.aws/sso/cache/kiro-auth-token.json` */
  path?: string | undefined
  /** File operations; tests inject a facade. @defaultValue `node:fs/promises` */
  fs?: FileSystem | undefined
  /** How the source is named in `describe()` and hooks. @defaultValue `'token-file'` */
  source?: string | undefined
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

  constructor(options: FileTokenStoreOptions = {}) {
    this.#fs = options.fs ?? nodeFileSystem
    this.#given = options.path ?? DEFAULT_TOKEN_FILE
    this.#source = options.source ?? 'token-file'
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
      // Always the file as it is now: the IDE may have refreshed it since we last looked.
      const current = await this.#read(false)
      if (current === undefined || !sameLogin(current.token, expected)) {
        return { swapped: false, current: current === undefined ? undefined : { ...current.token } }
      }
      await this.#write(current, next)
      return { swapped: true }
    })
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
      // IdC logins keep their client registration beside the token, named by clientIdHash (spec §2.1).
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

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task)
    this.#queue = run.catch(() => {})
    return run
  }
}
