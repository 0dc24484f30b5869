import type { CredentialsInput } from '../auth/resolve-credentials.js'
import { resolveBaseURL } from '../client/endpoint.js'
import { region as checkRegion } from '../client/option-checks.js'
import { ConfigurationError } from '../errors/configuration-error.js'

/** One Kiro login of a pool (docs/accounts.md). */
export interface AccountOptions {
  /** The account's name in statuses, hooks, errors and the admin routes: 1-64 of `A-Z a-z 0-9 . _ -`. */
  id: string
  /** The login: anything `KiroClient`'s `credentials` accepts (a token file, static credentials, a provider). */
  credentials: CredentialsInput
  /** API region. @defaultValue the client's `region`, else the profile ARN's, else `us-east-1` */
  region?: string | undefined
  /** Sent as `profileArn`. @defaultValue the client's `profileArn`, else the login's */
  profileArn?: string | undefined
  /** @defaultValue the client's `baseURL`, else `https://q.{region}.amazonaws.com` */
  baseURL?: string | undefined
  /**
   * The outbound proxy this account's Kiro traffic (and its token refreshes) goes through. An
   * `http://` or `https://` proxy is used as it is (docs/observability.md, "Outbound proxy"); for
   * `socks5://`, give `fetch` too: a fetch that uses the proxy.
   */
  proxy?: string | undefined
  /** This account's fetch (its proxy, its TLS settings). @defaultValue the client's `fetch` */
  fetch?: typeof globalThis.fetch | undefined
  /** Most requests in flight on this account at once; more wait in the pool's queue. @defaultValue unlimited */
  maxConcurrency?: number | undefined
  /** The models this account serves (Anthropic or Kiro names); others skip it. @defaultValue learnt from `models.list()` */
  models?: readonly string[] | undefined
  /** Start disabled, as if an operator had disabled it. @defaultValue false */
  disabled?: boolean | undefined
}

/** How the pool picks among ready accounts (docs/accounts.md "Selection"). */
export type AccountSelection = 'sticky' | 'least-loaded' | 'round-robin'

export const ACCOUNT_SELECTIONS: readonly AccountSelection[] = ['sticky', 'least-loaded', 'round-robin']

const ID = /^[A-Za-z0-9._-]{1,64}$/
const PROXY_PROTOCOLS = new Set(['http:', 'https:', 'socks5:', 'socks5h:'])
const KNOWN_FIELDS = new Set([
  'id',
  'credentials',
  'region',
  'profileArn',
  'baseURL',
  'proxy',
  'fetch',
  'maxConcurrency',
  'models',
  'disabled',
])

/**
 * Checks a list of accounts and returns it, or throws a `ConfigurationError` naming the field
 * (`accounts[1].maxConcurrency`) and the reason. The credentials themselves are checked when the
 * pool resolves them, with the same field names.
 */
export function checkAccountOptions(value: unknown, field = 'accounts'): AccountOptions[] {
  if (!Array.isArray(value)) throw new ConfigurationError(field, 'expected an array of accounts.')
  if (value.length === 0) throw new ConfigurationError(field, 'expected at least one account.')
  const seen = new Set<string>()
  return value.map((entry: unknown, index) => {
    const at = `${field}[${index}]`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigurationError(at, 'expected an object with at least id and credentials.')
    }
    const account = entry as Record<string, unknown>
    for (const key of Object.keys(account)) {
      if (!KNOWN_FIELDS.has(key)) throw new ConfigurationError(`${at}.${key}`, 'unknown field.')
    }
    const { id, credentials } = account
    if (typeof id !== 'string' || !ID.test(id)) {
      throw new ConfigurationError(
        `${at}.id`,
        'expected 1 to 64 letters, digits, ".", "_" or "-" (it appears in URLs and logs).',
      )
    }
    if (seen.has(id)) throw new ConfigurationError(`${at}.id`, `${JSON.stringify(id)} is used twice.`)
    seen.add(id)
    if (typeof credentials !== 'object' || credentials === null) {
      throw new ConfigurationError(`${at}.credentials`, 'required: a token file, credentials or a provider.')
    }
    checkOptionalFields(account, at)
    return account as unknown as AccountOptions
  })
}

function checkOptionalFields(account: Record<string, unknown>, at: string): void {
  const { region, profileArn, baseURL, proxy, fetch, maxConcurrency, models, disabled } = account
  if (region !== undefined) {
    checkRegion(region, `${at}.region`)
  }
  if (profileArn !== undefined && (typeof profileArn !== 'string' || !profileArn.startsWith('arn:'))) {
    throw new ConfigurationError(`${at}.profileArn`, 'expected an ARN ("arn:aws:codewhisperer:...").')
  }
  if (baseURL !== undefined) {
    if (typeof baseURL !== 'string') throw new ConfigurationError(`${at}.baseURL`, 'expected a URL.')
    try {
      resolveBaseURL(baseURL, 'us-east-1')
    } catch (error) {
      throw new ConfigurationError(
        `${at}.baseURL`,
        (error as ConfigurationError).message.replace(/^baseURL: /, ''),
      )
    }
  }
  if (proxy !== undefined) checkProxy(proxy, fetch, at)
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new ConfigurationError(`${at}.fetch`, 'expected a function.')
  }
  if (
    maxConcurrency !== undefined &&
    !(typeof maxConcurrency === 'number' && Number.isInteger(maxConcurrency) && maxConcurrency >= 1)
  ) {
    throw new ConfigurationError(
      `${at}.maxConcurrency`,
      `expected a whole number >= 1, got ${String(maxConcurrency)}.`,
    )
  }
  if (
    models !== undefined &&
    !(Array.isArray(models) && models.every((model) => typeof model === 'string' && model !== ''))
  ) {
    throw new ConfigurationError(`${at}.models`, 'expected an array of model names.')
  }
  if (disabled !== undefined && typeof disabled !== 'boolean') {
    throw new ConfigurationError(`${at}.disabled`, 'expected true or false.')
  }
}

function checkProxy(proxy: unknown, fetch: unknown, at: string): void {
  let url: URL
  try {
    url = new URL(String(proxy))
  } catch {
    throw new ConfigurationError(`${at}.proxy`, 'expected a URL such as "http://proxy.local:3128".')
  }
  if (typeof proxy !== 'string' || !PROXY_PROTOCOLS.has(url.protocol)) {
    throw new ConfigurationError(`${at}.proxy`, 'expected an http://, https:// or socks5:// URL.')
  }
  if (url.username !== '' || url.password !== '') {
    // A password in an option ends up in status pages and error text: give a fetch that authenticates.
    throw new ConfigurationError(
      `${at}.proxy`,
      `must not carry a user name or password; for an authenticating proxy give ${at}.fetch.`,
    )
  }
  if (fetch === undefined && url.protocol !== 'http:' && url.protocol !== 'https:') {
    // Sending directly when a proxy was asked for would leak the account's traffic: refuse instead.
    throw new ConfigurationError(
      `${at}.proxy`,
      `a SOCKS proxy needs ${at}.fetch, a fetch that uses it (http:// and https:// proxies need none).`,
    )
  }
}
