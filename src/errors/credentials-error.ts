import { KiroError } from './kiro-error.js'

/** Stable reasons a credentials provider cannot produce a token. */
export type CredentialsErrorCode =
  | 'not_found'
  | 'invalid_file'
  | 'expired'
  | 'refresh_failed'
  | 'refresh_token_invalid'
  | 'refresh_timeout'
  | 'unsupported'
  | 'invalid_credentials'
  | 'write_failed'
  /** The login's store is locked by another program (kiro-cli writing its database): try again. */
  | 'locked'

/**
 * No usable Kiro login: missing, unreadable, expired beyond refresh, or refused by the auth service.
 * Messages never contain token values.
 */
export class CredentialsError extends KiroError {
  override name = 'CredentialsError'
  readonly code: CredentialsErrorCode
  /** HTTP status of the refresh endpoint, when it answered. */
  readonly status: number | undefined

  constructor(
    code: CredentialsErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number | undefined },
  ) {
    super(message, options)
    this.code = code
    this.status = options?.status
  }
}
