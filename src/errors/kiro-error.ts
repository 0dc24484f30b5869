import { redactSecrets } from '../util/redact.js'

const BRAND = Symbol.for('kiro-client.KiroError')

/**
 * Base class of every error this library throws. Its message is scrubbed of secrets
 * (docs/security.md, "Secrets") whoever builds it.
 *
 * `instanceof` fails across two installed copies of the package, so use
 * {@link KiroError.isInstance} where that can happen.
 */
export class KiroError extends Error {
  override name = 'KiroError'
  /**
   * The pool account the failure happened on (docs/accounts.md), set by the pool on errors that
   * leave a pooled request; absent for a single login and for errors of the pool itself.
   */
  declare readonly account?: string | undefined

  constructor(message: string, options?: { cause?: unknown }) {
    super(redactSecrets(message), options)
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** True for any KiroError, including one thrown by another copy of the library. */
  static isInstance(value: unknown): value is KiroError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true
  }
}

/** Notes on `error` the pool account it happened on, unless it already names one. Returns `error`. */
export function tagAccount<T>(error: T, account: string): T {
  if (KiroError.isInstance(error) && error.account === undefined) {
    Object.defineProperty(error, 'account', { value: account, enumerable: true })
  }
  return error
}
