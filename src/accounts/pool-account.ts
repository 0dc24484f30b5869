import type { RefreshEndpoints } from '../auth/refresh/endpoints.js'
import type { CredentialsDescription, CredentialsProvider, KiroToken, RefreshEvent } from '../auth/types.js'
import {
  type EndpointOptions,
  type KiroEndpoint,
  regionOfProfileArn,
  resolveEndpoint,
} from '../client/endpoint.js'
import {
  type ProfileResolver,
  type ProfileResolverOptions,
  profileResolverFor,
} from '../client/profile-resolver.js'
import type { State } from '../state/types.js'
import { toKiroModelId } from '../translate/models.js'
import { createProxyFetch } from '../transport/proxy-fetch.js'
import { accountCredentials } from './account-credentials.js'
import type { AccountOptions } from './account-options.js'
import type { AccountUsage } from './usage-limits.js'

/** What every account inherits from the client unless it says otherwise. */
export interface AccountDefaults {
  region?: string | undefined
  baseURL?: string | undefined
  profileArn?: string | undefined
  fetch?: typeof globalThis.fetch | undefined
  modelMap?: Readonly<Record<string, string>> | undefined
  refreshEndpoints?: RefreshEndpoints | undefined
  onRefresh?: ((event: RefreshEvent) => void) | undefined
}

/** What a profile lookup needs of the client: the same machine id, headers and timeouts as its requests. */
export type ProfileLookupSettings = Pick<ProfileResolverOptions, 'machineId' | 'headers' | 'timeouts'>

/**
 * One account of a pool at run time: its login (its own provider, so its own single-flight
 * refresh), where its requests go (region, base URL, profile ARN, fetch), its concurrency cap and
 * the models it serves when known. Holds no status: that lives in the `State`.
 */
export class PoolAccount {
  readonly id: string
  readonly options: AccountOptions
  readonly credentials: CredentialsProvider
  /** `Infinity` when unlimited. */
  readonly maxConcurrency: number
  readonly fetch: typeof globalThis.fetch | undefined
  readonly profileArn: string | undefined
  /** The Kiro model ids this account serves; undefined while unknown (then it may serve any). */
  models: ReadonlySet<string> | undefined
  /** The last `GetUsageLimits` answer, normalised. */
  usage: AccountUsage | undefined
  readonly #endpoint: EndpointOptions
  readonly #defaults: AccountDefaults
  readonly #state: State
  /** The profile looked up for an enterprise login without one; shared with {@link withOptions}' copies. */
  readonly #profiles: { resolver?: ProfileResolver }

