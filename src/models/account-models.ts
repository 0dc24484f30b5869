import { KiroError } from '../errors/kiro-error.js'
import { KIRO_MODELS, type KiroModelInfo } from '../translate/model-table.js'
import { DEFAULT_CONTEXT_WINDOW, DEFAULT_MAX_OUTPUT_TOKENS } from '../translate/models.js'
import { type OneShotCall, oneShotJson } from '../transport/one-shot.js'
import type { Effort } from '../types/anthropic-request.js'
import { managementRegions } from './management-regions.js'

/** One model an account may use: the table's facts, overridden by what Kiro says for the account. */
export interface AccountModel {
  /** The Anthropic-style id (`claude-sonnet-4-5`); Kiro's id when the table does not know the model. */
  readonly id: string
  readonly kiroId: string
  readonly displayName: string
  readonly contextWindow: number
  readonly maxOutputTokens: number
  /** The efforts the model takes natively (docs/protocol.md §3.9); null: thinking goes through prompt tags. */
  readonly nativeEffort: readonly Effort[] | null
  /** Kiro's credit multiplier for the model, when it says. */
  readonly rateMultiplier?: number
  readonly description?: string
}

export interface FetchAccountModelsOptions extends OneShotCall {
  /** The account's API region; `ListAvailableModels` is served in `us-east-1` and `eu-central-1` only. */
  region: string
  /** Sent as `profileArn` (enterprise logins need it). */
  profileArn?: string | undefined
  /** A fixed API base URL (tests, proxies); the management regions are tried otherwise. */
  baseURL?: string | undefined
}

/** Kiro pages model lists; a few pages hold every model there is. */
const MAX_PAGES = 10
const MAX_ANSWER_BYTES = 1024 * 1024
const BY_KIRO_ID = new Map<string, KiroModelInfo>(KIRO_MODELS.map((m) => [m.kiroId, m]))

interface KiroModel {
  modelId?: unknown
  modelName?: unknown
  description?: unknown
  rateMultiplier?: unknown
  tokenLimits?: { maxInputTokens?: unknown; maxOutputTokens?: unknown } | null
}

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined

/** One entry of a `ListAvailableModels` answer (docs/protocol.md §1.5) joined with the table. */
export function toAccountModel(model: KiroModel): AccountModel | undefined {
  const kiroId = model.modelId
  if (typeof kiroId !== 'string' || kiroId === '') return undefined
  const known = BY_KIRO_ID.get(kiroId)
  const limits = typeof model.tokenLimits === 'object' && model.tokenLimits !== null ? model.tokenLimits : {}
  const entry: {
    -readonly [K in keyof AccountModel]: AccountModel[K]
  } = {
    id: known?.id ?? kiroId,
    kiroId,
    displayName:
      typeof model.modelName === 'string' && model.modelName !== ''
        ? model.modelName
        : (known?.displayName ?? kiroId),
    contextWindow: positive(limits.maxInputTokens) ?? known?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
    maxOutputTokens: positive(limits.maxOutputTokens) ?? known?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    nativeEffort: known?.effortLevels ?? null,
  }
  if (typeof model.rateMultiplier === 'number' && Number.isFinite(model.rateMultiplier)) {
    entry.rateMultiplier = model.rateMultiplier
  }
  if (typeof model.description === 'string' && model.description !== '') entry.description = model.description
  return entry
}

/** The built-in table as account models (the fallback when Kiro does not answer). */
export function builtinAccountModels(): AccountModel[] {
  return KIRO_MODELS.map((m) => ({
    id: m.id,
    kiroId: m.kiroId,
    displayName: m.displayName,
    contextWindow: m.contextWindow,
    maxOutputTokens: m.maxOutputTokens,
    nativeEffort: m.effortLevels ?? null,
  }))
}

/**
 * The models one account may use, from Kiro's `ListAvailableModels` (docs/protocol.md §1.5):
 * `GET {host}/ListAvailableModels?origin=AI_EDITOR[&profileArn=…][&nextToken=…]`, every page. The
 * host is `baseURL` when given, else `q.{region}.amazonaws.com` for the management region of the
 * account's region, then the other one on a 403 (the service lives in `us-east-1` and `eu-central-1`).
 *
 * @throws the `APIError` Kiro answered with, `KiroError` for an answer without a model list;
 *   `APIUserAbortError` when `signal` aborts. Callers decide on a fallback ({@link builtinAccountModels}).
 */
export async function fetchAccountModels(options: FetchAccountModelsOptions): Promise<AccountModel[]> {
  const hosts =
    options.baseURL !== undefined
      ? [options.baseURL]
      : managementRegions(options.region).map((region) => `https://q.${region}.amazonaws.com`)
  let lastError: unknown
  for (const host of hosts) {
    try {
      return await listFrom(host, options)
    } catch (error) {
      lastError = error
      if ((error as { status?: unknown }).status !== 403) throw error
    }
  }
  throw lastError
}

async function listFrom(host: string, options: FetchAccountModelsOptions): Promise<AccountModel[]> {
  const models: AccountModel[] = []
  let nextToken: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ origin: 'AI_EDITOR' })
    if (options.profileArn) query.set('profileArn', options.profileArn)
    if (nextToken) query.set('nextToken', nextToken)
    const parsed = (await oneShotJson(options, {
      url: `${host}/ListAvailableModels?${query}`,
      method: 'GET',
      operation: 'listAvailableModels',
      what: 'ListAvailableModels',
      maxBytes: MAX_ANSWER_BYTES,
    })) as { models?: unknown; nextToken?: unknown }
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.models)) {
      throw new KiroError('ListAvailableModels answered without a models list.')
    }
    for (const raw of parsed.models as KiroModel[]) {
      const model = typeof raw === 'object' && raw !== null ? toAccountModel(raw) : undefined
      if (model !== undefined && !models.some((m) => m.kiroId === model.kiroId)) models.push(model)
    }
    nextToken = typeof parsed.nextToken === 'string' && parsed.nextToken !== '' ? parsed.nextToken : undefined
    if (nextToken === undefined) break
  }
  return models
}
