import {
  builtinModels,
  fetchKiroModels,
  type ListModelsOptions,
  type ModelInfo,
  type ModelsPage,
  modelInfo,
  page,
} from '../client/models.js'
import type { ClientSettings } from '../client/request-context.js'
import { APIUserAbortError } from '../errors/api-error.js'
import { toKiroModelId } from '../translate/models.js'
import type { AccountPool } from './account-pool.js'
import type { PoolAccount } from './pool-account.js'

/**
 * The models of a pool: every account's `ListAvailableModels` (asked in parallel), merged in
 * account order, each model with the accounts that serve it. What an account answers becomes its
 * model list for selection, unless its configuration names its models. Accounts that cannot answer
 * count as serving the built-in table; when none answers, the page is the built-in table.
 */
export async function listPoolModels(
  pool: AccountPool,
  settings: Pick<ClientSettings, 'machineId' | 'headers' | 'timeouts' | 'modelMap'>,
  options: ListModelsOptions,
): Promise<ModelsPage> {
  const accounts = pool.accounts
  const answers = await Promise.all(
    accounts.map((account) =>
      // An enterprise login's list goes with its profile: looked up first (docs/protocol.md §9.1).
      account
        .prepareProfile(settings, options.signal)
        .then(() =>
          fetchKiroModels({
            credentials: account.credentials,
            endpoint: (token) => account.endpoint(token),
            fetch: account.fetch,
            machineId: settings.machineId,
            timeouts: { ...settings.timeouts, ...options.timeout },
            headers: { ...settings.headers, ...options.headers },
            signal: options.signal,
          }),
        )
        .then(
          (raw) => ({
            models: raw.map(modelInfo),
            ids: raw.map((model) => model.kiroId),
          }),
          (error: unknown) => {
            if (error instanceof APIUserAbortError || options.signal?.aborted) throw error
            return undefined
          },
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
