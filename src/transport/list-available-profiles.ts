import { APIUserAbortError } from '../errors/api-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { type OneShotCall, oneShotJson } from './one-shot.js'

export interface ListAvailableProfilesOptions extends OneShotCall {
  /** The login's region, tried first; then `us-east-1` and `eu-central-1`, where the service lives. */
  region?: string | undefined
  /** A fixed API base URL (tests, proxies): asked alone, instead of the regions. */
  baseURL?: string | undefined
}

/** The regions `ListAvailableProfiles` is asked in, in order (docs/protocol.md §9.1). */
export function profileRegions(loginRegion: string | undefined): string[] {
  const regions = ['us-east-1', 'eu-central-1']
  if (loginRegion !== undefined && !regions.includes(loginRegion)) regions.unshift(loginRegion)
  else if (loginRegion === 'eu-central-1') regions.reverse()
  return regions
}

/** A profile ARN as Kiro issues them: `arn:{partition}:codewhisperer:{region}:{account}:profile/{id}`. */
const PROFILE_ARN = /^arn:[a-z0-9-]+:codewhisperer:[a-z0-9-]+:\d{12}:profile\/[A-Za-z0-9-]+$/
const MAX_ANSWER_BYTES = 256 * 1024
const MAX_PAGES = 5

/**
 * The profile ARNs of one host's `ListAvailableProfiles` (awsJson 1.0: `POST /` with
 * `x-amz-target: AmazonCodeWhispererService.ListAvailableProfiles`, body `{maxResults}`), every
 * page. Entries that are not profile ARNs are skipped.
 */
async function listAvailableProfiles(host: string, options: ListAvailableProfilesOptions): Promise<string[]> {
  const arns: string[] = []
  let nextToken: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const parsed = (await oneShotJson(options, {
      url: `${host}/`,
      operation: 'listAvailableProfiles',
      body: JSON.stringify(nextToken === undefined ? { maxResults: 10 } : { maxResults: 10, nextToken }),
      what: 'ListAvailableProfiles',
      maxBytes: MAX_ANSWER_BYTES,
    })) as { profiles?: unknown; nextToken?: unknown }
    const profiles = typeof parsed === 'object' && parsed !== null ? parsed.profiles : undefined
    if (!Array.isArray(profiles))
      throw new KiroError('ListAvailableProfiles answered without a profiles list.')
    for (const profile of profiles) {
      const arn =
        typeof profile === 'object' && profile !== null ? (profile as { arn?: unknown }).arn : undefined
      if (typeof arn === 'string' && PROFILE_ARN.test(arn) && !arns.includes(arn)) arns.push(arn)
    }
    nextToken = typeof parsed.nextToken === 'string' && parsed.nextToken !== '' ? parsed.nextToken : undefined
    if (nextToken === undefined) break
  }
  return arns
}

/**
 * Looks up the profile ARN of a login that has none (IdC and external identity provider logins,
 * docs/protocol.md §9.1): `ListAvailableProfiles` in the login's region, then `us-east-1`, then
 * `eu-central-1`, until one lists a profile. Undefined when none does (a Builder ID login has no
 * profile). A failure in one region moves on to the next; the last failure is thrown when every
 * region failed. Only the caller's abort stops the search early.
 */
export async function lookupProfileArn(options: ListAvailableProfilesOptions): Promise<string | undefined> {
  const hosts =
    options.baseURL !== undefined
      ? [options.baseURL]
      : profileRegions(options.region).map((region) => `https://q.${region}.amazonaws.com`)
  let failure: unknown
  let answered = false
  for (const host of hosts) {
    try {
      const [first] = await listAvailableProfiles(host, options)
      answered = true
      if (first !== undefined) return first
    } catch (error) {
      if (error instanceof APIUserAbortError || options.signal?.aborted) throw error
      failure = error
    }
  }
  if (!answered && failure !== undefined) throw failure
  return undefined
}
