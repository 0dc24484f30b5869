import { describe, expect, it } from 'vitest'
import { estimateInputTokens, IMAGE_TOKENS } from '../../src/translate/token-estimate.js'
import { estimateTokens } from '../../src/translate/tokens.js'
import type { MessageCountTokensParams } from '../../src/types/anthropic-request.js'
import { PNG } from '../fixtures/translate/golden-cases.js'

const params = (extra: Partial<MessageCountTokensParams>): MessageCountTokensParams => ({
  model: 'm',
  messages: [],
  ...extra,
})

describe('estimateInputTokens', () => {
  it('counts text pieces with estimateTokens, ASCII and not', () => {
    const ascii = 'Hello there, how are you today?'
    const wide = '今日はいい天気ですね 🎉'
    expect(estimateInputTokens(params({ messages: [{ role: 'user', content: ascii }] }))).toBe(
      estimateTokens(ascii),
    )
    expect(estimateInputTokens(params({ system: wide, messages: [{ role: 'user', content: ascii }] }))).toBe(
      estimateTokens(wide) + estimateTokens(ascii),
    )
  })

  it('counts a fixed figure per image, thinking, tool calls and results, and tool definitions', () => {
    const input = { path: 'a.txt' }
    const schema = { type: 'object' as const, properties: { path: { type: 'string' } } }
    const total = estimateInputTokens(
      params({
        tools: [{ name: 'read', description: 'Read a file.', input_schema: schema }],
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 's' },
              { type: 'tool_use', id: 't', name: 'read', input },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'contents' }] },
            ],
          },
        ],
      }),
    )
    const expected =
      IMAGE_TOKENS +
      estimateTokens('hmm') +
      estimateTokens('read') +
      estimateTokens(JSON.stringify(input)) +
      estimateTokens('contents') +
      estimateTokens('read') +
      estimateTokens('Read a file.') +
      estimateTokens(JSON.stringify(schema))
    expect(total).toBe(expected)
  })

  it('never throws on odd input', () => {
    const odd = {
      model: 'm',
      messages: [null, 3, { role: 'user', content: [null, { type: 'mystery', content: { a: 1 } }] }],
      tools: [null, 'x'],
    }
    expect(estimateInputTokens(odd as unknown as MessageCountTokensParams)).toBeGreaterThan(0)
  })
})
