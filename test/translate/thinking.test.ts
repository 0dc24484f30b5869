import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../src/errors/index.js'
import { planThinking } from '../../src/translate/thinking.js'

const tags = (budget: number) =>
  `<thinking_mode>enabled</thinking_mode><max_thinking_length>${budget}</max_thinking_length>`
const adaptive = (effort: string) =>
  `<thinking_mode>adaptive</thinking_mode><thinking_effort>${effort}</thinking_effort>`

describe('planThinking: prompt tags for models without native reasoning', () => {
  const model = 'claude-sonnet-4.5'
  it('absent or disabled: no tags', () => {
    expect(planThinking(undefined, undefined, model)).toEqual({ mode: 'off' })
    expect(planThinking({ type: 'disabled' }, { effort: 'high' }, model)).toEqual({ mode: 'off' })
    expect(planThinking(undefined, { effort: 'high' }, model)).toEqual({ mode: 'off' })
  })
  it('enabled: the budget clamped to [1024, 24576] by default', () => {
    expect(planThinking({ type: 'enabled', budget_tokens: 31999 }, undefined, model)).toEqual({
      mode: 'tags',
      tags: tags(24576),
    })
    expect(planThinking({ type: 'enabled', budget_tokens: 5000 }, undefined, model).tags).toBe(tags(5000))
    expect(planThinking({ type: 'enabled', budget_tokens: 10 }, undefined, model).tags).toBe(tags(1024))
  })
  it('enabled: caller bounds', () => {
    expect(
      planThinking({ type: 'enabled', budget_tokens: 31999 }, undefined, model, { max: 8000 }).tags,
    ).toBe(tags(8000))
    expect(planThinking({ type: 'enabled', budget_tokens: 100 }, undefined, model, { min: 2000 }).tags).toBe(
      tags(2000),
    )
    // A max under the min cannot push the budget under the min.
    expect(
      planThinking({ type: 'enabled', budget_tokens: 100 }, undefined, model, { min: 3000, max: 1 }).tags,
    ).toBe(tags(3000))
  })
  it('adaptive: effort from output_config, xhigh and max as high, default high', () => {
    expect(planThinking({ type: 'adaptive' }, undefined, model).tags).toBe(adaptive('high'))
    expect(planThinking({ type: 'adaptive' }, { effort: 'low' }, model).tags).toBe(adaptive('low'))
    expect(planThinking({ type: 'adaptive' }, { effort: 'medium' }, model).tags).toBe(adaptive('medium'))
    expect(planThinking({ type: 'adaptive' }, { effort: 'xhigh' }, model).tags).toBe(adaptive('high'))
    expect(planThinking({ type: 'adaptive', display: 'omitted' }, { effort: 'max' }, model).tags).toBe(
      adaptive('high'),
    )
    expect(planThinking({ type: 'between_tools' }, null, model).tags).toBe(adaptive('high'))
  })
})

