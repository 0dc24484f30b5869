import type { AccountLease } from '../accounts/account-lease.js'
import { acquireLogin } from '../client/attempt.js'
import { accountLogin } from '../client/pooled-connect.js'
import type { ClientSettings, RequestOverrides } from '../client/request-context.js'
import { conversationIdFor } from '../translate/conversation-id.js'
import { kiroModelIdOf } from '../translate/models.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import { type SearchOutcome, searchViaMcp } from './mcp-search.js'

/**
 * One search, with the client's login, or with a pool account: the one the pool picks for this
 * conversation (its sticky route: the account that served the round), held for the search only.
 */
export async function runSearch(
  settings: ClientSettings,
  params: MessageCreateParams,
  overrides: RequestOverrides,
  query: string,
  signal: AbortSignal,
): Promise<SearchOutcome> {
  const { pool } = settings
  let lease: AccountLease | undefined
  try {
    lease = await pool?.acquire({
      model: params.model,
      modelId: kiroModelIdOf(params.model, (params as { betas?: unknown }).betas, settings.modelMap),
      stickyKey: conversationIdFor(params.metadata, params.system, params.messages as unknown[]),
      allowed: overrides.accounts === undefined ? undefined : new Set(overrides.accounts),
      signal,
    })
  } catch (error) {
    // No account can search now: the model is told, as for any failed search.
    if (signal.aborted) throw error
    return { error: 'unavailable' }
  }
  try {
    const login =
      lease === undefined
        ? await acquireLogin(settings, signal)
        : await accountLogin(lease.account, settings, signal)
    return await searchViaMcp({
      query,
      token: login.token,
      baseURL: login.endpoint.baseURL,
      profileArn: login.endpoint.profileArn,
      fetch: login.fetch ?? settings.fetch,
      machineId: settings.machineId,
      headers: overrides.headers ? { ...settings.headers, ...overrides.headers } : settings.headers,
      timeouts: overrides.timeout ? { ...settings.timeouts, ...overrides.timeout } : settings.timeouts,
      signal,
    })
  } finally {
    lease?.release()
  }
}
