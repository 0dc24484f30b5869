import { ConfigurationError } from '../errors/configuration-error.js'

/** AWS region names: `us-east-1`, `eu-central-1`, `us-gov-west-1`. Nothing else can reach the host name. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1'])

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/** Throws a clear error naming `field` unless `region` is an AWS region name. */
export function validateRegion(region: string, field = 'region'): string {
  if (!REGION_PATTERN.test(region)) {
    throw new ConfigurationError(
      field,
      `${JSON.stringify(region)} is not an AWS region name (expected e.g. "us-east-1").`,
    )
  }
  return region
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
