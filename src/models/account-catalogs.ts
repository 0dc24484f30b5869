import type { PoolAccount } from '../accounts/pool-account.js'
import { accountEndpoint, knownAccountEndpoint } from '../client/account-profiles.js'
import { fetchKiroModels } from '../client/models.js'
import type { ClientSettings } from '../client/request-context.js'
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
        await accountEndpoint(account, await account.credentials.getToken({ signal }), settings, signal)
        return fetchKiroModels({
          credentials: account.credentials,
          endpoint: (token) => knownAccountEndpoint(account, token),
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
