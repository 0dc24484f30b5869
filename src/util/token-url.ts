import { ConfigurationError } from '../errors/configuration-error.js'

const LOOPBACK_NAMES = new Set(['localhost', '[::1]'])

/** A host name only this machine can reach: `localhost`, `[::1]`, anything in 127.0.0.0/8. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase()
  return LOOPBACK_NAMES.has(name) || /^127(\.\d{1,3}){3}$/.test(name)
}

/**
 * Checks a URL that will receive a token or a refresh token (docs/security.md, "Where tokens
 * go"): https, or plain http only to a loopback host, where the secret cannot leave the machine;
 * no user name or password in it. A `{region}` placeholder is allowed. Throws a
 * `ConfigurationError` naming `field`; the URL is quoted only up to its host.
 */
export function checkTokenURL(value: string, field: string): string {
  let url: URL
  try {
    url = new URL(value.replaceAll('{region}', 'us-east-1'))
  } catch {
    throw new ConfigurationError(field, 'is not a URL.')
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHostname(url.hostname))
  if (!secure) {
    throw new ConfigurationError(
      field,
      `${url.protocol}//${url.host} is not allowed: a token is sent there, so use https (plain http only for loopback hosts).`,
    )
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigurationError(field, 'must not carry a user name or password.')
  }
  return value
}
