import type { ModelLimits } from '../translate/to-kiro-request.js'
import { waitFor } from '../util/abort.js'
import { type AccountModel, builtinAccountModels } from './account-models.js'

export interface ModelCatalogOptions {
  /** Fetches the account's list (e.g. `fetchAccountModels` with the account's token). */
  load: (signal: AbortSignal | undefined) => Promise<AccountModel[]>
  /** How long a fetched list is used. @defaultValue 3_600_000 (an hour) */
  ttlMs?: number | undefined
  /** How long after a failure the next call tries again (meanwhile the last list, or the table). @defaultValue 300_000 */
  retryMs?: number | undefined
  /** @defaultValue Date.now */
  now?: () => number
}

/** A model list and where it came from: `kiro` (the account's `ListAvailableModels`) or `builtin` (the table). */
export interface CatalogList {
  models: readonly AccountModel[]
  source: 'kiro' | 'builtin'
}

/**
 * One account's model list (docs/protocol.md §1.5): fetched on first use, kept for an hour, shared
 * by concurrent callers; when Kiro does not answer, the last list fetched, else the built-in
 * table. `limits()` gives the translator the account's window and output cap of a model, from the
 * last list fetched, without fetching.
 */
export class ModelCatalog {
  readonly #options: ModelCatalogOptions
  readonly #now: () => number
  #fetched: { models: AccountModel[]; byKiroId: Map<string, AccountModel>; at: number } | undefined
  #failedAt: number | undefined
  #pending: Promise<CatalogList> | undefined

  constructor(options: ModelCatalogOptions) {
    this.#options = options
    this.#now = options.now ?? (() => Date.now())
  }

  /** The account's models; only the caller's abort rejects. */
  async list(signal?: AbortSignal): Promise<CatalogList> {
    const now = this.#now()
    const fetched = this.#fetched
    if (fetched !== undefined && now - fetched.at < (this.#options.ttlMs ?? 3_600_000)) {
      return { models: fetched.models, source: 'kiro' }
    }
    if (this.#failedAt !== undefined && now - this.#failedAt < (this.#options.retryMs ?? 300_000)) {
      return this.#fallback()
    }
    // Each caller's abort is its own: the shared fetch runs without one, under the transport's timeouts.
    this.#pending ??= this.#refresh().finally(() => {
      this.#pending = undefined
    })
    return waitFor(this.#pending, signal, 'Request was aborted while waiting for the model list.')
  }

  /** The account's limits for a Kiro model id, when a fetched list names it. */
  limits(kiroId: string): ModelLimits | undefined {
    const model = this.#fetched?.byKiroId.get(kiroId)
    return model === undefined
      ? undefined
      : { contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens }
  }

  async #refresh(): Promise<CatalogList> {
    try {
      const models = await this.#options.load(undefined)
      if (models.length === 0) throw new Error('empty model list')
      this.#fetched = { models, byKiroId: new Map(models.map((m) => [m.kiroId, m])), at: this.#now() }
      this.#failedAt = undefined
      return { models, source: 'kiro' }
    } catch {
      this.#failedAt = this.#now()
      return this.#fallback()
    }
  }

  #fallback(): CatalogList {
    const fetched = this.#fetched
    return fetched !== undefined
      ? { models: fetched.models, source: 'kiro' }
      : { models: builtinAccountModels(), source: 'builtin' }
  }
}
