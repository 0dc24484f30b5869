import { KiroError } from './kiro-error.js'

/** An option given to the library is invalid; `field` names it. Thrown before anything is sent. */
export class ConfigurationError extends KiroError {
  override name = 'ConfigurationError'
  readonly field: string

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`)
    this.field = field
  }
}
