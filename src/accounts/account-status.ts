import type { CredentialsDescription } from '../auth/types.js'
import type { FailureKind } from '../errors/classify.js'
import type { AccountState } from '../state/types.js'
import type { AccountUsage } from './usage-limits.js'

/** One account as `client.accounts.list()` and `GET /admin/accounts` show it. Holds no secret. */
export interface AccountStatus {
  id: string
  state: AccountState
  /** Ms since the epoch when a parked account is worth trying again; absent: until an operator acts. */
  until?: number
  /** Kiro's reason (`MONTHLY_REQUEST_COUNT`, `TEMPORARILY_SUSPENDED`) or the login failure's code. */
  reason?: string
  message?: string
  /** Ms since the epoch when the account was parked. */
  since?: number
  /** Requests on it now (in every process sharing the state). */
  inFlight: number
  /** Absent when unlimited. */
  maxConcurrency?: number
  /** The last failure seen on it by this process. */
  lastError?: { at: number; kind: FailureKind; status?: number; message: string }
  /** The last usage fetched for it (`client.usage()`, or when a quota parked it). */
  usage?: AccountUsage
  /** Which login it uses (source, path, auth method, expiry): never a token. */
  login: CredentialsDescription
  region?: string
  profileArn?: string
  /** The proxy it goes through, without user name or password. */
  proxy?: string
  /** The Kiro model ids it serves, when known. */
  models?: string[]
}

/** `onAccountStatus`: an account was parked or came back. */
export interface AccountStatusEvent {
  account: string
  state: AccountState
  until?: number
  reason?: string
  message?: string
  /** A request failed on it, an operator acted, or the configuration (re)loaded said so. */
  cause: 'failure' | 'operator' | 'configuration'
}
