import { callHook, type KiroHooks } from '../client/hooks.js'
import type { ClientSettings } from '../client/request-context.js'
import { MemoryState } from '../state/memory.js'
import type { State } from '../state/types.js'
import type { AccountSelection } from './account-options.js'
import { AccountPool } from './account-pool.js'
import { buildAccounts } from './build-accounts.js'
import { getUsageLimits } from './get-usage-limits.js'
import type { AccountDefaults } from './pool-account.js'

/** The pool options of `KiroClientOptions`. */
export interface PoolClientOptions {
  accounts: unknown
  accountSelection?: AccountSelection | undefined
  state?: State | undefined
  maxQueuedRequests?: number | undefined
}

/**
 * The pool of a client created with `accounts`: its accounts checked and built (each with the
 * client's settings as defaults), statuses in `state` (a new `MemoryState` when none is given),
 * and a quota's reset looked up with `GetUsageLimits`. Throws a `ConfigurationError` naming the field.
 */
export function createPool(
  options: PoolClientOptions,
  defaults: AccountDefaults,
  hooks: KiroHooks,
  settings: () => ClientSettings,
): AccountPool {
  const { accountSelection, maxQueuedRequests } = options
  const state: State = options.state ?? new MemoryState()
  const { onStateWarning } = hooks
  const unsubscribe =
    onStateWarning === undefined
      ? undefined
      : state.subscribe?.((warning) => callHook(onStateWarning, () => ({ ...warning, state: state.kind })))
  return new AccountPool({
    onClose: unsubscribe,
    accounts: buildAccounts(options.accounts, defaults, state),
    state,
    selection: accountSelection,
    maxQueue: maxQueuedRequests,
    onStatus: hooks.onAccountStatus,
    resetOf: async (account, signal) => {
      const shared = settings()
      await account.prepareProfile(shared, signal)
      const usage = await getUsageLimits(account.id, account, shared, { signal })
      account.usage = usage
      return usage.resetsAt
    },
  })
}
