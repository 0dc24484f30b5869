import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import { APIUserAbortError } from '../errors/api-error.js'
import { KIRO_MODELS } from '../translate/models.js'
import { sendKiroRequest } from '../transport/fetch-transport.js'
import { kiroHeaders } from '../transport/kiro-headers.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import type { KiroEndpoint } from './endpoint.js'
import type { ClientSettings } from './request-context.js'

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
  /** The context window, for the models of the built-in table. */
  max_input_tokens: number | null
  /** The largest answer, for the models of the built-in table. */
  max_tokens: number | null
  /** With several accounts: the ones that serve this model (docs/accounts.md). */
  accounts?: string[]
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

/** The per-call options `models.list()` honours. */
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

/** One entry of `ListAvailableModels`, as Kiro sent it (fields unchecked). */
export interface KiroModel {
  modelId?: unknown
  modelName?: unknown
}

const LINE = /^claude-(haiku|sonnet|opus|fable|mythos)\b/

/** A model entry with the members Kiro cannot fill set as the Anthropic API leaves them unknown. */
export function modelInfo(
  id: string,
  displayName: string,
  limits: { contextWindow: number; maxOutputTokens: number } | undefined,
): ModelInfo {
  return {
    type: 'model',
    id,
    display_name: displayName,
    created_at: EPOCH,
    capabilities: null,
    lifecycle: 'active',
    deprecated_at: null,
    retires_at: null,
    line: (LINE.exec(id)?.[1] as ModelLine | undefined) ?? null,
    max_input_tokens: limits?.contextWindow ?? null,
    max_tokens: limits?.maxOutputTokens ?? null,
  }
}

export function page(data: ModelInfo[], source: ModelsPage['source']): ModelsPage {
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, source }
}

/** The built-in table, under the Anthropic-style names clients send. */
export function builtinModels(): ModelsPage {
  return page(
    KIRO_MODELS.map((model) => modelInfo(model.id, model.displayName, model)),
    'builtin',
  )
}

/** Kiro ids become the Anthropic-style names of the table where known (`claude-sonnet-4.5` -> `claude-sonnet-4-5`). */
export function fromKiro(models: readonly KiroModel[]): ModelInfo[] {
  const out: ModelInfo[] = []
  for (const model of models) {
    if (typeof model.modelId !== 'string' || model.modelId === '') continue
    const known = KIRO_MODELS.find((entry) => entry.kiroId === model.modelId)
    out.push(
      modelInfo(
        known?.id ?? model.modelId,
        typeof model.modelName === 'string' ? model.modelName : (known?.displayName ?? model.modelId),
        known,
      ),
    )
  }
  return out
}

/**
 * One login's `ListAvailableModels` (docs/protocol.md §1.5), as Kiro answered it. Throws what the
 * request threw (an `APIError`, a `CredentialsError`, an abort) or a `SyntaxError` for a body that
 * is not JSON; an answer without a `models` array gives an empty list.
 */
export async function fetchKiroModels(options: FetchModelsOptions): Promise<KiroModel[]> {
  const token = await options.credentials.getToken({ signal: options.signal })
  const endpoint = options.endpoint(token)
  const query = new URLSearchParams({ origin: 'AI_EDITOR' })
  if (endpoint.profileArn) query.set('profileArn', endpoint.profileArn)
  const sent = await sendKiroRequest({
    url: `${endpoint.baseURL}/ListAvailableModels?${query}`,
    method: 'GET',
    headers: {
      ...kiroHeaders({
        token: token.accessToken,
        tokenKind: token.kind,
        attempt: 1,
        maxAttempts: 1,
        machineId: options.machineId,
        operation: 'listAvailableModels',
      }),
      ...options.headers,
    },
    fetch: options.fetch,
    signal: options.signal,
    timeouts: options.timeouts,
  })
  const parsed = JSON.parse(await sent.body.text(1024 * 1024)) as { models?: unknown }
  return Array.isArray(parsed.models) ? (parsed.models as KiroModel[]) : []
}

/**
 * `ListAvailableModels` (docs/protocol.md §1.5), falling back to the built-in table when the host
 * does not serve it (e.g. `runtime.*.kiro.dev`), the answer is unusable, or no login is available.
 * Only the caller's abort propagates.
 */
export async function listModels(settings: ClientSettings, options: ListModelsOptions): Promise<ModelsPage> {
  try {
    const data = fromKiro(
      await fetchKiroModels({
        credentials: settings.credentials,
        endpoint: settings.endpoint,
        fetch: settings.fetch,
        machineId: settings.machineId,
        timeouts: { ...settings.timeouts, ...options.timeout },
        headers: { ...settings.headers, ...options.headers },
        signal: options.signal,
      }),
    )
    return data.length > 0 ? page(data, 'kiro') : builtinModels()
  } catch (error) {
    if (error instanceof APIUserAbortError || options.signal?.aborted) throw error
    return builtinModels()
  }
}
