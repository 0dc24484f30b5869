import type { OpenKiroCliDatabase } from '../kiro-cli-database.js'
import { KiroCliSqliteStore } from '../kiro-cli-store.js'
import type { RefreshOptions } from '../refresh/options.js'
import { RefreshingCredentials } from '../refresh/refreshing-credentials.js'

export interface KiroCliSqliteCredentialsOptions extends RefreshOptions {
  /** The kiro-cli database, e.g. `~/.local/share/kiro-cli/data.sqlite3`. */
  path: string
  /** Opens the database; tests pass a fake. @defaultValue `node:sqlite` */
  openDatabase?: OpenKiroCliDatabase | undefined
}

/**
 * The kiro-cli login, read from and refreshed back into its SQLite database through `node:sqlite`
 * (Node >= 22.5). Elsewhere `getToken()` rejects with a `CredentialsError` coded `unsupported`;
 * no native SQLite module is ever loaded.
 */
export class KiroCliSqliteCredentials extends RefreshingCredentials {
  constructor(options: KiroCliSqliteCredentialsOptions) {
    super({
      ...options,
      store: new KiroCliSqliteStore({ path: options.path, openDatabase: options.openDatabase }),
    })
  }
}
