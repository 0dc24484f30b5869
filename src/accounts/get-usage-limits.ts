import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import type { KiroEndpoint } from '../client/endpoint.js'
import type { ClientSettings } from '../client/request-context.js'
import { failureKindOf } from '../errors/classify.js'
import { sendKiroRequest } from '../transport/fetch-transport.js'
import { kiroHeaders, tokenKindOf } from '../transport/kiro-headers.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import { type AccountUsage, normalizeUsageLimits } from './usage-limits.js'

/** Largest `GetUsageLimits` answer read; real ones are about 2 KB. */
const MAX_BODY_BYTES = 256 * 1024

/** The login usage is asked with: the client's own, or one pool account's. */
export interface UsageLogin {
  credentials: CredentialsProvider
  endpoint: (token: KiroToken) => KiroEndpoint
  fetch: typeof globalThis.fetch | undefined
}

export interface UsageRequestOptions {
  signal?: AbortSignal | undefined
  timeout?: Partial<KiroTimeouts> | undefined
}

/**
 * `GetUsageLimits` for one login (docs/protocol.md §1.6), normalised. The profile ARN goes along
 * whenever the login or its configuration has one: enterprise (IdC) logins need it. A token Kiro
 * calls invalid is refreshed once. Throws the request's typed error otherwise.
 */
export async function getUsageLimits(
  account: string,
  login: UsageLogin,
  settings: Pick<ClientSettings, 'machineId' | 'headers' | 'timeouts'>,
  options: UsageRequestOptions = {},
  now: () => number = Date.now,
): Promise<AccountUsage> {
  let token = await login.credentials.getToken({ signal: options.signal })
  for (let attempt = 1; ; attempt++) {
    const endpoint = login.endpoint(token)
    const query = new URLSearchParams({
      isEmailRequired: 'true',
      origin: 'AI_EDITOR',
      resourceType: 'AGENTIC_REQUEST',
    })
    if (endpoint.profileArn) query.set('profileArn', endpoint.profileArn)
    try {
      const sent = await sendKiroRequest({
        url: `${endpoint.baseURL}/getUsageLimits?${query}`,
        method: 'GET',
        headers: {
          ...kiroHeaders({
            token: token.accessToken,
            tokenKind: tokenKindOf(token),
            attempt,
            maxAttempts: 2,
            machineId: settings.machineId,
            operation: 'getUsageLimits',
          }),
          ...settings.headers,
        },
        fetch: login.fetch,
        signal: options.signal,
        timeouts: { ...settings.timeouts, ...options.timeout },
      })
      const text = await sent.body.text(MAX_BODY_BYTES)
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        body = undefined
      }
      return normalizeUsageLimits(body, account, now())
    } catch (error) {
      if (attempt > 1 || failureKindOf(error) !== 'token_invalid') throw error
      token = await login.credentials.invalidate(token, { signal: options.signal })
    }
  }
}
