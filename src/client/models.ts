import type { AccountModel } from '../models/account-models.js'
import type { CatalogList } from '../models/model-catalog.js'
import type { Effort } from '../types/anthropic-request.js'

/** One model in the Anthropic `GET /v1/models` shape, with Kiro's facts as extensions. */
export interface ModelInfo {
  type: 'model'
  id: string
  display_name: string
  /** Kiro publishes no release dates; this is the Unix epoch for every model. */
  created_at: string
  /** The input context window in tokens. */
  max_input_tokens: number
  /** The largest answer in tokens. */
  max_tokens: number
  /** Extension: Kiro's model id. */
  kiro_model_id: string
  /** Extension: the efforts the model takes natively (`output_config.effort`); null: thinking goes through prompt tags. */
  kiro_native_effort: Effort[] | null
}

/** The Anthropic list shape, plus where the list came from. */
export interface ModelsPage {
  data: ModelInfo[]
  has_more: boolean
  first_id: string | null
  last_id: string | null
  /** `kiro`: from the login's `ListAvailableModels`; `builtin`: the library's table (Kiro did not answer). */
  source: 'kiro' | 'builtin'
}

const EPOCH = '1970-01-01T00:00:00Z'

/** An account model in the Anthropic shape. */
export function toModelInfo(model: AccountModel): ModelInfo {
  return {
    type: 'model',
    id: model.id,
    display_name: model.displayName,
    created_at: EPOCH,
    max_input_tokens: model.contextWindow,
    max_tokens: model.maxOutputTokens,
    kiro_model_id: model.kiroId,
    kiro_native_effort: model.nativeEffort === null ? null : [...model.nativeEffort],
  }
}

/** A catalog list as one Anthropic page (the whole list: Kiro's lists are short). */
export function toModelsPage(list: CatalogList): ModelsPage {
  const data = list.models.map(toModelInfo)
  return {
    data,
    has_more: false,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    source: list.source,
  }
}
