import type { State } from '../state/types.js'
import { type AccountOptions, checkAccountOptions } from './account-options.js'
import { type AccountDefaults, PoolAccount, sameAccountOptions } from './pool-account.js'

/**
 * Checks `list` and builds its accounts, reusing those of `previous` whose configuration did not
 * change (a reload keeps their logins and refreshes). Everything is checked before anything is
 * kept: on any error nothing new stays open and the error (naming the field) is thrown.
 */
export function buildAccounts(
  list: unknown,
  defaults: AccountDefaults,
  state: State,
  previous: readonly PoolAccount[] = [],
): PoolAccount[] {
  const options: AccountOptions[] = checkAccountOptions(list)
  const built: PoolAccount[] = []
  try {
    options.forEach((account, index) => {
      const old = previous.find((entry) => entry.id === account.id)
      built.push(
        old !== undefined && sameAccountOptions(old.options, account)
          ? old.withOptions(account)
          : new PoolAccount(account, index, defaults, state),
      )
    })
  } catch (error) {
    for (const account of built) if (!previous.includes(account)) account.close()
    throw error
  }
  return built
}
