import { ConfigurationError } from '../errors/configuration-error.js'
import { errorResponse } from './error-response.js'

/** Refuses a request before routing (a `Response`), or lets it through (undefined). */
export type RequestGuard = (request: Request, requestId: string) => Response | undefined

/**
 * The cross-site defences of the handler (docs/security.md, "Browsers"): the `Host` check against
 * DNS rebinding and the `Origin` check against other web pages. Each is on only when its list is
 * given. Requests refused here never reach Kiro.
 */
export function createRequestGuard(options: {
  allowedHosts?: readonly string[] | undefined
  allowedOrigins?: readonly string[] | undefined
}): RequestGuard | undefined {
  const hosts = options.allowedHosts === undefined ? undefined : hostSet(options.allowedHosts)
  const origins = options.allowedOrigins === undefined ? undefined : originSet(options.allowedOrigins)
  if (hosts === undefined && origins === undefined) return undefined
  return (request, requestId) => {
    if (hosts !== undefined) {
      const host = hostnameOf(request.headers.get('host'))
      if (host === undefined || !hosts.has(host)) {
        return errorResponse(
          421,
          'invalid_request_error',
          `Host ${JSON.stringify(request.headers.get('host') ?? '')} is not a name this server answers to. ` +
            'If it is yours, add it to allowedHosts (kiro-client serve --allowed-host NAME).',
          requestId,
        )
      }
    }
    const origin = request.headers.get('origin')
    if (origins !== undefined && origin !== null && !origins.has(origin.toLowerCase())) {
      return errorResponse(
        403,
        'permission_error',
        `Requests from the web page at ${JSON.stringify(origin)} are not allowed. ` +
          'If that page is yours, add its origin to allowedOrigins (kiro-client serve --allowed-origin ORIGIN).',
        requestId,
      )
    }
    return undefined
  }
}

/** The host name of a `Host` header value, lower case, without its port or a trailing dot. */
function hostnameOf(header: string | null): string | undefined {
  if (header === null) return undefined
  let host = header.trim().toLowerCase()
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    if (end === -1) return undefined
    host = host.slice(0, end + 1)
  } else {
    const colon = host.lastIndexOf(':')
    if (colon !== -1 && host.indexOf(':') === colon) host = host.slice(0, colon)
  }
  if (host.endsWith('.')) host = host.slice(0, -1)
  return host === '' ? undefined : host
}

function hostSet(list: readonly string[]): Set<string> {
  if (!Array.isArray(list)) throw new ConfigurationError('allowedHosts', 'must be an array of host names.')
  return new Set(
    list.map((entry, index) => {
      // A bare IPv6 address (`::1`) is written in brackets in a Host header.
      const bare = typeof entry === 'string' && /^[0-9a-f:]+$/i.test(entry) && entry.includes('::')
      const host = typeof entry === 'string' ? hostnameOf(bare ? `[${entry}]` : entry) : undefined
      if (host === undefined || /[\s/?#@]/.test(host)) {
        throw new ConfigurationError(
          `allowedHosts[${index}]`,
          `expected a host name like "proxy.example.com", got ${JSON.stringify(entry)}.`,
        )
      }
      return host
    }),
  )
}

function originSet(list: readonly string[]): Set<string> {
  if (!Array.isArray(list)) throw new ConfigurationError('allowedOrigins', 'must be an array of origins.')
  return new Set(
    list.map((entry, index) => {
      const origin = originOf(entry)
      if (origin === undefined) {
        throw new ConfigurationError(
          `allowedOrigins[${index}]`,
          `expected an origin like "https://app.example.com" (scheme, host, optional port; no path), got ${JSON.stringify(entry)}.`,
        )
      }
      return origin
    }),
  )
}

/** `https://app.example.com:8443` as a browser sends it in `Origin`, or undefined for anything else. */
function originOf(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return undefined
  let url: URL
  try {
    url = new URL(entry)
  } catch {
    return undefined
  }
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === ''
  const web = url.protocol === 'http:' || url.protocol === 'https:'
  return bare && web ? url.origin : undefined
}
