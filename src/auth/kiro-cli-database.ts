import { CredentialsError } from '../errors/credentials-error.js'
import { type NodeModules, nodeFileSystem, statLogin } from './files.js'
import type { Env } from './sources/static.js'

/** The two kiro-cli tables this library touches, as a key/value view. */
export interface KiroCliDatabase {
  get(table: 'auth_kv' | 'state', key: string): string | undefined
  set(table: 'auth_kv', key: string, value: string): void
  /** Runs `fn` inside one write transaction, so a read-compare-write cannot interleave with kiro-cli. */
  transaction<T>(fn: () => T): T
  close(): void
}

export type OpenKiroCliDatabase = (path: string) => Promise<KiroCliDatabase>

/** True where `node:sqlite` exists (Node >= 22.5); no native dependency is ever loaded. */
export function nodeSqliteSupported(version = globalThis.process?.versions?.node): boolean {
  const [major = 0, minor = 0] = (version ?? '0.0').split('.').map(Number)
  return major > 22 || (major === 22 && minor >= 5)
}

export function sqliteUnsupportedMessage(): string {
  const version = globalThis.process?.versions?.node
  return (
    `The kiro-cli SQLite store needs node:sqlite (Node >= 22.5; on 22.5-22.12 run node with --experimental-sqlite)` +
    `${version === undefined ? '' : `, and this is Node ${version}`}. ` +
    'Use the Kiro IDE token file, the KIRO_* environment variables or static credentials instead.'
  )
}

interface SqliteStatement {
  get(...params: unknown[]): { value?: unknown } | undefined
  run(...params: unknown[]): unknown
}
interface SqliteDatabase {
  exec(sql: string): void
  prepare(sql: string): SqliteStatement
  close(): void
}
interface SqliteModule {
  DatabaseSync: new (path: string) => SqliteDatabase
}

/** Opens the kiro-cli database through `node:sqlite`, or fails with `unsupported`. */
export const openNodeSqlite: OpenKiroCliDatabase = async (path) => {
  // SQLite creates a missing database file on open: a wrong path must not leave an empty one.
  if ((await statLogin(nodeFileSystem, path)) === undefined) {
    throw new CredentialsError('not_found', `${path}: no kiro-cli database there (the file does not exist).`)
  }
  let sqlite: SqliteModule
  try {
    // A computed specifier: @types/node 20 has no node:sqlite, and bundlers must leave it alone.
    const specifier = 'node:sqlite'
    sqlite = (await import(/* @vite-ignore */ specifier)) as SqliteModule
  } catch {
    throw new CredentialsError('unsupported', sqliteUnsupportedMessage())
  }
  let db: SqliteDatabase
  try {
    db = new sqlite.DatabaseSync(path)
    // kiro-cli may hold the write lock for a moment; wait for it rather than fail.
    db.exec('PRAGMA busy_timeout = 3000')
  } catch (error) {
    throw sqliteFailure(path, 'cannot open the kiro-cli database', error)
  }
  const decoder = new TextDecoder()
  return {
    get(table, key) {
      const row = db.prepare(`SELECT value FROM ${table} WHERE key = ?`).get(key)
      const value = row?.value
      if (typeof value === 'string') return value
      return value instanceof Uint8Array ? decoder.decode(value) : undefined
    },
    set(table, key, value) {
      db.prepare(`UPDATE ${table} SET value = ? WHERE key = ?`).run(value, key)
    },
    transaction(fn) {
      db.exec('BEGIN IMMEDIATE')
      try {
        const result = fn()
        db.exec('COMMIT')
        return result
      } catch (error) {
        db.exec('ROLLBACK')
        throw error
      }
    },
    close() {
      db.close()
    },
  }
}

/** SQLite's result codes for "another connection holds the lock" (SQLITE_BUSY, SQLITE_LOCKED). */
const LOCKED_CODES = new Set([5, 6])

/**
 * A failure of `node:sqlite` as a `CredentialsError`: `locked` (try again) when another program
 * holds the database, else `invalid_file` with SQLite's own message (it names tables and columns,
 * never a row's data; the error scrubber runs over it anyway).
 */
export function sqliteFailure(path: string, what: string, error: unknown): CredentialsError {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    errcode?: unknown
    errstr?: unknown
    message?: unknown
  }
  const message = typeof fields.message === 'string' ? fields.message : String(error)
  const code = typeof fields.errcode === 'number' ? fields.errcode & 0xff : undefined
  if ((code !== undefined && LOCKED_CODES.has(code)) || /database (table )?is (locked|busy)/i.test(message)) {
    return new CredentialsError(
      'locked',
      `${path}: the kiro-cli database is locked by another program (kiro-cli writing to it); try again in a moment.`,
    )
  }
  const said = message.length > 200 ? `${message.slice(0, 200)}…` : message
  return new CredentialsError('invalid_file', `${path}: ${what}: ${said}.`)
}

/** Where kiro-cli (and its predecessor, the Amazon Q CLI) keep their database, most likely first. */
export function kiroCliDatabasePaths({ os, path }: NodeModules, env: Env): string[] {
  const home = os.homedir()
  const { APPDATA, XDG_DATA_HOME } = env
  const platform = globalThis.process?.platform
  const base =
    platform === 'win32'
      ? (APPDATA ?? path.join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support')
        : (XDG_DATA_HOME ?? path.join(home, '.local', 'share'))
  return ['kiro-cli', 'amazon-q'].map((app) => path.join(base, app, 'data.sqlite3'))
}
