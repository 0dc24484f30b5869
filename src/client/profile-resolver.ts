import type { KiroToken } from '../auth/types.js'
import { lookupProfileArn } from '../transport/list-available-profiles.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import { waitFor } from '../util/abort.js'
import { DEFAULT_REGION, resolveBaseURL } from './endpoint.js'

export interface ProfileResolverOptions {
  /** A fixed API base URL (tests, proxies), else the regions of `lookupProfileArn`. */
  baseURL: string | undefined
  fetch: typeof globalThis.fetch | undefined
  machineId: string
  headers: Record<string, string> | undefined
  timeouts: Partial<KiroTimeouts>
  /** @defaultValue Date.now */
  now?: () => number
}

/**
 * The resolver of one login: with a fixed base URL (tests, proxies) the lookup goes there, else to
 * the regions that serve it (docs/protocol.md §9.1).
 */
export function profileResolverFor(
  baseURL: string | undefined,
  fetch: typeof globalThis.fetch | undefined,
  settings: Pick<ProfileResolverOptions, 'machineId' | 'headers' | 'timeouts'>,
): ProfileResolver {
  return new ProfileResolver({
    baseURL: baseURL === undefined ? undefined : resolveBaseURL(baseURL, DEFAULT_REGION),
    fetch,
    machineId: settings.machineId,
    headers: settings.headers,
    timeouts: settings.timeouts,
  })
}

/** A login without a profile is asked again after this long (its administrator may assign one). */
const NONE_TTL_MS = 3_600_000

/**
 * The profile ARN of a login that carries none (docs/protocol.md §3.3, §9.1): IdC and external
 * identity provider logins (enterprise logins need one, and their refresh answers carry none) get
 * the first profile `ListAvailableProfiles` lists, looked up once (one shared lookup for
 * concurrent requests) and kept. A login with no profile (Builder ID) is asked again after an
 * hour. A failed lookup is not kept: the next request tries again. Other logins are never looked up.
 */
export class ProfileResolver {
  readonly #options: ProfileResolverOptions
  readonly #now: () => number
  #found: { arn: string | undefined; at: number } | undefined
  #pending: Promise<string | undefined> | undefined

  constructor(options: ProfileResolverOptions) {
    this.#options = options
    this.#now = options.now ?? Date.now
  }

  /** The profile ARN looked up so far, if any. */
  get found(): string | undefined {
    return this.#found?.arn
  }

  /** The profile ARN already looked up for `token`'s login, without looking one up. */
  known(token: KiroToken): string | undefined {
    if (token.kind !== 'bearer' || token.profileArn !== undefined) return undefined
    return this.#found?.arn
  }

  /** The looked-up profile ARN for a request made with `token`; undefined when none applies. */
  profileArnFor(token: KiroToken, signal?: AbortSignal): Promise<string | undefined> | string | undefined {
    if (token.kind !== 'bearer' || token.profileArn !== undefined) return undefined
    if (token.authMethod !== 'idc' && token.authMethod !== 'external_idp') return undefined
    const found = this.#found
    if (found !== undefined && (found.arn !== undefined || this.#now() - found.at < NONE_TTL_MS)) {
      return found.arn
    }
    this.#pending ??= this.#lookup(token).finally(() => {
      this.#pending = undefined
    })
    return waitFor(this.#pending, signal)
  }

  async #lookup(token: KiroToken): Promise<string | undefined> {
    const { baseURL, fetch, machineId, headers, timeouts } = this.#options
    const arn = await lookupProfileArn({
      token,
      region: token.region,
      baseURL,
      fetch,
      machineId,
      headers,
      timeouts,
    })
    this.#found = { arn, at: this.#now() }
    return arn
  }
}
