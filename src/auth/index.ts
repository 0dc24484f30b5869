export { ApiKeyCredentials } from './api-key-credentials.js'
export { ENV_VARIABLES } from './env-credentials.js'
export type { FileSystem } from './file-system.js'
export { DEFAULT_TOKEN_FILE, FileTokenStore, type FileTokenStoreOptions } from './file-token-store.js'
export { IDC_REFRESH_ENDPOINT } from './idc.js'
export { KiroCliSqliteCredentials, type KiroCliSqliteCredentialsOptions } from './kiro-cli-credentials.js'
export type { KiroCliDatabase, OpenKiroCliDatabase } from './kiro-cli-database.js'
export { KiroCliSqliteStore, type KiroCliSqliteStoreOptions } from './kiro-cli-store.js'
export type { RefreshEndpoints } from './refresh.js'
export type { RefreshingCredentialsOptions, RefreshOptions } from './refresh-options.js'
export { RefreshingCredentials } from './refreshing-credentials.js'
export {
  type CredentialsInput,
  type ResolveCredentialsOptions,
  resolveCredentials,
} from './resolve-credentials.js'
export { SOCIAL_REFRESH_ENDPOINT } from './social.js'
export {
  StaticCredentials,
  type StaticCredentialsInput,
  type StaticCredentialsOptions,
} from './static-credentials.js'
export { TokenFileCredentials, type TokenFileCredentialsOptions } from './token-file-credentials.js'
export {
  type CompareAndSwapResult,
  MemoryTokenStore,
  sameLogin,
  type TokenStore,
  type TokenStoreDescription,
} from './token-store.js'
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
