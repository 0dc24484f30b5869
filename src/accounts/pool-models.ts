import {
  builtinModels,
  type ListModelsOptions,
  type ModelInfo,
  type ModelsPage,
  modelInfo,
  page,
} from '../client/models.js'
import type { ClientSettings } from '../client/request-context.js'
import { accountCatalog } from '../models/account-catalogs.js'
import { toKiroModelId } from '../translate/models.js'
import type { AccountPool } from './account-pool.js'
import type { PoolAccount } from './pool-account.js'

/**
 * The models of a pool: every account's `ListAvailableModels` (asked in parallel, each list kept
 * an hour), merged in account order, each model with the accounts that serve it. What an account
 * answers becomes its model list for selection, unless its configuration names its models.
 * Accounts that cannot answer count as serving the built-in table; when none answers, the page is
 * the built-in table.
 */
export async function listPoolModels(
  pool: AccountPool,
  settings: Pick<ClientSettings, 'machineId' | 'headers' | 'timeouts' | 'modelMap'>,
  options: ListModelsOptions,
): Promise<ModelsPage> {
  const accounts = pool.accounts
  // Each account's catalog keeps its list an hour (docs/protocol.md §11.2); only the caller's abort rejects.
  const answers = await Promise.all(
    accounts.map((account) =>
      accountCatalog(account, settings)
        .list(options.signal)
        .then((list) =>
          list.source === 'kiro'
            ? { models: list.models.map(modelInfo), ids: list.models.map((model) => model.kiroId) }
            : undefined,
        ),
    ),
  )
  const merged = new Map<string, ModelInfo & { accounts: string[] }>()
  const add = (model: ModelInfo, account: PoolAccount) => {
    const entry = merged.get(model.id)
    if (entry === undefined) merged.set(model.id, { ...model, accounts: [account.id] })
    else if (!entry.accounts.includes(account.id)) entry.accounts.push(account.id)
  }
  let answered = false
  accounts.forEach((account, index) => {
    const answer = answers[index]
    if (answer === undefined || answer.models.length === 0) return
    answered = true
    if (account.options.models === undefined) account.models = new Set(answer.ids)
    for (const model of answer.models) add(model, account)
  })
  const builtin = builtinModels().data
  accounts.forEach((account, index) => {
    if (answers[index]?.models.length) return
    for (const model of builtin) {
      if (account.serves(toKiroModelId(model.id, settings.modelMap))) add(model, account)
    }
  })
  return page([...merged.values()], answered ? 'kiro' : 'builtin')
}
