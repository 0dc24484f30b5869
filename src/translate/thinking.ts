import type { Effort } from '../types/anthropic-request.js'
import { invalid, isObject } from './invalid.js'
import type { AdditionalModelRequestFields } from './kiro-types.js'
import { kiroModelInfo, maxOutputTokensFor } from './models.js'
import { nativeFields, type ThinkingRequest } from './native-effort.js'

/** How the answer's thinking will arrive: not at all, as `<thinking>` tags in the text, or natively. */
export type ThinkingMode = 'off' | 'tags' | 'native'

/** Bounds for the `<max_thinking_length>` tag. */
export interface ThinkingBudgetBounds {
  /** @defaultValue 1024 (Anthropic's minimum `budget_tokens`) */
  min?: number | undefined
  /** @defaultValue 24576 (the largest clamp in use; docs/protocol.md §3.8) */
  max?: number | undefined
}

export interface ThinkingPlan {
  mode: ThinkingMode
  /** Prompt tags to put in front of the system text, in `tags` mode. */
  tags?: string
  /** The native fields (effort, thinking, `max_tokens`) for the models that take them. */
  additionalModelRequestFields?: AdditionalModelRequestFields
}

/** The request's other members `planThinking` reads. */
export interface ThinkingContext {
  /** The request's `max_tokens` (already type-checked). */
  maxTokens?: unknown
  /** The model's output cap, when the account's model list says. @defaultValue the table's */
  maxOutputTokens?: number | undefined
}

const DEFAULT_THINKING_BUDGET_MIN = 1024
const DEFAULT_THINKING_BUDGET_MAX = 24_576

const EFFORTS: ReadonlySet<string> = new Set(['low', 'medium', 'high', 'xhigh', 'max'])
const THINKING_TYPES = "'enabled', 'disabled', 'adaptive' or 'between_tools'"

function readEffort(outputConfig: unknown): Effort | undefined {
  if (outputConfig === undefined || outputConfig === null) return undefined
  if (!isObject(outputConfig)) throw invalid('output_config', 'Input should be a valid dictionary')
  const effort = outputConfig.effort
  if (effort === undefined || effort === null) return undefined
  if (typeof effort !== 'string' || !EFFORTS.has(effort)) {
    throw invalid('output_config.effort', "Input should be 'low', 'medium', 'high', 'xhigh' or 'max'")
  }
  return effort as Effort
}

function readThinking(thinking: unknown, outputConfig: unknown, maxTokens: unknown): ThinkingRequest {
  const request: ThinkingRequest = {
    type: undefined,
    budget: undefined,
    display: undefined,
    effort: readEffort(outputConfig),
    maxTokens:
      typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens >= 0 ? maxTokens : undefined,
  }
  if (thinking === undefined || thinking === null) return request
  if (!isObject(thinking)) throw invalid('thinking', 'Input should be a valid dictionary')
  const t = thinking.type
  if (t !== 'enabled' && t !== 'disabled' && t !== 'adaptive' && t !== 'between_tools') {
    throw invalid('thinking.type', `Input should be ${THINKING_TYPES}`)
  }
  request.type = t
  const display = (thinking as { display?: unknown }).display
  if (display === 'summarized' || display === 'omitted') request.display = display
  if (t === 'enabled') {
    const b = thinking.budget_tokens
    if (b === undefined) throw invalid('thinking.enabled.budget_tokens', 'Field required')
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0) {
      throw invalid('thinking.enabled.budget_tokens', 'Input should be a non-negative integer')
    }
    request.budget = b
  }
  return request
}

/**
 * Decides how to ask Kiro for thinking (docs/protocol.md §3.8, §3.9):
 * - models with a native effort field get `additionalModelRequestFields` (see `nativeFields`):
 *   Opus 4.6 and newer, Sonnet 4.6 and newer through `output_config.effort` (with Kiro's adaptive
 *   thinking envelope and `max_tokens`), the GPT models through `reasoning.effort` only;
 * - other models get prompt tags: `enabled` → `<thinking_mode>enabled</thinking_mode>` with
 *   `<max_thinking_length>` = `budget_tokens` clamped to the bounds; `adaptive` (and 1.x
 *   `between_tools`) → `<thinking_mode>adaptive</thinking_mode>` with `<thinking_effort>` =
 *   `output_config.effort` (`xhigh` and `max` become `high`, the highest tag value), default `high`;
 * - `disabled` or absent: no tags.
 */
export function planThinking(
  thinking: unknown,
  outputConfig: unknown,
  modelId: string,
  bounds: ThinkingBudgetBounds = {},
  context: ThinkingContext = {},
): ThinkingPlan {
  const request = readThinking(thinking, outputConfig, context.maxTokens)
  const { type, budget, effort } = request
  const info = kiroModelInfo(modelId)
  if (info?.nativeEffortField !== undefined) {
    const native = nativeFields(request, info, context.maxOutputTokens ?? maxOutputTokensFor(modelId))
    const plan: ThinkingPlan = { mode: native.thinking ? 'native' : 'off' }
    if (native.fields !== undefined) plan.additionalModelRequestFields = native.fields
    return plan
  }
  if (type === undefined || type === 'disabled') return { mode: 'off' }
  if (budget !== undefined) {
    const min = bounds.min ?? DEFAULT_THINKING_BUDGET_MIN
    const max = Math.max(min, bounds.max ?? DEFAULT_THINKING_BUDGET_MAX)
    const clamped = Math.min(max, Math.max(min, budget))
    return {
      mode: 'tags',
      tags: `<thinking_mode>enabled</thinking_mode><max_thinking_length>${clamped}</max_thinking_length>`,
    }
  }
  const tagEffort = effort === 'low' || effort === 'medium' ? effort : 'high'
  return {
    mode: 'tags',
    tags: `<thinking_mode>adaptive</thinking_mode><thinking_effort>${tagEffort}</thinking_effort>`,
  }
}
