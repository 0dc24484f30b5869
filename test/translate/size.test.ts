import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../src/errors/index.js'
import type { ChatMessage } from '../../src/translate/kiro-types.js'
import { checkKiroRequest } from '../../src/translate/shape-checker.js'
import { DEFAULT_MAX_BODY_BYTES, utf8Length } from '../../src/translate/size.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import type { MessageCreateParams, MessageParam } from '../../src/types/anthropic-request.js'

const tool = { name: 'read', description: 'Read.', input_schema: { type: 'object' as const, properties: {} } }
const big = (n: number, tag: string) => `${tag} ${'x'.repeat(n)}`

/** `rounds` exchanges of a user prompt (if `prompts`) or tool results, each ~2 KB. */
function conversation(rounds: number, prompts: boolean): MessageCreateParams {
  const messages: MessageParam[] = [{ role: 'user', content: 'Start.' }]
  for (let i = 0; i < rounds; i++) {
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'read', input: { i } }],
    })
    const result = { type: 'tool_result' as const, tool_use_id: `toolu_${i}`, content: big(2000, `R${i}`) }
    messages.push({
      role: 'user',
      content: prompts && i % 3 === 2 ? [result, { type: 'text', text: `Prompt ${i}` }] : [result],
    })
    if (prompts && i % 3 === 2) {
      messages.push({ role: 'assistant', content: `Done ${i}.` })
      messages.push({ role: 'user', content: `Next ${i}.` })
    }
  }
  return {
    model: 'claude-sonnet-4-5',
    max_tokens: 10,
    system: 'SYSTEM PROMPT',
    thinking: { type: 'adaptive' },
    tools: [tool],
    messages,
  }
}

const userText = (m: ChatMessage | undefined) =>
  m !== undefined && 'userInputMessage' in m ? m.userInputMessage.content : undefined

describe('the body size limit', () => {
  it('defaults to 600,000 bytes', () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(600_000)
  })

  it('rejects a body over the limit with a clear BadRequestError, counting UTF-8 bytes', () => {
    const params: MessageCreateParams = {
      model: 'm',
      max_tokens: 1,
      messages: [{ role: 'user', content: '字'.repeat(250_000) }],
    }
    expect(() => toKiroRequest(params)).toThrow(BadRequestError)
    expect(() => toKiroRequest(params)).toThrow(
      /too large for Kiro: \d+ bytes, over the limit of 600000 bytes.*trimHistory: true/,
    )
    expect(toKiroRequest(params, { maxBodyBytes: 800_000 }).trimmedTurns).toBe(0)
  })

  it('trimHistory drops the oldest whole turns, keeps tool pairs, the system text and the thinking tags', () => {
    const params = conversation(30, true)
    const full = toKiroRequest(params)
    const max = Math.floor(utf8Length(full.serialized) / 2)
    expect(() => toKiroRequest(params, { maxBodyBytes: max })).toThrow(/too large/)
    const t = toKiroRequest(params, { maxBodyBytes: max, trimHistory: true })
    expect(utf8Length(t.serialized)).toBeLessThanOrEqual(max)
    expect(checkKiroRequest(t.body, { maxBodyBytes: max })).toEqual([])
    expect(t.trimmedTurns).toBeGreaterThan(0)
    const history = t.body.conversationState.history ?? []
    expect(history.length + t.trimmedTurns).toBe((full.body.conversationState.history ?? []).length)
    // Cut in front of a user prompt, so no tool pair was split: the new first message has no results.
    const first = history[0]
    expect(
      first !== undefined && 'userInputMessage' in first && first.userInputMessage.userInputMessageContext,
    ).toBeUndefined()
    expect(userText(first)).toMatch(
      /^<thinking_mode>adaptive<\/thinking_mode><thinking_effort>high<\/thinking_effort>\n\nSYSTEM PROMPT\n\nNext \d+\.$/,
    )
    // The newest turns are untouched.
    expect(t.body.conversationState.currentMessage).toEqual(full.body.conversationState.currentMessage)
  })

  it('when every cut splits a tool pair, the orphaned results become text', () => {
    const params = conversation(20, false)
    const max = Math.floor(utf8Length(toKiroRequest(params).serialized) / 3)
    const t = toKiroRequest(params, { maxBodyBytes: max, trimHistory: true })
    expect(checkKiroRequest(t.body, { maxBodyBytes: max })).toEqual([])
    const first = userText(t.body.conversationState.history?.[0])
    expect(first).toMatch(/^<thinking_mode>[\s\S]*SYSTEM PROMPT\n\n\[Tool result \(toolu_\d+\)\]\nR\d+ x+$/)
  })

  it('fails clearly when the current message alone is too large', () => {
    const params = conversation(3, false)
    params.messages = [
      ...params.messages,
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: big(5000, 'huge') },
    ]
    expect(() => toKiroRequest(params, { maxBodyBytes: 3000, trimHistory: true })).toThrow(
      /too large for Kiro: \d+ bytes even with all history dropped, over the limit of 3000 bytes\. Shorten the current message/,
    )
  })
})
