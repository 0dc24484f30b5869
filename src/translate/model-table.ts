import type { Effort } from '../types/anthropic-request.js'

/** One model Kiro serves (docs/protocol.md §3.7, §9.3). */
export interface KiroModelInfo {
  /** The Anthropic-style id callers send and `models.list()` shows. */
  readonly id: string
  /** Kiro's `modelId`. */
  readonly kiroId: string
  readonly displayName: string
  /** Input context window in tokens. */
  readonly contextWindow: number
  /** Largest answer in tokens (`max_tokens` upper bound where Kiro takes it). */
  readonly maxOutputTokens: number
  /**
   * The `additionalModelRequestFields` member that takes a native reasoning effort
   * (docs/protocol.md §3.9), for the models that have one.
   */
  readonly nativeEffortField?: 'output_config' | 'reasoning'
  /** The efforts the native field accepts; others are lowered to the nearest one below. */
  readonly effortLevels?: readonly Effort[]
  /** The Kiro id Claude Code's `[1m]` suffix selects, when the model's own window is smaller. */
  readonly oneMillionId?: string
}

const M = 1_000_000
const K200 = 200_000
const K64 = 64_000
const K128 = 128_000

/**
 * Without `xhigh`: Opus 4.6, Sonnet 4.6 and Sonnet 5 (kiro.dev/docs/cli/chat/effort), GPT-5.6 Terra
 * and Luna (OCX); docs/protocol.md §11.1.
 */
const FOUR: readonly Effort[] = ['low', 'medium', 'high', 'max']
const FIVE: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max']

type Row = [
  id: string,
  kiroId: string,
  displayName: string,
  contextWindow: number,
  maxOutputTokens: number,
  extra?: Pick<KiroModelInfo, 'nativeEffortField' | 'effortLevels' | 'oneMillionId'>,
]

const claude = (levels: readonly Effort[]) => ({
  nativeEffortField: 'output_config' as const,
  effortLevels: levels,
})
/** `reasoning.effort`; OCX measured all five levels on Sol, and no `xhigh` on Terra and Luna. */
const gpt = (levels: readonly Effort[]) => ({ nativeEffortField: 'reasoning' as const, effortLevels: levels })

/**
 * The models known to be served by Kiro, newest first. Windows and output caps: Kiro's effort page
 * for Opus 4.6 to 4.8 and Sonnet 4.6 (`max_tokens` 1024-64000, 128000 for Opus 4.8), peers for
 * the rest (docs/protocol.md §3.7, §9.3 has the sources). `ListAvailableModels` is authoritative at
 * runtime for the windows and caps it reports; this table is the fallback, and the only source of
 * the native-effort facts.
 */
const ROWS: readonly Row[] = [
  ['claude-opus-5-5', 'claude-opus-5.5', 'Claude Opus 5.5', M, K128, claude(FIVE)],
  ['claude-opus-5', 'claude-opus-5', 'Claude Opus 5', M, K128, claude(FIVE)],
  ['claude-sonnet-5', 'claude-sonnet-5', 'Claude Sonnet 5', M, K64, claude(FOUR)],
  ['claude-sonnet-5-1m', 'claude-sonnet-5-1m', 'Claude Sonnet 5 (1M)', M, K64, claude(FOUR)],
  ['claude-opus-4-8', 'claude-opus-4.8', 'Claude Opus 4.8', M, K128, claude(FIVE)],
  ['claude-opus-4-7', 'claude-opus-4.7', 'Claude Opus 4.7', M, K64, claude(FIVE)],
  ['claude-opus-4-6', 'claude-opus-4.6', 'Claude Opus 4.6', M, K64, claude(FOUR)],
  ['claude-opus-4-6-1m', 'claude-opus-4.6-1m', 'Claude Opus 4.6 (1M)', M, K64, claude(FOUR)],
  ['claude-sonnet-4-6', 'claude-sonnet-4.6', 'Claude Sonnet 4.6', M, K64, claude(FOUR)],
  ['claude-sonnet-4-6-1m', 'claude-sonnet-4.6-1m', 'Claude Sonnet 4.6 (1M)', M, K64, claude(FOUR)],
  // CONFLICT in the sources (1M in A2A, 200K in OCX); OCX cites kiro.dev's model page.
  ['claude-opus-4-5', 'claude-opus-4.5', 'Claude Opus 4.5', K200, K64],
  [
    'claude-sonnet-4-5',
    'claude-sonnet-4.5',
    'Claude Sonnet 4.5',
    K200,
    K64,
    { oneMillionId: 'claude-sonnet-4.5-1m' },
  ],
  ['claude-sonnet-4-5-1m', 'claude-sonnet-4.5-1m', 'Claude Sonnet 4.5 (1M)', M, K64],
  ['claude-haiku-4-5', 'claude-haiku-4.5', 'Claude Haiku 4.5', K200, K64],
  ['claude-sonnet-4', 'claude-sonnet-4', 'Claude Sonnet 4', K200, K64],
  ['claude-3-7-sonnet', 'claude-3.7-sonnet', 'Claude Sonnet 3.7', K200, 8_192],
  ['auto', 'auto', 'Kiro Auto (router)', K200, 8_192],
  ['gpt-5.6-sol', 'gpt-5.6-sol', 'GPT-5.6 Sol', 272_000, K128, gpt(FIVE)],
  ['gpt-5.6-terra', 'gpt-5.6-terra', 'GPT-5.6 Terra', 272_000, K128, gpt(FOUR)],
  ['gpt-5.6-luna', 'gpt-5.6-luna', 'GPT-5.6 Luna', 272_000, K128, gpt(FOUR)],
  ['deepseek-3.2', 'deepseek-3.2', 'DeepSeek 3.2', 128_000, 8_192],
  ['glm-5', 'glm-5', 'GLM-5', K200, 8_192],
  ['minimax-m2.1', 'minimax-m2.1', 'MiniMax M2.1', K200, 8_192],
  ['minimax-m2.5', 'minimax-m2.5', 'MiniMax M2.5', K200, 8_192],
  ['qwen3-coder-next', 'qwen3-coder-next', 'Qwen3 Coder Next', 256_000, 8_192],
]

/** The built-in model table (docs/protocol.md §3.7). */
export const KIRO_MODELS: readonly KiroModelInfo[] = ROWS.map(
  ([id, kiroId, displayName, contextWindow, maxOutputTokens, extra]) =>
    Object.freeze({ id, kiroId, displayName, contextWindow, maxOutputTokens, ...extra }),
)

/** Context window assumed for a model the table does not know. */
export const DEFAULT_CONTEXT_WINDOW = K200
/** Output cap assumed for a model the table does not know: the cap older notes give for Kiro. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8_192
