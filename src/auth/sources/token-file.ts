import { FileTokenStore } from '../file-token-store.js'
import type { FileSystem } from '../files.js'
import type { RefreshOptions } from '../refresh/options.js'
import { RefreshingCredentials } from '../refresh/refreshing-credentials.js'
import type { FileTokenStoreLockOptions } from '../token-store-locks.js'

export interface TokenFileCredentialsOptions extends RefreshOptions {
  /** @defaultValue `~/.aws/sso/cache/kiro-auth-token.json` */
  path?: string | undefined
  /** File operations, for tests. @defaultValue `node:fs/promises` */
  fs?: FileSystem | undefined
  /** The cross-process lock around refreshes (docs/shared-state.md); `false` turns it off. */
  lock?: FileTokenStoreLockOptions | false | undefined
}

/**
 * The Kiro IDE login: reads `kiro-auth-token.json` (and, for IdC, the client registration named
 * by its `clientIdHash`), refreshes it, and writes refreshed tokens back to the same file.
 *
 * @example
 * ```ts
 * const client = new KiroClient({ credentials: new TokenFileCredentials({ path: '/secrets/kiro.json' }) })
 * ```
 */
export class TokenFileCredentials extends RefreshingCredentials {
  constructor(options: TokenFileCredentialsOptions = {}) {
    super({
      ...options,
      store: new FileTokenStore({ path: options.path, fs: options.fs, lock: options.lock }),
    })
  }
}
