import { describe, expect, it } from 'vitest'
import {
  anthropicModelId,
  contextWindowFor,
  DEFAULT_CONTEXT_WINDOW,
  DEFAULT_MAX_OUTPUT_TOKENS,
  KIRO_MODELS,
  kiroModelInfo,
  maxOutputTokensFor,
  toKiroModelId,
} from '../../src/translate/models.js'

describe('toKiroModelId', () => {
  const table: Array<[string, string]> = [
    ['claude-sonnet-4-5', 'claude-sonnet-4.5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4.5'],
    ['claude-sonnet-4-5[1m]', 'claude-sonnet-4.5-1m'],
    ['claude-sonnet-4-5-20250929[1m]', 'claude-sonnet-4.5-1m'],
    ['claude-sonnet-4-5-1m', 'claude-sonnet-4.5-1m'],
    ['claude-sonnet-4.5-1m', 'claude-sonnet-4.5-1m'],
    ['claude-sonnet-4-5-1m-thinking', 'claude-sonnet-4.5-1m'],
    ['claude-opus-4-6-1m', 'claude-opus-4.6-1m'],
    ['claude-sonnet-4-6-1m', 'claude-sonnet-4.6-1m'],
    ['claude-sonnet-5-1m', 'claude-sonnet-5-1m'],
    ['claude-opus-4-7-1m', 'claude-opus-4.7'],
    ['claude-haiku-4-5-1m', 'claude-haiku-4.5-1m'],
    ['claude-sonnet-4-5[200k]', 'claude-sonnet-4.5'],
    ['claude-opus-4-8[1m]', 'claude-opus-4.8'],
    ['claude-sonnet-4-5-latest', 'claude-sonnet-4.5'],
    ['Claude-Sonnet-4-5', 'claude-sonnet-4.5'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4.5'],
    ['claude-opus-4-5-20251101', 'claude-opus-4.5'],
    ['claude-opus-4-6', 'claude-opus-4.6'],
    ['claude-opus-4-6[1m]', 'claude-opus-4.6'],
    ['claude-sonnet-4-6', 'claude-sonnet-4.6'],
    ['claude-opus-4-7', 'claude-opus-4.7'],
    ['claude-opus-4-8', 'claude-opus-4.8'],
    ['claude-opus-5', 'claude-opus-5'],
    ['claude-opus-5-5', 'claude-opus-5.5'],
    ['claude-sonnet-5', 'claude-sonnet-5'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-sonnet-4-0', 'claude-sonnet-4'],
    ['claude-3-7-sonnet-20250219', 'claude-3.7-sonnet'],
    ['claude-sonnet-4-5-thinking', 'claude-sonnet-4.5'],
    ['claude-opus-4-6-high', 'claude-opus-4.6'],
    ['kiro/claude-sonnet-4.6', 'claude-sonnet-4.6'],
    ['kiro-auto', 'auto'],
    ['auto-kiro', 'auto'],
    ['auto', 'auto'],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4.5'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4.5'],
    ['claude-opus-4-9-20270101', 'claude-opus-4.9'],
    ['CLAUDE_SONNET_4_5_20250929_V1_0', 'CLAUDE_SONNET_4_5_20250929_V1_0'],
    ['gpt-5.6-sol', 'gpt-5.6-sol'],
    ['Qwen3-Coder-Next', 'qwen3-coder-next'],
    ['some-new-model', 'some-new-model'],
  ]
  for (const [name, id] of table) it(`${name} -> ${id}`, () => expect(toKiroModelId(name)).toBe(id))

  it('maps every table entry id to its Kiro id', () => {
    for (const model of KIRO_MODELS) expect(toKiroModelId(model.id)).toBe(model.kiroId)
  })

  it('lets the caller map override, by the exact name first, then by the normalised name', () => {
    const map = { 'claude-sonnet-4-5-20250929': 'exact', 'claude-sonnet-4.5': 'normalised' }
    expect(toKiroModelId('claude-sonnet-4-5-20250929', map)).toBe('exact')
    expect(toKiroModelId('claude-sonnet-4-5', map)).toBe('normalised')
    expect(toKiroModelId('claude-haiku-4-5', map)).toBe('claude-haiku-4.5')
    expect(toKiroModelId('toString', {})).toBe('tostring')
  })
})

describe('contextWindowFor', () => {
  it('uses the table (1M for the 4.6+ generation, 200K for 4.5)', () => {
    expect(contextWindowFor('claude-opus-4.6')).toBe(1_000_000)
    expect(contextWindowFor('claude-sonnet-4.6')).toBe(1_000_000)
    expect(contextWindowFor('claude-sonnet-4.5')).toBe(200_000)
    expect(contextWindowFor('qwen3-coder-next')).toBe(256_000)
    expect(contextWindowFor('deepseek-3.2')).toBe(128_000)
  })
  it('falls back for unknown models', () => {
    expect(contextWindowFor('mystery')).toBe(DEFAULT_CONTEXT_WINDOW)
  })
  it('has unique ids and Kiro ids, display names and positive windows', () => {
    expect(new Set(KIRO_MODELS.map((m) => m.id)).size).toBe(KIRO_MODELS.length)
    expect(new Set(KIRO_MODELS.map((m) => m.kiroId)).size).toBe(KIRO_MODELS.length)
    for (const m of KIRO_MODELS) {
      expect(m.displayName).not.toBe('')
      expect(m.contextWindow).toBeGreaterThan(0)
      expect(kiroModelInfo(m.kiroId)).toBe(m)
    }
  })
})

describe('output caps and native effort in the table', () => {
  it("caps from Kiro's effort page for the 4.6+ models, a default for unknown ones", () => {
    expect(maxOutputTokensFor('claude-opus-4.8')).toBe(128_000)
    expect(maxOutputTokensFor('claude-opus-4.7')).toBe(64_000)
    expect(maxOutputTokensFor('claude-opus-4.6')).toBe(64_000)
    expect(maxOutputTokensFor('claude-sonnet-4.6')).toBe(64_000)
    expect(maxOutputTokensFor('mystery')).toBe(DEFAULT_MAX_OUTPUT_TOKENS)
  })
  it('native effort on Opus 4.6+, Sonnet 4.6+ and GPT only; xhigh on Opus 4.7, 4.8 and 5 and GPT-5.6 Sol', () => {
    const native = KIRO_MODELS.filter((m) => m.nativeEffortField !== undefined).map((m) => m.kiroId)
    expect(native.sort()).toEqual(
      [
        'claude-opus-4.6',
        'claude-opus-4.6-1m',
        'claude-opus-4.7',
        'claude-opus-4.8',
        'claude-opus-5',
        'claude-opus-5.5',
        'claude-sonnet-4.6',
        'claude-sonnet-4.6-1m',
        'claude-sonnet-5',
        'claude-sonnet-5-1m',
        'gpt-5.6-luna',
        'gpt-5.6-sol',
        'gpt-5.6-terra',
      ].sort(),
    )
    const xhigh = KIRO_MODELS.filter(
      (m) => m.nativeEffortField === 'output_config' && m.effortLevels?.includes('xhigh'),
    )
    expect(xhigh.map((m) => m.kiroId).sort()).toEqual([
      'claude-opus-4.7',
      'claude-opus-4.8',
      'claude-opus-5',
      'claude-opus-5.5',
    ])
    const gptXhigh = KIRO_MODELS.filter(
      (m) => m.nativeEffortField === 'reasoning' && m.effortLevels?.includes('xhigh'),
    )
    expect(gptXhigh.map((m) => m.kiroId)).toEqual(['gpt-5.6-sol'])
  })
  it('every 1M variant the [1m] suffix selects is in the table with a 1M window', () => {
    for (const model of KIRO_MODELS) {
      if (model.oneMillionId === undefined) continue
      expect(kiroModelInfo(model.oneMillionId)?.contextWindow).toBe(1_000_000)
    }
  })
  it('maps Kiro ids back to the Anthropic-style ids', () => {
    expect(anthropicModelId('claude-sonnet-4.5')).toBe('claude-sonnet-4-5')
    expect(anthropicModelId('claude-sonnet-4.5-1m')).toBe('claude-sonnet-4-5-1m')
    expect(anthropicModelId('something-else')).toBe('something-else')
  })
})
