import { ConfigurationError } from '../errors/configuration-error.js'
import { CredentialsError } from '../errors/credentials-error.js'

// RFC 9110 §5.6.2 token characters: fetch refuses any other header name.
const NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// fetch refuses NUL, CR and LF in a value, and any character beyond one byte (a ByteString).
const BAD_VALUE = /[\0\r\n\u0100-\uffff]/

/**
 * Checks request headers before fetch sees them. fetch rejects a bad header with a TypeError that
 * quotes the value (for `authorization`, the token) and that reads like a network failure, so it
 * would be retried as one. Here it is a typed error that names the header and never its value.
 * `field` names the option the headers came from.
 */
export function checkHeaders(headers: Record<string, string>, field = 'headers'): void {
  for (const name in headers) {
    if (NAME.test(name) && !BAD_VALUE.test(String(headers[name]))) continue
    if (name.toLowerCase() === 'authorization') {
      throw new CredentialsError(
        'invalid_credentials',
        'The access token cannot be sent: it holds a line break or a character HTTP headers cannot carry. ' +
          'Check where the token came from, or sign in to Kiro again.',
      )
    }
    throw new ConfigurationError(
      `${field}[${JSON.stringify(name.slice(0, 64))}]`,
      "not a valid HTTP header: names are letters, digits and !#$%&'*+.^_`|~-, and values may not hold " +
        'line breaks, NUL or characters beyond U+00FF.',
    )
  }
}
