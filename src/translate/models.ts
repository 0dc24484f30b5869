/**
 * Model names: Anthropic-style ids to Kiro `modelId`s (docs/protocol.md §3.7), and the table facts
 * each request needs (context window, output cap, native effort).
 */
import {
  DEFAULT_CONTEXT_WINDOW,
  DEFAULT_MAX_OUTPUT_TOKENS,
  KIRO_MODELS,
  type KiroModelInfo,
} from './model-table.js'

export { DEFAULT_CONTEXT_WINDOW, DEFAULT_MAX_OUTPUT_TOKENS, KIRO_MODELS, type KiroModelInfo }

const BY_KIRO_ID = new Map<string, KiroModelInfo>(KIRO_MODELS.map((m) => [m.kiroId, m]))

/** Normalised names that are not a Kiro id themselves. */
const ALIASES = new Map<string, string>([
  ['claude-sonnet-4.0', 'claude-sonnet-4'],
  ['claude-opus-5.0', 'claude-opus-5'],
  ['claude-sonnet-5.0', 'claude-sonnet-5'],
  ['auto-kiro', 'auto'],
])

const LEGACY_UPPERCASE = /^[A-Z0-9_]+$/
const PREFIX = /^(?:kiro[/-]|(?:[a-z]{2}\.)?anthropic[./])/
const BRACKET_SUFFIX = /\[([^\]]*)\]$/
// One suffix per pass: Bedrock version, date, -latest, -thinking, an effort level.
const SUFFIX = /(?:-v\d+(?::\d+)?|-\d{8}|-latest|-thinking|-(?:low|medium|high|xhigh|max))$/
const ONE_MILLION = /-1m$/
const FAMILY_FIRST = /^claude-([a-z]+)-(\d{1,2})-(\d{1,2})$/
const VERSION_FIRST = /^claude-(\d{1,2})-(\d{1,2})-([a-z]+)$/

/** The generic rule of docs/protocol.md §3.7 applied to a Claude name: suffixes off, `4-5` to `4.5`. */
function normaliseClaude(name: string): string {
  let current = name
  for (let previous = ''; previous !== current; ) {
    previous = current
    current = current.replace(SUFFIX, '')
  }
  return current.replace(FAMILY_FIRST, 'claude-$1-$2.$3').replace(VERSION_FIRST, 'claude-$1.$2-$3')
}

/**
 * A Claude name with its 1M-context marker resolved: an explicit `-1m` id (`claude-sonnet-4-5-1m`)
 * keeps its `-1m` Kiro id; Claude Code's `[1m]` suffix selects the table's `-1m` variant where the
 * model's own window is smaller, else the model itself (its window is already 1M).
 */
function withContext(base: string, explicit1m: boolean, bracket1m: boolean): string {
  if (!explicit1m && !bracket1m) return base
  const resolved = ALIASES.get(base) ?? base
  const info = BY_KIRO_ID.get(resolved)
  if (explicit1m) {
    const variant = `${resolved}-1m`
    if (BY_KIRO_ID.has(variant) || info === undefined || info.contextWindow < 1_000_000) return variant
    return resolved
  }
  if (bracket1m && info?.oneMillionId !== undefined) return info.oneMillionId
  return resolved
}

/**
 * Kiro's `modelId` for a model name.
 *
 * Order: an entry of `modelMap` for the exact name, then for the normalised name; a legacy
 * upper-case Kiro id (`CLAUDE_SONNET_4_5_20250929_V1_0`) as is; any `claude-*` name normalised
 * (`claude-opus-4-9-20270101` → `claude-opus-4.9`, `claude-sonnet-4-5[1m]` →
 * `claude-sonnet-4.5-1m`); anything else lower-cased and passed through, for Kiro to accept or reject.
 *
 * @param model - the `model` of the request.
 * @param modelMap - caller overrides, keyed by the name sent or by its normalised form.
 */
export function toKiroModelId(model: string, modelMap?: Readonly<Record<string, string>>): string {
  if (modelMap !== undefined && Object.hasOwn(modelMap, model)) return modelMap[model] as string
  if (LEGACY_UPPERCASE.test(model)) return model
  let base = model.trim().toLowerCase().replace(PREFIX, '')
  const bracket = BRACKET_SUFFIX.exec(base)
  if (bracket) base = base.slice(0, bracket.index)
  let normalised = base
  if (base.startsWith('claude-')) {
    let name = normaliseClaude(base)
    const explicit1m = ONE_MILLION.test(name)
    if (explicit1m) name = normaliseClaude(name.slice(0, -3))
    normalised = withContext(name, explicit1m, bracket?.[1] === '1m')
  }
  if (modelMap !== undefined && Object.hasOwn(modelMap, normalised)) return modelMap[normalised] as string
  return ALIASES.get(normalised) ?? normalised
}

/**
 * Kiro's `modelId` for a request's `model` and `betas`: Anthropic's 1M-context beta
 * (`context-1m-…`, in `betas` or the `anthropic-beta` header the server copies there) asks for
 * what Claude Code's `[1m]` suffix asks for, on a model name that has no suffix of its own.
 */
export function kiroModelIdOf(
  model: string,
  betas: unknown,
  modelMap?: Readonly<Record<string, string>>,
): string {
  const oneMillion =
    Array.isArray(betas) && betas.some((beta) => typeof beta === 'string' && beta.startsWith('context-1m-'))
  return toKiroModelId(oneMillion && !BRACKET_SUFFIX.test(model) ? `${model}[1m]` : model, modelMap)
}

/** The table entry for a Kiro model id, if the table knows it. */
export function kiroModelInfo(modelId: string): KiroModelInfo | undefined {
  return BY_KIRO_ID.get(modelId)
}

/** Context window of a Kiro model in tokens; {@link DEFAULT_CONTEXT_WINDOW} when unknown. */
export function contextWindowFor(modelId: string): number {
  return BY_KIRO_ID.get(modelId)?.contextWindow ?? DEFAULT_CONTEXT_WINDOW
}

/** Output cap of a Kiro model in tokens; {@link DEFAULT_MAX_OUTPUT_TOKENS} when unknown. */
export function maxOutputTokensFor(modelId: string): number {
  return BY_KIRO_ID.get(modelId)?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS
}

/** The Anthropic-style id of a Kiro model id (`claude-sonnet-4.5` → `claude-sonnet-4-5`); unknown ids as they are. */
export function anthropicModelId(kiroId: string): string {
  return BY_KIRO_ID.get(kiroId)?.id ?? kiroId
}
