import { CredentialsError } from '../../errors/credentials-error.js'

/** Why a login that cannot refresh gives no token: an API key or access token that was rejected, or one that expired. */
export function cannotRefresh(isApiKey: boolean, forced: boolean): CredentialsError {
  if (isApiKey) {
    return new CredentialsError(
      'invalid_credentials',
      'Kiro rejected the API key, and API keys cannot be refreshed. Check the key, or create a new one.',
    )
  }
  if (forced) {
    return new CredentialsError(
      'invalid_credentials',
      'Kiro rejected the access token and there is no refresh token to get a new one. Sign in to Kiro again.',
    )
  }
  return new CredentialsError(
    'expired',
    'The Kiro access token has expired and there is no refresh token to renew it. Sign in to Kiro again.',
  )
}

/** Any failure as a `CredentialsError`; foreign errors keep only their class name, never their message. */
export function asCredentialsError(
  error: unknown,
  code: 'refresh_failed' | 'write_failed' = 'refresh_failed',
): CredentialsError {
  if (error instanceof CredentialsError) return error
  // Unknown errors keep their class name only: their message could hold anything.
  const name = error instanceof Error ? error.name : typeof error
  return new CredentialsError(
    code,
    `${code === 'write_failed' ? 'Writing back the refreshed token' : 'The token refresh'} failed (${name}).`,
  )
}

/** Capped exponential backoff between failed refreshes, so a dead endpoint is not hammered. */
export class Backoff {
  readonly #baseMs: number
  readonly #maxMs: number
  #failures = 0
  #retryAt = 0

  constructor(baseMs: number, maxMs: number) {
    this.#baseMs = baseMs
    this.#maxMs = maxMs
  }

  /** No attempt before this instant (ms since the epoch). */
  get retryAt(): number {
    return this.#retryAt
  }

  fail(now: number): void {
    this.#failures += 1
    this.#retryAt = now + Math.min(this.#baseMs * 2 ** (this.#failures - 1), this.#maxMs)
  }

  reset(): void {
    this.#failures = 0
    this.#retryAt = 0
  }
}
