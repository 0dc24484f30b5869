import type { AccountPool } from '../accounts/account-pool.js'
import type { PoolAccount } from '../accounts/pool-account.js'
import { fetchKiroModels } from '../client/models.js'
import type { ClientSettings } from '../client/request-context.js'
import type { ModelLimits } from '../translate/to-kiro-request.js'
import { ModelCatalog } from './model-catalog.js'

const catalogs = new WeakMap<PoolAccount, ModelCatalog>()

/**
 * The model catalog of one pool account (docs/protocol.md §11.2): its `ListAvailableModels`,
 * fetched on first use and kept an hour, the built-in table while Kiro does not answer. One per
 * account for the account's life, so that every `models.list()` of a pool does not ask every
 * account again.
 */
export function accountCatalog(
  account: PoolAccount,
  settings: Pick<ClientSettings, 'machineId' | 'headers' | 'timeouts'>,
): ModelCatalog {
  let catalog = catalogs.get(account)
  if (catalog === undefined) {
    catalog = new ModelCatalog({
      load: async (signal) => {
        // The list goes with the account's profile: an enterprise one is looked up first (§14).
        await account.prepareProfile(settings, signal)
        return fetchKiroModels({
          credentials: account.credentials,
          endpoint: (token) => account.endpoint(token),
          fetch: account.fetch,
          machineId: settings.machineId,
          timeouts: settings.timeouts,
          headers: settings.headers,
          signal,
        })
      },
    })
    catalogs.set(account, catalog)
  }
  return catalog
}

/**
 * A pool's limits for a Kiro model id, from the accounts' fetched lists (without fetching): the
 * smallest window and output cap any account reports, since the request is translated before an
 * account is picked. Undefined when no account's list names the model (the table's then apply).
 */
export function poolModelLimits(
  pool: AccountPool,
  settings: Pick<ClientSettings, 'machineId' | 'headers' | 'timeouts'>,
): (kiroModelId: string) => ModelLimits | undefined {
  return (kiroModelId) => {
    let found: { contextWindow: number; maxOutputTokens: number } | undefined
    for (const account of pool.accounts) {
      const limits = accountCatalog(account, settings).limits(kiroModelId)
      if (limits?.contextWindow === undefined || limits.maxOutputTokens === undefined) continue
      found = {
        contextWindow: Math.min(found?.contextWindow ?? Infinity, limits.contextWindow),
        maxOutputTokens: Math.min(found?.maxOutputTokens ?? Infinity, limits.maxOutputTokens),
      }
    }
    return found
  }
}
