/** One entry of `ListAvailableModels` (docs/protocol.md §1.5). */
export interface SimulatedModel {
  modelId: string
  modelName?: string
  description?: string
  rateMultiplier?: number
  rateUnit?: string
  tokenLimits?: { maxInputTokens?: number; maxOutputTokens?: number }
  supportedInputTypes?: ('IMAGE' | 'TEXT')[]
  supportsPromptCache?: boolean
}

const model = (
  modelId: string,
  modelName: string,
  maxInputTokens: number,
  rateMultiplier: number,
): SimulatedModel => ({
  modelId,
  modelName,
  description: `${modelName} (simulated)`,
  rateMultiplier,
  rateUnit: 'Credit',
  tokenLimits: { maxInputTokens, maxOutputTokens: 64_000 },
  supportedInputTypes: ['TEXT', 'IMAGE'],
  supportsPromptCache: true,
})

/** A small list in the shape Kiro answers; the windows follow docs/protocol.md §3.7. */
export const SIMULATED_MODELS: readonly SimulatedModel[] = [
  model('auto', 'Auto', 200_000, 1),
  model('claude-sonnet-4.5', 'Claude Sonnet 4.5', 200_000, 1.3),
  model('claude-sonnet-4.6', 'Claude Sonnet 4.6', 1_000_000, 1.3),
  model('claude-haiku-4.5', 'Claude Haiku 4.5', 200_000, 0.4),
  model('claude-opus-4.6', 'Claude Opus 4.6', 1_000_000, 2.2),
]
