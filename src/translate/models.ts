/**
 * Model names: Anthropic-style ids to Kiro `modelId`s (docs/protocol.md §3.7), and the context
 * window of each Kiro model (for usage math).
 */

/** One model Kiro serves. */
export interface KiroModelInfo {
  /** The Anthropic-style id callers send and `models.list()` shows. */
  readonly id: string
  /** Kiro's `modelId`. */
  readonly kiroId: string
  readonly displayName: string
  /** Input context window in tokens. */
  readonly contextWindow: number
  /** The request field that takes a native reasoning effort (docs/protocol.md §3.9), for the models that have one. */
  readonly nativeEffortField?: 'output_config' | 'reasoning'
}

const M = 1_000_000
const K200 = 200_000

/**
 * The models known to be served by Kiro (docs/protocol.md §3.7; context windows from kiro.dev/docs/models as
 * quoted there). Kiro's `ListAvailableModels` is authoritative at runtime; this table is the
 * fallback and the source of context windows.
 */
export const KIRO_MODELS: readonly KiroModelInfo[] = [
  {
    id: 'claude-opus-5-5',
    kiroId: 'claude-opus-5.5',
    displayName: 'Claude Opus 5.5',
    contextWindow: M,
    nativeEffortField: 'output_config',
  },
  {
    id: 'claude-opus-5',
    kiroId: 'claude-opus-5',
    displayName: 'Claude Opus 5',
    contextWindow: M,
    nativeEffortField: 'output_config',
  },
  { id: 'claude-sonnet-5', kiroId: 'claude-sonnet-5', displayName: 'Claude Sonnet 5', contextWindow: M },
  { id: 'claude-opus-4-8', kiroId: 'claude-opus-4.8', displayName: 'Claude Opus 4.8', contextWindow: M },
  { id: 'claude-opus-4-7', kiroId: 'claude-opus-4.7', displayName: 'Claude Opus 4.7', contextWindow: M },
  { id: 'claude-opus-4-6', kiroId: 'claude-opus-4.6', displayName: 'Claude Opus 4.6', contextWindow: M },
  {
    id: 'claude-sonnet-4-6',
    kiroId: 'claude-sonnet-4.6',
    displayName: 'Claude Sonnet 4.6',
    contextWindow: M,
  },
  // Sources disagree (docs/protocol.md §3.7: 1M in A2A, 200K in OCX); OCX cites kiro.dev's model page.
  { id: 'claude-opus-4-5', kiroId: 'claude-opus-4.5', displayName: 'Claude Opus 4.5', contextWindow: K200 },
  {
    id: 'claude-sonnet-4-5',
    kiroId: 'claude-sonnet-4.5',
    displayName: 'Claude Sonnet 4.5',
    contextWindow: K200,
  },
  {
    id: 'claude-haiku-4-5',
    kiroId: 'claude-haiku-4.5',
    displayName: 'Claude Haiku 4.5',
    contextWindow: K200,
  },
  { id: 'claude-sonnet-4', kiroId: 'claude-sonnet-4', displayName: 'Claude Sonnet 4', contextWindow: K200 },
  {
    id: 'claude-3-7-sonnet',
    kiroId: 'claude-3.7-sonnet',
    displayName: 'Claude Sonnet 3.7',
    contextWindow: K200,
  },
  { id: 'auto', kiroId: 'auto', displayName: 'Kiro Auto (router)', contextWindow: K200 },
  { id: 'deepseek-3.2', kiroId: 'deepseek-3.2', displayName: 'DeepSeek 3.2', contextWindow: 128_000 },
  { id: 'glm-5', kiroId: 'glm-5', displayName: 'GLM-5', contextWindow: K200 },
  { id: 'minimax-m2.1', kiroId: 'minimax-m2.1', displayName: 'MiniMax M2.1', contextWindow: K200 },
  { id: 'minimax-m2.5', kiroId: 'minimax-m2.5', displayName: 'MiniMax M2.5', contextWindow: K200 },
  {
    id: 'qwen3-coder-next',
    kiroId: 'qwen3-coder-next',
    displayName: 'Qwen3 Coder Next',
    contextWindow: 256_000,
  },
  {
    id: 'gpt-5.6-sol',
    kiroId: 'gpt-5.6-sol',
    displayName: 'GPT-5.6 Sol',
    contextWindow: 272_000,
    nativeEffortField: 'reasoning',
  },
  {
    id: 'gpt-5.6-terra',
    kiroId: 'gpt-5.6-terra',
    displayName: 'GPT-5.6 Terra',
    contextWindow: 272_000,
    nativeEffortField: 'reasoning',
  },
  {
    id: 'gpt-5.6-luna',
    kiroId: 'gpt-5.6-luna',
    displayName: 'GPT-5.6 Luna',
    contextWindow: 272_000,
    nativeEffortField: 'reasoning',
  },
]

/** Context window assumed for a model the table does not know. */
export const DEFAULT_CONTEXT_WINDOW = K200

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
const BRACKET_SUFFIX = /\[[^\]]*\]$/
// One suffix per pass: Bedrock version, date, -latest, -thinking, an effort level.
const SUFFIX = /(?:-v\d+(?::\d+)?|-\d{8}|-latest|-thinking|-(?:low|medium|high|xhigh|max))$/
const FAMILY_FIRST = /^claude-([a-z]+)-(\d{1,2})-(\d{1,2})$/
const VERSION_FIRST = /^claude-(\d{1,2})-(\d{1,2})-([a-z]+)$/

/** Lower case, without provider prefix and `[1m]`-style context suffix. */
function baseName(model: string): string {
  return model.trim().toLowerCase().replace(PREFIX, '').replace(BRACKET_SUFFIX, '')
}

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
 * Kiro's `modelId` for a model name.
 *
 * Order: an entry of `modelMap` for the exact name, then for the normalised name; a model of
 * {@link KIRO_MODELS}; a legacy upper-case Kiro id (`CLAUDE_SONNET_4_5_20250929_V1_0`) as is;
 * any other `claude-*` name normalised (`claude-opus-4-9-20270101` → `claude-opus-4.9`); anything
 * else lower-cased and passed through, for Kiro to accept or reject.
 *
 * @param model - the `model` of the request.
 * @param modelMap - caller overrides, keyed by the name sent or by its normalised form.
 */
export function toKiroModelId(model: string, modelMap?: Readonly<Record<string, string>>): string {
  if (modelMap !== undefined && Object.hasOwn(modelMap, model)) return modelMap[model] as string
  if (LEGACY_UPPERCASE.test(model)) return model
  const base = baseName(model)
  const normalised = base.startsWith('claude-') ? normaliseClaude(base) : base
  if (modelMap !== undefined && Object.hasOwn(modelMap, normalised)) return modelMap[normalised] as string
  return ALIASES.get(normalised) ?? normalised
}

/** The table entry for a Kiro model id, if the table knows it. */
export function kiroModelInfo(modelId: string): KiroModelInfo | undefined {
  return BY_KIRO_ID.get(modelId)
}

/** Context window of a Kiro model in tokens; {@link DEFAULT_CONTEXT_WINDOW} when unknown. */
export function contextWindowFor(modelId: string): number {
  return BY_KIRO_ID.get(modelId)?.contextWindow ?? DEFAULT_CONTEXT_WINDOW
}