describe('planThinking: native fields for the models that take them (docs/protocol.md §3.9)', () => {
  const fields = (thinking: unknown, outputConfig: unknown, model: string, maxTokens?: number) =>
    planThinking(thinking, outputConfig, model, {}, { maxTokens }).additionalModelRequestFields

  it('Claude 4.6+: adaptive envelope with the effort and max_tokens', () => {
    expect(
      planThinking({ type: 'adaptive' }, { effort: 'max' }, 'claude-opus-4.6', {}, { maxTokens: 32000 }),
    ).toEqual({
      mode: 'native',
      additionalModelRequestFields: {
        thinking: { type: 'adaptive', display: 'summarized' },
        output_config: { effort: 'max' },
        max_tokens: 32000,
      },
    })
    expect(fields({ type: 'adaptive', display: 'omitted' }, undefined, 'claude-opus-5.5')).toEqual({
      thinking: { type: 'adaptive', display: 'omitted' },
      output_config: { effort: 'high' },
    })
  })
  it('enabled with a budget: the adaptive envelope, the budget as an effort', () => {
    const effort = (budget: number) =>
      fields({ type: 'enabled', budget_tokens: budget }, undefined, 'claude-opus-4.8')?.output_config
    expect(effort(2000)).toEqual({ effort: 'low' })
    expect(effort(10_000)).toEqual({ effort: 'medium' })
    expect(effort(31_999)).toEqual({ effort: 'high' })
    expect(effort(100_000)).toEqual({ effort: 'xhigh' })
    // Opus 4.6 has no xhigh: the level below.
    expect(
      fields({ type: 'enabled', budget_tokens: 100_000 }, undefined, 'claude-opus-4.6')?.output_config,
    ).toEqual({
      effort: 'high',
    })
    // An explicit effort wins over the budget.
    expect(
      fields({ type: 'enabled', budget_tokens: 2000 }, { effort: 'max' }, 'claude-sonnet-4.6')?.output_config,
    ).toEqual({
      effort: 'max',
    })
  })
  it('xhigh only where Kiro lists it', () => {
    for (const model of ['claude-opus-4.7', 'claude-opus-4.8', 'claude-opus-5', 'claude-opus-5.5']) {
      expect(fields({ type: 'adaptive' }, { effort: 'xhigh' }, model)?.output_config).toEqual({
        effort: 'xhigh',
      })
    }
    for (const model of ['claude-opus-4.6', 'claude-sonnet-4.6', 'claude-sonnet-5', 'claude-sonnet-4.6-1m']) {
      expect(fields({ type: 'adaptive' }, { effort: 'xhigh' }, model)?.output_config).toEqual({
        effort: 'high',
      })
    }
  })
  it('thinking off with an explicit effort: thinking disabled, the effort kept; nothing asked: only max_tokens', () => {
    expect(planThinking({ type: 'disabled' }, { effort: 'low' }, 'claude-opus-4.6')).toEqual({
      mode: 'off',
      additionalModelRequestFields: { thinking: { type: 'disabled' }, output_config: { effort: 'low' } },
    })
    expect(
      planThinking(undefined, { effort: 'medium' }, 'claude-sonnet-4.6').additionalModelRequestFields,
    ).toEqual({
      thinking: { type: 'disabled' },
      output_config: { effort: 'medium' },
    })
    expect(planThinking(undefined, undefined, 'claude-opus-5')).toEqual({ mode: 'off' })
    expect(planThinking(undefined, undefined, 'claude-opus-5', {}, { maxTokens: 4096 })).toEqual({
      mode: 'off',
      additionalModelRequestFields: { max_tokens: 4096 },
    })
  })
  it('max_tokens clamped to [1024, the model cap]; the account cap wins over the table', () => {
    expect(fields(undefined, undefined, 'claude-opus-4.6', 200_000)).toEqual({ max_tokens: 64_000 })
    expect(fields(undefined, undefined, 'claude-opus-4.8', 200_000)).toEqual({ max_tokens: 128_000 })
    expect(fields(undefined, undefined, 'claude-opus-4.6', 10)).toEqual({ max_tokens: 1024 })
    expect(
      planThinking(
        undefined,
        undefined,
        'claude-opus-4.6',
        {},
        { maxTokens: 90_000, maxOutputTokens: 80_000 },
      ).additionalModelRequestFields,
    ).toEqual({ max_tokens: 80_000 })
  })
  it('GPT models: reasoning.effort only, never output_config, thinking or max_tokens', () => {
    for (const model of ['gpt-5.6-sol', 'gpt-5.6-terra', 'gpt-5.6-luna']) {
      // xhigh on Sol only; Terra and Luna get the level below.
      expect(planThinking({ type: 'adaptive' }, { effort: 'xhigh' }, model, {}, { maxTokens: 9000 })).toEqual(
        {
          mode: 'native',
          additionalModelRequestFields: { reasoning: { effort: model === 'gpt-5.6-sol' ? 'xhigh' : 'high' } },
        },
      )
      expect(fields({ type: 'enabled', budget_tokens: 2000 }, undefined, model, 9000)).toEqual({
        reasoning: { effort: 'low' },
      })
      expect(planThinking(undefined, undefined, model, {}, { maxTokens: 9000 })).toEqual({ mode: 'off' })
      expect(planThinking({ type: 'disabled' }, { effort: 'max' }, model)).toEqual({ mode: 'off' })
    }
    // An effort alone asks a GPT model to reason.
    expect(fields(undefined, { effort: 'max' }, 'gpt-5.6-luna')).toEqual({ reasoning: { effort: 'max' } })
  })
  it('models without a native field never get one: tags instead', () => {
    for (const model of ['claude-sonnet-4.5', 'claude-haiku-4.5', 'claude-opus-4.5', 'glm-5', 'unknown-x']) {
      const plan = planThinking({ type: 'adaptive' }, { effort: 'high' }, model, {}, { maxTokens: 9000 })
      expect(plan.additionalModelRequestFields).toBeUndefined()
      expect(plan.mode).toBe('tags')
    }
  })
})

describe('planThinking: validation', () => {
  it('rejects a thinking value that is not an object', () => {
    expect(() => planThinking('yes', undefined, 'm')).toThrow(BadRequestError)
    expect(() => planThinking('yes', undefined, 'm')).toThrow('thinking: Input should be a valid dictionary')
  })
  it('rejects an output_config that is not an object', () => {
    expect(() => planThinking(undefined, 5, 'm')).toThrow('output_config: Input should be a valid dictionary')
  })
})
