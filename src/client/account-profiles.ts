import type { PoolAccount } from '../accounts/pool-account.js'
import type { KiroToken } from '../auth/types.js'
import type { KiroEndpoint } from './endpoint.js'
import { needsProfileLookup, ProfileResolver } from './profile-resolver.js'
import type { ClientSettings } from './request-context.js'

const resolvers = new WeakMap<PoolAccount, ProfileResolver>()

/** The default host of a region: the lookup then goes to the regions that serve it. */
const DEFAULT_HOST = /^https:\/\/q\.[a-z0-9-]+\.amazonaws\.com$/

/**
 * Where a pool account's requests with `token` go, with the profile ARN looked up for it when the
 * account has none (docs/protocol.md §14): IdC and external identity provider logins, as for a
 * single login. Every other login gets `account.endpoint(token)` unchanged, without a lookup.
 */
export async function accountEndpoint(
  account: PoolAccount,
  token: KiroToken,
  settings: Pick<ClientSettings, 'machineId' | 'headers' | 'timeouts'>,
  signal: AbortSignal | undefined,
): Promise<KiroEndpoint> {
  const endpoint = account.endpoint(token)
  if (endpoint.profileArn !== undefined || !needsProfileLookup(token)) return endpoint
  let resolver = resolvers.get(account)
  if (resolver === undefined) {
    resolver = new ProfileResolver({
      baseURL: DEFAULT_HOST.test(endpoint.baseURL) ? undefined : endpoint.baseURL,
      fetch: account.fetch,
      machineId: settings.machineId,
      headers: settings.headers,
      timeouts: settings.timeouts,
    })
    resolvers.set(account, resolver)
  }
  const profileArn = await resolver.profileArnFor(token, signal)
  return profileArn === undefined ? endpoint : { ...endpoint, profileArn }
}

/** `account.endpoint(token)` with the profile ARN already looked up for it, without a lookup. */
export function knownAccountEndpoint(account: PoolAccount, token: KiroToken): KiroEndpoint {
  const endpoint = account.endpoint(token)
  const known = endpoint.profileArn === undefined ? resolvers.get(account)?.known(token) : undefined
  return known === undefined ? endpoint : { ...endpoint, profileArn: known }
}
