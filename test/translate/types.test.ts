import type Anthropic from '@anthropic-ai/sdk'
import type Anthropic0 from 'anthropic-sdk-0x'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import type {
  MessageCountTokensParams,
  MessageCreateParams,
  MessageParam,
  ToolUnion,
} from '../../src/types/anthropic-request.js'

describe('both API dialects', () => {
  it('accepts params typed with either SDK line as they are (checked by tsc)', () => {
    expectTypeOf<Anthropic.MessageCreateParamsNonStreaming>().toExtend<MessageCreateParams>()
    expectTypeOf<Anthropic.MessageCreateParamsStreaming>().toExtend<MessageCreateParams>()
    expectTypeOf<Anthropic0.MessageCreateParamsNonStreaming>().toExtend<MessageCreateParams>()
    expectTypeOf<Anthropic0.MessageCreateParamsStreaming>().toExtend<MessageCreateParams>()
    expectTypeOf<Anthropic.MessageParam>().toExtend<MessageParam>()
    expectTypeOf<Anthropic0.MessageParam>().toExtend<MessageParam>()
    expectTypeOf<Anthropic.ToolUnion>().toExtend<ToolUnion>()
    expectTypeOf<Anthropic.MessageCountTokensParams>().toExtend<MessageCountTokensParams>()
  })

  it('translates SDK 1.x params (role:"system" messages, output_config)', () => {
    const params: Anthropic.MessageCreateParamsStreaming = {
      model: 'claude-opus-4-6',
      max_tokens: 1000,
      stream: true,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'low' },
      messages: [
        { role: 'system', content: 'Be concise.' },
        { role: 'user', content: 'Hi' },
      ],
    }
    const t = toKiroRequest(params)
    // Opus 4.6 takes Kiro's native envelope (docs/protocol.md §3.9), not prompt tags.
    expect(t.body.conversationState.currentMessage.userInputMessage.content).toBe('Be concise.\n\nHi')
    expect(t.body.additionalModelRequestFields).toEqual({
      thinking: { type: 'adaptive', display: 'summarized' },
      output_config: { effort: 'low' },
      max_tokens: 1024,
    })
    expect(t.thinking).toBe('native')
    expect(t.ignored).toEqual([])
  })

  it('translates SDK 0.x params (sampling parameters)', () => {
    const params: Anthropic0.MessageCreateParamsNonStreaming = {
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 1000,
      temperature: 0.3,
      top_k: 5,
      messages: [{ role: 'user', content: 'Hi' }],
    }
    expect(toKiroRequest(params).ignored).toEqual(['max_tokens', 'temperature', 'top_k'])
  })
})
