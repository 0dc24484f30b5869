import type { ClientSettings } from '../client/request-context.js'
import { NotFoundError } from '../errors/api-error.js'
import { ConfigurationError } from '../errors/configuration-error.js'
import { toKiroModelId } from '../translate/models.js'
import type { AccountOptions } from './account-options.js'
import type { AccountPool } from './account-pool.js'
import type { AccountStatus } from './account-status.js'
import { buildAccounts } from './build-accounts.js'
import { getUsageLimits, type UsageRequestOptions } from './get-usage-limits.js'
import type { AccountDefaults } from './pool-account.js'
import type { AccountUsage } from './usage-limits.js'

/** `client.accounts` (docs/accounts.md). */
export interface ClientAccountsApi {
  /** Every account with its state, deadline, load, last error and last usage. Never a secret. */
  list(): Promise<AccountStatus[]>
  /** Makes an account ready again, clearing `suspended` and `invalid` too: an operator's decision. */
  enable(id: string): Promise<void>
  /** Takes an account out of service until it is enabled again. */
  disable(id: string): Promise<void>
  /**
   * Ms since the epoch when an account able to serve `model` (any, when absent) is ready: now if
   * one is; undefined when none will be by itself (all suspended, invalid or disabled).
   */
  nextReadyAt(model?: string): Promise<number | undefined>
  /**
   * Serves from a new list of accounts (a reloaded configuration), checked first: on an error the
   * current accounts stay. Unchanged accounts keep their logins; requests in flight finish where they are.
   */
  replace(accounts: readonly AccountOptions[]): Promise<void>
}

/** The name a client without `accounts` gives its one login. */
const SINGLE_ACCOUNT_ID = 'default'

/** The accounts API of a client with a pool. */
export function poolAccountsApi(
  pool: AccountPool,
  defaults: AccountDefaults,
  modelMap: Readonly<Record<string, string>> | undefined,
): ClientAccountsApi {
  return {
    list: () => pool.list(),
    enable: (id) => pool.enable(id),
    disable: (id) => pool.disable(id),
    nextReadyAt: (model) =>
      pool.nextReadyAt(model === undefined ? undefined : toKiroModelId(model, modelMap)),
    replace: (accounts) => pool.replace(buildAccounts(accounts, defaults, pool.state, pool.accounts)),
  }
}

/** The accounts API of a single-login client: one account, `default`, always ready. */
export function singleAccountApi(settings: ClientSettings, inFlight: { count: number }): ClientAccountsApi {
  const single = (): never => {
    throw new ConfigurationError(
      'accounts',
      'this client has a single login; create it with `accounts` to manage several.',
    )
  }
  return {
    list: async () => {
      const login = settings.credentials.describe()
      const status: AccountStatus = { id: SINGLE_ACCOUNT_ID, state: 'ready', inFlight: inFlight.count, login }
      if (login.region !== undefined) status.region = login.region
      const profileArn = settings.profileArn ?? login.profileArn
      if (profileArn !== undefined) status.profileArn = profileArn
      return [status]
    },
    enable: async () => single(),
    disable: async () => single(),
    nextReadyAt: async () => Date.now(),
    replace: async () => single(),
  }
}

/** `client.usage()`: `GetUsageLimits` of one account, normalised; remembered for `accounts.list()`. */
export async function accountUsage(
  settings: ClientSettings,
  account: string | undefined,
  options: UsageRequestOptions,
): Promise<AccountUsage> {
  const { pool } = settings
  if (pool === undefined) {
    if (account !== undefined && account !== SINGLE_ACCOUNT_ID) throw unknownAccount(account)
    return getUsageLimits(SINGLE_ACCOUNT_ID, settings, settings, options)
  }
  const id = account ?? (pool.accounts.length === 1 ? pool.accounts[0]!.id : undefined)
  if (id === undefined) {
    throw new ConfigurationError('account', 'this client has several accounts: name the one to ask about.')
  }
  const target = pool.get(id)
  if (target === undefined) throw unknownAccount(id)
  await target.prepareProfile(settings, options.signal)
  const usage = await getUsageLimits(id, target, settings, options)
  target.usage = usage
  return usage
}

function unknownAccount(id: string): NotFoundError {
  return new NotFoundError(`account: there is no account named ${JSON.stringify(id)}.`)
}
