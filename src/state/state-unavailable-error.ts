import { KiroError } from '../errors/kiro-error.js'

/**
 * A shared state's store (Redis) did not answer within the wait: the operation that needed it
 * (taking a lock) could not run. Calls that can fall back to local state never throw this.
 */
export class StateUnavailableError extends KiroError {
  override name = 'StateUnavailableError'
}
