import { DEFAULT_TOKEN_FILE, FileTokenStore, tokenFileAuthMethod } from '../../auth/file-token-store.js'
import { expandHome, nodeFileSystem, nodeModules, statLogin, writeFileAtomic } from '../../auth/files.js'
import { kiroCliDatabasePaths, nodeSqliteSupported } from '../../auth/kiro-cli-database.js'
import { KiroCliSqliteStore } from '../../auth/kiro-cli-store.js'
import type { TokenStore } from '../../auth/token-store.js'
import type { StoredToken } from '../../auth/types.js'
import { CredentialsError } from '../../errors/credentials-error.js'

/** A login read from where it lives now. */
export interface FoundLogin {
  stored: StoredToken
  /** The file or database it came from. */
  from: string
}

const SQLITE = /\.(sqlite3?|db)$/i

/**
 * The login to import: the token file or kiro-cli database at `source`, else the one the Kiro IDE
 * holds now, else kiro-cli's (docs/accounts.md "Adding a login"). IdC logins come with their client
 * registration, so the copy can refresh on its own.
 */
export async function findLogin(
  source: string | undefined,
  env: Record<string, string | undefined>,
): Promise<FoundLogin> {
  const node = await nodeModules()
  const candidates: Array<{ path: string; store: TokenStore }> = []
  const storeFor = (path: string): TokenStore =>
    SQLITE.test(path) ? new KiroCliSqliteStore({ path }) : new FileTokenStore({ path })
  if (source !== undefined) {
    const path = node.path.resolve(expandHome(source, node))
    candidates.push({ path, store: storeFor(path) })
  } else {
    const ide = node.path.resolve(expandHome(DEFAULT_TOKEN_FILE, node))
    candidates.push({ path: ide, store: new FileTokenStore({ path: ide }) })
    if (nodeSqliteSupported()) {
      for (const path of kiroCliDatabasePaths(node, env)) candidates.push({ path, store: storeFor(path) })
    }
  }
  for (const { path, store } of candidates) {
    if ((await statLogin(nodeFileSystem, path)) === undefined) continue
    const stored = await store.load()
    if (stored !== undefined) return { stored, from: path }
  }
  throw new CredentialsError(
    'not_found',
    `No Kiro login found at ${candidates.map((entry) => entry.path).join(' or ')}. Sign in with the Kiro IDE or kiro-cli, or give a token file.`,
  )
}

/** A token file holding `stored`, registration included, in the Kiro IDE's field names. */
function tokenFileText(stored: StoredToken): string {
  const file: Record<string, unknown> = {}
  const set = (name: string, value: unknown) => {
    if (value !== undefined) file[name] = value
  }
  set('accessToken', stored.accessToken)
  set('refreshToken', stored.refreshToken)
  set('expiresAt', stored.expiresAt === undefined ? undefined : new Date(stored.expiresAt).toISOString())
  set(
    'authMethod',
    stored.authMethod === undefined || stored.authMethod === 'api_key'
      ? undefined
      : tokenFileAuthMethod(stored.authMethod),
  )
  const fields = [
    'region',
    'idcRegion',
    'profileArn',
    'clientId',
    'clientSecret',
    'tokenEndpoint',
    'scopes',
  ] as const
  for (const field of fields) {
    set(field, stored[field])
  }
  set('kiroApiKey', stored.apiKey)
  return `${JSON.stringify(file, null, 2)}\n`
}

/** Writes a login to `target` (owner read/write only), creating its folder (owner only) if needed. */
export async function writeLogin(target: string, stored: StoredToken): Promise<void> {
  const { path } = await nodeModules()
  await nodeFileSystem.mkdir(path.dirname(target))
  await writeFileAtomic(nodeFileSystem, target, tokenFileText(stored), 0o600)
}