  /** `login`: an account of the same configuration whose login, model list and usage this one shares. */
  constructor(
    options: AccountOptions,
    index: number,
    defaults: AccountDefaults,
    state: State,
    login?: PoolAccount | undefined,
  ) {
    this.id = options.id
    this.#defaults = defaults
    this.#state = state
    this.options = options
    this.maxConcurrency = options.maxConcurrency ?? Number.POSITIVE_INFINITY
    // An http(s) proxy without a fetch of the account's own: undici's agent for that proxy.
    this.fetch =
      options.fetch ??
      (options.proxy === undefined
        ? defaults.fetch
        : (login?.fetch ?? createProxyFetch(options.proxy, `accounts[${index}].proxy`)))
    this.profileArn = options.profileArn ?? defaults.profileArn
    this.#endpoint = {
      region: options.region ?? defaults.region,
      baseURL: options.baseURL ?? defaults.baseURL,
      profileArn: this.profileArn,
    }
    const onRefresh = defaults.onRefresh
    this.usage = login?.usage
    this.#profiles = login === undefined ? {} : login.#profiles
    this.credentials =
      login?.credentials ??
      accountCredentials(options.credentials, {
        id: options.id,
        field: `accounts[${index}].credentials`,
        state,
        refresh: {
          // The refresh goes out the same way as the account's requests (its proxy, through its fetch).
          ...(this.fetch ? { fetch: this.fetch } : {}),
          ...(defaults.refreshEndpoints ? { refreshEndpoints: defaults.refreshEndpoints } : {}),
          ...(onRefresh
            ? { onRefresh: (event: RefreshEvent) => onRefresh({ ...event, account: options.id }) }
            : {}),
        },
      })
    this.models =
      options.models === undefined
        ? login?.models
        : new Set(options.models.map((model) => toKiroModelId(model, defaults.modelMap)))
  }

  /**
   * Where this account's requests with `token` go: its own region, base URL and profile ARN, else
   * the client's, else the login's (docs/accounts.md "Per-account settings").
   */
  endpoint(token: KiroToken): KiroEndpoint {
    return resolveEndpoint(this.#endpoint, token, this.#profiles.resolver?.known(token))
  }

  /**
   * For an IdC or external identity provider login with no profile ARN (neither configured nor in
   * the login): looks it up with `ListAvailableProfiles` once for this account, through its own
   * base URL and fetch (docs/protocol.md §9.1), so that {@link endpoint} carries it. Undefined,
   * at once, when there is nothing to wait for.
   */
  lookUpProfile(
    token: KiroToken,
    settings: ProfileLookupSettings,
    signal?: AbortSignal,
  ): Promise<unknown> | undefined {
    if (this.profileArn !== undefined) return undefined
    const { baseURL } = this.#endpoint
    this.#profiles.resolver ??= profileResolverFor(baseURL, this.fetch, settings)
    const found = this.#profiles.resolver.profileArnFor(token, signal)
    return typeof found === 'object' ? found : undefined
  }

  /** {@link lookUpProfile} for the login's current token, before a call other than a request (usage, models). */
  async prepareProfile(settings: ProfileLookupSettings, signal?: AbortSignal): Promise<void> {
    if (this.profileArn !== undefined) return
    await this.lookUpProfile(await this.credentials.getToken({ signal }), settings, signal)
  }

  /** True when the account serves this Kiro model id, or its list is not known. */
  serves(modelId: string): boolean {
    return this.models === undefined || this.models.has(modelId)
  }

  /** A description safe to show anyone: no token, no secret, a proxy without its user and password. */
  describe(): { login: CredentialsDescription; region?: string; profileArn?: string; proxy?: string } {
    const login = this.credentials.describe()
    const out: { login: CredentialsDescription; region?: string; profileArn?: string; proxy?: string } = {
      login,
    }
    const region =
      this.#endpoint.region ?? regionOfProfileArn(this.profileArn) ?? regionOfProfileArn(login.profileArn)
    if (region !== undefined) out.region = region
    const profileArn = this.profileArn ?? login.profileArn ?? this.#profiles.resolver?.found
    if (profileArn !== undefined) out.profileArn = profileArn
    if (this.options.proxy !== undefined) out.proxy = withoutUserInfo(this.options.proxy)
    return out
  }

  /**
   * This account under `options`, a configuration that differs at most in `disabled`: a new
   * object sharing the login (and its refresh), the model list and the usage.
   */
  withOptions(options: AccountOptions): PoolAccount {
    return new PoolAccount(options, 0, this.#defaults, this.#state, this)
  }

  close(): void {
    this.credentials.close()
  }
}

function withoutUserInfo(proxy: string): string {
  try {
    const url = new URL(proxy)
    return `${url.protocol}//${url.host}`
  } catch {
    return '(invalid proxy URL)'
  }
}

/**
 * True when two configurations of one account are the same, so a reloaded pool keeps the account
 * (and its login, tokens and refresh in progress) instead of building it again.
 */
export function sameAccountOptions(a: AccountOptions, b: AccountOptions): boolean {
  if (a.fetch !== b.fetch) return false
  const aProvider = typeof (a.credentials as { getToken?: unknown }).getToken === 'function'
  const bProvider = typeof (b.credentials as { getToken?: unknown }).getToken === 'function'
  if (aProvider || bProvider) {
    if (a.credentials !== b.credentials) return false
  } else if (JSON.stringify(a.credentials) !== JSON.stringify(b.credentials)) return false
  const rest = (options: AccountOptions) => {
    const { credentials: _c, fetch: _f, disabled: _d, ...others } = options
    return JSON.stringify(others, Object.keys(others).sort())
  }
  return rest(a) === rest(b)
}
