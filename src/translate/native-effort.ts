import type { Effort } from '../types/anthropic-request.js'
import type { AdditionalModelRequestFields } from './kiro-types.js'
import type { KiroModelInfo } from './model-table.js'

/** Kiro's floor for `max_tokens` on the models that take it (kiro.dev/docs/cli/chat/effort). */
const MIN_NATIVE_MAX_TOKENS = 1024

const ORDER: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max']

/** A manual thinking budget expressed as an effort, for models that only take an effort. */
function effortForBudget(budget: number): Effort {
  if (budget <= 4096) return 'low'
  if (budget <= 16_384) return 'medium'
  if (budget <= 65_536) return 'high'
  return 'xhigh'
}

/**
 * The effort a model accepts: `effort` itself, else the nearest level below it that the model
 * lists (`xhigh` becomes `high` on Opus 4.6; docs/protocol.md §9.3), else the lowest it lists.
 */
function supportedEffort(effort: Effort, levels: readonly Effort[] | undefined): Effort {
  if (levels === undefined || levels.includes(effort)) return effort
  for (let i = ORDER.indexOf(effort) - 1; i >= 0; i--) {
    const lower = ORDER[i] as Effort
    if (levels.includes(lower)) return lower
  }
  return levels[0] ?? effort
}

/** What the request asked for, as read and checked by `planThinking`. */
export interface ThinkingRequest {
  type: 'enabled' | 'disabled' | 'adaptive' | 'between_tools' | undefined
  budget: number | undefined
  display: 'summarized' | 'omitted' | undefined
  effort: Effort | undefined
  /** The request's `max_tokens`, when it is a non-negative integer. */
  maxTokens: number | undefined
}

/** The native fields for a model with a native effort field, and whether thinking streams back. */
export interface NativePlan {
  fields: AdditionalModelRequestFields | undefined
  /** Thinking was asked for: reasoning events are expected. */
  thinking: boolean
}

/**
 * `additionalModelRequestFields` for a model that takes a native effort (docs/protocol.md §3.9):
 *
 * - Claude models (`output_config`): thinking on (`enabled`, `adaptive`) sends Kiro's adaptive
 *   envelope `{ thinking: { type: 'adaptive', display }, output_config: { effort } }`; thinking off
 *   with an explicit effort sends `{ thinking: { type: 'disabled' }, output_config: { effort } }`.
 *   Either way, and also alone, `max_tokens` goes along, clamped to [1024, the model's cap].
 * - GPT models (`reasoning`): `{ reasoning: { effort } }` only; they refuse `output_config`,
 *   `thinking` and `max_tokens`.
 *
 * The effort is `output_config.effort`, else the budget's, else `high`, lowered to one the model lists.
 */
export function nativeFields(
  request: ThinkingRequest,
  model: KiroModelInfo,
  maxOutputTokens: number,
): NativePlan {
  const { type, effort } = request
  const on = type === 'enabled' || type === 'adaptive'
  const chosen = supportedEffort(
    effort ?? (request.budget === undefined ? 'high' : effortForBudget(request.budget)),
    model.effortLevels,
  )
  if (model.nativeEffortField === 'reasoning') {
    if (type === 'disabled' || type === 'between_tools' || (!on && effort === undefined)) {
      return { fields: undefined, thinking: false }
    }
    return { fields: { reasoning: { effort: chosen } }, thinking: true }
  }
  const fields: AdditionalModelRequestFields = {}
  if (on) {
    fields.thinking = { type: 'adaptive', display: request.display ?? 'summarized' }
    fields.output_config = { effort: chosen }
  } else if (effort !== undefined) {
    fields.thinking = { type: 'disabled' }
    fields.output_config = { effort: chosen }
  }
  if (request.maxTokens !== undefined) {
    fields.max_tokens = Math.min(maxOutputTokens, Math.max(MIN_NATIVE_MAX_TOKENS, request.maxTokens))
  }
  return { fields: Object.keys(fields).length > 0 ? fields : undefined, thinking: on }
}
