import { KiroError } from '../errors/kiro-error.js'

/**
 * A shared state could not do what was asked in time: `lock_timeout` (another holder kept the lock
 * past the wait) or `unavailable` (the store, e.g. Redis, did not answer within the wait).
 */
export class StateError extends KiroError {
  override name = 'StateError'
  readonly code: 'lock_timeout' | 'unavailable'

  constructor(code: 'lock_timeout' | 'unavailable', message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
  }
}
