import { FileTokenStore } from '../auth/file-token-store.js'
import { KiroCliSqliteStore } from '../auth/kiro-cli-store.js'
import type { RefreshOptions } from '../auth/refresh/options.js'
import { RefreshingCredentials } from '../auth/refresh/refreshing-credentials.js'
import type { CredentialsInput } from '../auth/resolve-credentials.js'
import { ApiKeyCredentials } from '../auth/sources/api-key.js'
import { type StaticCredentialsInput, toStoredToken, unknownStaticField } from '../auth/sources/static.js'
import { MemoryTokenStore, type TokenStore } from '../auth/token-store.js'
import type { CredentialsProvider } from '../auth/types.js'
import { CredentialsError } from '../errors/credentials-error.js'
import type { State } from '../state/types.js'

/**
 * The credentials of one pool account. Logins kept in a store (a token file, the kiro-cli
 * database, static credentials) go through `state.tokenStore`, so a shared state shares the
 * login and its refreshes; each account has its own provider, hence its own single-flight refresh.
 * A provider passed in is used as it is; an API key never refreshes. Errors name `field`.
 */
export function accountCredentials(
  input: CredentialsInput,
  context: { id: string; field: string; state: State; refresh: RefreshOptions },
): CredentialsProvider {
  const { id, field, state, refresh } = context
  const invalid = (reason: string) => new CredentialsError('invalid_credentials', `${field}${reason}`)
  if (typeof input !== 'object' || input === null) throw invalid(': expected an object.')
  if ('getToken' in input && typeof input.getToken === 'function') return input
  if ('apiKey' in input) {
    try {
      return new ApiKeyCredentials(input.apiKey)
    } catch (error) {
      throw invalid(`.${(error as Error).message}`)
    }
  }
  let seed: TokenStore
  if ('tokenFile' in input) {
    if (typeof input.tokenFile !== 'string' || input.tokenFile === '')
      throw invalid('.tokenFile: expected a file path.')
    seed = new FileTokenStore({ path: input.tokenFile })
  } else if ('kiroCliDb' in input) {
    if (typeof input.kiroCliDb !== 'string' || input.kiroCliDb === '')
      throw invalid('.kiroCliDb: expected a file path.')
    seed = new KiroCliSqliteStore({ path: input.kiroCliDb })
  } else {
    const unknown = unknownStaticField(input)
    if (unknown !== undefined) throw invalid(`.${unknown}`)
    const stored = toStoredToken(input as StaticCredentialsInput, (name) => `${field}.${name}`)
    seed = new MemoryTokenStore(stored, { source: 'static' })
  }
  return new RefreshingCredentials({ ...refresh, store: state.tokenStore(id, seed) })
}
