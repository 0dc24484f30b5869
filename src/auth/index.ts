export { FileTokenStore, type FileTokenStoreOptions } from './file-token-store.js'
export { KiroCliSqliteStore, type KiroCliSqliteStoreOptions } from './kiro-cli-store.js'
export type { RefreshEndpoints } from './refresh/endpoints.js'
export type { RefreshingCredentialsOptions, RefreshOptions } from './refresh/options.js'
export { RefreshingCredentials } from './refresh/refreshing-credentials.js'
export {
  type CredentialsInput,
  type ResolveCredentialsOptions,
  resolveCredentials,
} from './resolve-credentials.js'
export { ApiKeyCredentials } from './sources/api-key.js'
export { KiroCliSqliteCredentials, type KiroCliSqliteCredentialsOptions } from './sources/kiro-cli.js'
export {
  StaticCredentials,
  type StaticCredentialsInput,
  type StaticCredentialsOptions,
} from './sources/static.js'
export { TokenFileCredentials, type TokenFileCredentialsOptions } from './sources/token-file.js'
export {
  type CompareAndSwapResult,
  MemoryTokenStore,
  type TokenStore,
  type TokenStoreDescription,
  type TokenStoreLock,
} from './token-store.js'
export type { FileTokenStoreLockOptions } from './token-store-locks.js'
export type {
  AuthMethod,
  CredentialsDescription,
  CredentialsProvider,
  CredentialsSource,
  GetTokenOptions,
  KiroToken,
  RefreshEvent,
  RefreshHook,
  StoredToken,
} from './types.js'
