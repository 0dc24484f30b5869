import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import { type AccountModel, builtinAccountModels, fetchAccountModels } from '../models/account-models.js'
import type { CatalogList } from '../models/model-catalog.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import type { Effort } from '../types/anthropic-request.js'
import type { KiroEndpoint } from './endpoint.js'

/** The model lines of the Anthropic API (`ModelInfo.line`). */
export type ModelLine = 'haiku' | 'sonnet' | 'opus' | 'fable' | 'mythos'

/** One model in the Anthropic `GET /v1/models` shape (every member of the SDK 1.x `ModelInfo`). */
export interface ModelInfo {
  type: 'model'
  id: string
  display_name: string
  /** Kiro publishes no release dates; this is the Unix epoch for every model. */
  created_at: string
  /** Kiro publishes no capability list. */
  capabilities: null
  lifecycle: 'active'
  deprecated_at: null
  retires_at: null
  /** From the id (`claude-sonnet-4-5` is `sonnet`), else null. */
  line: ModelLine | null
  /** The context window: the account's answer, else the built-in table's (null for a model neither knows). */
  max_input_tokens: number | null
  /** The largest answer: the account's, else the table's. */
  max_tokens: number | null
  /** With several accounts: the ones that serve this model (docs/accounts.md). */
  accounts?: string[]
  /** Extension: Kiro's model id. */
  kiro_model_id: string
  /** Extension: the efforts the model takes natively (docs/protocol.md §3.9); null: thinking goes through prompt tags. */
  kiro_native_effort: Effort[] | null
}

/** The Anthropic list shape, plus where the list came from. */
export interface ModelsPage {
  data: ModelInfo[]
  has_more: boolean
  first_id: string | null
  last_id: string | null
  /** `kiro`: from `ListAvailableModels`; `builtin`: the library's table (the host did not answer it). */
  source: 'kiro' | 'builtin'
}

/**
 * The per-call options `models.list()` reads. `signal` stops this caller's wait; the fetch itself is
 * shared by every caller of the hour (docs/protocol.md §11.2), so it runs with the client's
 * timeouts and headers, not `timeout` and `headers` of one call.
 */
export interface ListModelsOptions {
  signal?: AbortSignal | undefined
  timeout?: Partial<KiroTimeouts> | undefined
  headers?: Record<string, string> | undefined
}

/** What one login's `ListAvailableModels` call needs. */
export interface FetchModelsOptions {
  credentials: CredentialsProvider
  /** Where the token's requests go and the profile ARN they carry. */
  endpoint: (token: KiroToken) => KiroEndpoint
  fetch: typeof globalThis.fetch | undefined
  machineId: string
  timeouts: Partial<KiroTimeouts>
  headers: Record<string, string> | undefined
  signal: AbortSignal | undefined
}

const EPOCH = '1970-01-01T00:00:00Z'

const LINE = /^claude-(haiku|sonnet|opus|fable|mythos)\b/

/** An account model in the Anthropic shape, with the members Kiro cannot fill as the API leaves them unknown. */
export function modelInfo(model: AccountModel): ModelInfo {
  return {
    type: 'model',
    id: model.id,
    display_name: model.displayName,
    created_at: EPOCH,
    capabilities: null,
    lifecycle: 'active',
    deprecated_at: null,
    retires_at: null,
    line: (LINE.exec(model.id)?.[1] as ModelLine | undefined) ?? null,
    max_input_tokens: model.contextWindow,
    max_tokens: model.maxOutputTokens,
    kiro_model_id: model.kiroId,
    kiro_native_effort: model.nativeEffort === null ? null : [...model.nativeEffort],
  }
}

export function page(data: ModelInfo[], source: ModelsPage['source']): ModelsPage {
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, source }
}

/** The built-in table, under the Anthropic-style names clients send. */
export function builtinModels(): ModelsPage {
  return page(builtinAccountModels().map(modelInfo), 'builtin')
}

/** A model catalog's list as one page (Kiro's lists are short). */
export function toModelsPage(list: CatalogList): ModelsPage {
  return page(list.models.map(modelInfo), list.source)
}

/** The default host of a region, whose account services may live in another region (docs/protocol.md §9.1). */
const DEFAULT_HOST = /^https:\/\/q\.([a-z0-9-]+)\.amazonaws\.com$/

/**
 * One login's `ListAvailableModels` (docs/protocol.md §1.5) joined with the table: every page,
 * the account's own window and output cap for each model. A default `q.{region}` host is asked in
 * the management regions; any other host (tests, proxies) as it is. Throws what the request threw
 * (an `APIError`, a `CredentialsError`, an abort, a `KiroError` for an answer without a list).
 */
export async function fetchKiroModels(options: FetchModelsOptions): Promise<AccountModel[]> {
  const token = await options.credentials.getToken({ signal: options.signal })
  const endpoint = options.endpoint(token)
  const region = DEFAULT_HOST.exec(endpoint.baseURL)?.[1]
  return fetchAccountModels({
    token,
    region: region ?? 'us-east-1',
    profileArn: endpoint.profileArn,
    baseURL: region === undefined ? endpoint.baseURL : undefined,
    fetch: options.fetch,
    machineId: options.machineId,
    headers: options.headers,
    timeouts: options.timeouts,
    signal: options.signal,
  })
}
