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

describe('planThinking: native effort for the models that take it (docs/protocol.md §3.9)', () => {
  it('claude-opus-5: output_config.effort', () => {
    expect(planThinking({ type: 'adaptive' }, { effort: 'max' }, 'claude-opus-5')).toEqual({
      mode: 'native',
      additionalModelRequestFields: { output_config: { effort: 'max' } },
    })
    expect(
      planThinking({ type: 'adaptive' }, undefined, 'claude-opus-5.5').additionalModelRequestFields,
    ).toEqual({
      output_config: { effort: 'high' },
    })
  })
  it('an explicit effort without thinking still goes native; nothing at all stays off', () => {
    expect(planThinking(undefined, { effort: 'low' }, 'claude-opus-5').mode).toBe('native')
    expect(planThinking(undefined, undefined, 'claude-opus-5')).toEqual({ mode: 'off' })
    expect(planThinking({ type: 'disabled' }, { effort: 'low' }, 'claude-opus-5')).toEqual({ mode: 'off' })
  })
  it('a manual budget becomes an effort', () => {
    const effort = (budget: number) =>
      planThinking({ type: 'enabled', budget_tokens: budget }, undefined, 'gpt-5.6-sol')
        .additionalModelRequestFields
    expect(effort(2000)).toEqual({ reasoning: { effort: 'low' } })
    expect(effort(10_000)).toEqual({ reasoning: { effort: 'medium' } })
    expect(effort(31_999)).toEqual({ reasoning: { effort: 'high' } })
  })
  it('luna and terra take no xhigh; sol does', () => {
    expect(
      planThinking({ type: 'adaptive' }, { effort: 'xhigh' }, 'gpt-5.6-luna').additionalModelRequestFields,
    ).toEqual({
      reasoning: { effort: 'high' },
    })
    expect(
      planThinking({ type: 'adaptive' }, { effort: 'xhigh' }, 'gpt-5.6-sol').additionalModelRequestFields,
    ).toEqual({
      reasoning: { effort: 'xhigh' },
    })
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
