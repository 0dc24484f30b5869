import type { Effort } from '../types/anthropic-request.js'
import { invalid, isObject } from './invalid.js'
import type { JsonObject } from './kiro-types.js'
import { kiroModelInfo } from './models.js'

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
  /** The native effort field, in `native` mode. */
  additionalModelRequestFields?: JsonObject
}

export const DEFAULT_THINKING_BUDGET_MIN = 1024
export const DEFAULT_THINKING_BUDGET_MAX = 24_576

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

/** A manual budget expressed as an effort, for models that only take an effort. */
function effortForBudget(budget: number): Effort {
  if (budget <= 4096) return 'low'
  if (budget <= 16_384) return 'medium'
  return 'high'
}

/**
 * Decides how to ask Kiro for thinking (docs/protocol.md §3.8, §3.9):
 * - models with a native effort field get it in `additionalModelRequestFields` (`output_config.effort`
 *   or `reasoning.effort`), from `output_config.effort`, else from the budget, else `high`;
 * - other models get prompt tags: `enabled` → `<thinking_mode>enabled</thinking_mode>` with
 *   `<max_thinking_length>` = `budget_tokens` clamped to the bounds; `adaptive` (and 1.x
 *   `between_tools`) → `<thinking_mode>adaptive</thinking_mode>` with `<thinking_effort>` =
 *   `output_config.effort` (`xhigh` and `max` become `high`, the highest tag value), default `high`;
 * - `disabled` or absent: nothing (a native model still gets an explicit `output_config.effort`).
 */
export function planThinking(
  thinking: unknown,
  outputConfig: unknown,
  modelId: string,
  bounds: ThinkingBudgetBounds = {},
): ThinkingPlan {
  const effort = readEffort(outputConfig)
  const nativeField = kiroModelInfo(modelId)?.nativeEffortField
  let type: string | undefined
  let budget: number | undefined
  if (thinking !== undefined && thinking !== null) {
    if (!isObject(thinking)) throw invalid('thinking', 'Input should be a valid dictionary')
    const t = thinking.type
    if (t !== 'enabled' && t !== 'disabled' && t !== 'adaptive' && t !== 'between_tools') {
      throw invalid('thinking.type', `Input should be ${THINKING_TYPES}`)
    }
    type = t
    if (t === 'enabled') {
      const b = thinking.budget_tokens
      if (b === undefined) throw invalid('thinking.enabled.budget_tokens', 'Field required')
      if (typeof b !== 'number' || !Number.isInteger(b) || b < 0) {
        throw invalid('thinking.enabled.budget_tokens', 'Input should be a non-negative integer')
      }
      budget = b
    }
  }
  if (type === 'disabled') return { mode: 'off' }
  if (nativeField !== undefined) {
    if (type === undefined && effort === undefined) return { mode: 'off' }
    let native: Effort = effort ?? (budget === undefined ? 'high' : effortForBudget(budget))
    // OCX measured luna and terra at low/medium/high/max only (docs/protocol.md §3.9).
    if (native === 'xhigh' && nativeField === 'reasoning' && modelId !== 'gpt-5.6-sol') native = 'high'
    return { mode: 'native', additionalModelRequestFields: { [nativeField]: { effort: native } } }
  }
  if (type === undefined) return { mode: 'off' }
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
