import type { KiroToken } from '../auth/types.js'
import { ConfigurationError } from '../errors/configuration-error.js'

/** AWS region names: `us-east-1`, `eu-central-1`, `us-gov-west-1`. Nothing else can reach the host name. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/

export const DEFAULT_REGION = 'us-east-1'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

/** Where one login's requests go, and the profile ARN they carry. */
export interface KiroEndpoint {
  /** The API base URL, without a trailing slash. */
  baseURL: string
  /** Sent as `profileArn` (docs/protocol.md §3.3); undefined when neither the client nor the login has one. */
  profileArn: string | undefined
}

/** What the client was configured with; each is optional. */
export interface EndpointOptions {
  region?: string | undefined
  baseURL?: string | undefined
  profileArn?: string | undefined
}

export function isRegionName(value: string): boolean {
  return REGION_PATTERN.test(value)
}

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/** The Kiro API base URL: `https://q.{region}.amazonaws.com` unless given; plain http only for loopback hosts. */
export function resolveBaseURL(baseURL: string | undefined, region: string): string {
  if (baseURL === undefined) return `https://q.${region}.amazonaws.com`
  let url: URL
  try {
    url = new URL(baseURL)
  } catch {
    throw new ConfigurationError('baseURL', `${JSON.stringify(baseURL)} is not a URL.`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new ConfigurationError(
      'baseURL',
      `${url.protocol}//${url.host} is not allowed; use https (plain http only for loopback hosts, where the access token cannot leave the machine).`,
    )
  }
  if (url.search || url.hash) {
    throw new ConfigurationError('baseURL', 'must not carry a query string or fragment.')
  }
  if (url.username || url.password) {
    // fetch refuses such URLs with a TypeError that quotes them, password included.
    throw new ConfigurationError('baseURL', 'must not carry a user name or password.')
  }
  return url.href.replace(/\/+$/, '')
}

/** The region inside a profile ARN (`arn:aws:codewhisperer:{region}:{account}:profile/{id}`), when it has one. */
export function regionOfProfileArn(profileArn: string | undefined): string | undefined {
  const region = profileArn?.split(':')[3]
  return region && REGION_PATTERN.test(region) ? region : undefined
}

/** The profile ARN a login carries: only social and IdC logins have one, API keys never. */
function loginProfileArn(token: KiroToken): string | undefined {
  return token.kind === 'bearer' ? token.profileArn : undefined
}

/**
 * The endpoint of a request sent with `token`. What the client was configured with wins; the
 * login's profile ARN fills in the rest: it is sent when none was configured, and its region
 * picks the host when neither a region nor a configured ARN did (docs/protocol.md §1.2, §3.3).
 * `lookedUp` is the profile `ListAvailableProfiles` found for a login that carries none (§9.1).
 */
export function resolveEndpoint(options: EndpointOptions, token: KiroToken, lookedUp?: string): KiroEndpoint {
  const fromLogin = loginProfileArn(token) ?? lookedUp
  const region =
    options.region ??
    regionOfProfileArn(options.profileArn) ??
    regionOfProfileArn(fromLogin) ??
    DEFAULT_REGION
  return { baseURL: resolveBaseURL(options.baseURL, region), profileArn: options.profileArn ?? fromLogin }
}
