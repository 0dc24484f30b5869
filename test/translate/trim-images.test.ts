import { describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors/index.js'
import type { ChatMessage, UserInputMessage } from '../../src/translate/kiro-types.js'
import { imagesRemoved } from '../../src/translate/placeholders.js'
import { checkKiroRequest } from '../../src/translate/shape-checker.js'
import { DEFAULT_MAX_BODY_BYTES, utf8Length } from '../../src/translate/size.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import type { MessageCreateParams, MessageParam } from '../../src/types/anthropic-request.js'

/** A base64 PNG-like payload of about `kb` KB (valid base64, which the translator checks). */
const screenshot = (kb: number, seed: number) => {
  const unit = Buffer.from(`screenshot ${seed} `).toString('base64').replace(/=+$/, '')
  const data = unit.repeat(Math.ceil((kb * 1024) / unit.length)).slice(0, kb * 1024)
  return data.slice(0, data.length - (data.length % 4))
}

/**
 * A Claude Code-like session: each round the assistant takes a screenshot (a tool call) and the
 * result carries a ~100 KB image, then a line of text.
 */
function session(rounds: number, kb = 100): MessageCreateParams {
  const tools = [
    { name: 'screenshot', description: 'Take a screenshot.', input_schema: { type: 'object' as const } },
  ]
  const messages: MessageParam[] = [{ role: 'user', content: 'Check the page layout.' }]
  for (let i = 0; i < rounds; i++) {
    messages.push({
      role: 'assistant',
      content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'screenshot', input: { n: i } }],
    })
    messages.push({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: `toolu_${i}`,
          content: [
            { type: 'text', text: `Screenshot ${i}.` },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: screenshot(kb, i) } },
          ],
        },
      ],
    })
  }
  return { model: 'claude-sonnet-4-5', max_tokens: 100, tools, messages }
}

const user = (m: ChatMessage | undefined): UserInputMessage | undefined =>
  m !== undefined && 'userInputMessage' in m ? m.userInputMessage : undefined

describe('trimImages: old images give way before anything else', () => {
  it('8 screenshots of 100 KB are refused without it, and fit with it', () => {
    const params = session(8)
    expect(() => toKiroRequest(params)).toThrow(/^prompt is too long: \d+ tokens > \d+ maximum\./)

    const t = toKiroRequest(params, { trimImages: true })
    expect(utf8Length(t.serialized)).toBeLessThanOrEqual(DEFAULT_MAX_BODY_BYTES)
    expect(checkKiroRequest(t.body)).toEqual([])
    expect(t.trimmedTurns).toBe(0)
    expect(t.trimmedImages).toBeGreaterThan(0)
    // Only as many as needed, oldest first: 8 x ~100 KB against 600 KB leaves most of them.
    expect(t.trimmedImages).toBeLessThanOrEqual(3)

    const history = t.body.conversationState.history ?? []
    const users = [...history.map(user), t.body.conversationState.currentMessage.userInputMessage].filter(
      (m): m is UserInputMessage => m !== undefined,
    )
    const withImages = users.map((m) => (m.images?.length ?? 0) > 0)
    // The oldest lost their images, the newest kept theirs; no text was lost anywhere.
    expect(withImages.indexOf(true)).toBe(t.trimmedImages + 1)
    expect(withImages.slice(-3)).toEqual([true, true, true])
    for (let i = 1; i <= t.trimmedImages; i++) {
      expect(users[i]?.content).toContain(imagesRemoved(1))
      expect(users[i]?.userInputMessageContext?.toolResults?.[0]?.content[0]).toEqual({
        text: `Screenshot ${i - 1}.`,
      })
    }
    expect(history).toHaveLength(16)
  })

  it('never touches the images of the last keepTurns user messages', () => {
    const params = session(4, 200)
    // Four 200 KB images and a limit that only fits one: with keepTurns 3, three must stay.
    const limit = 300_000
    expect(() => toKiroRequest(params, { maxBodyBytes: limit, trimImages: true })).toThrow(
      /^prompt is too long: .*too large for Kiro/,
    )
    const kept = toKiroRequest(params, { maxBodyBytes: 700_000, trimImages: { keepTurns: 3 } })
    expect(kept.trimmedImages).toBe(1)
    const one = toKiroRequest(params, { maxBodyBytes: limit, trimImages: { keepTurns: 1 } })
    expect(one.trimmedImages).toBe(3)
    expect(one.body.conversationState.currentMessage.userInputMessage.images).toHaveLength(1)
  })

  it('falls back to trimHistory when the images were not enough', () => {
    const params = session(4, 200)
    const t = toKiroRequest(params, { maxBodyBytes: 300_000, trimImages: true, trimHistory: true })
    expect(utf8Length(t.serialized)).toBeLessThanOrEqual(300_000)
    expect(t.trimmedTurns).toBeGreaterThan(0)
    expect(checkKiroRequest(t.body, { maxBodyBytes: 300_000 })).toEqual([])
  })

  it('does nothing to a body that fits, and keeps the system text on a first message it changes', () => {
    const small = session(2, 10)
    expect(toKiroRequest(small, { trimImages: true }).trimmedImages).toBe(0)
    const first: MessageParam = {
      role: 'user',
      content: [
        { type: 'text', text: 'Look at this.' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: screenshot(300, 9) } },
      ],
    }
    const params: MessageCreateParams = {
      ...session(3, 150),
      system: 'SYSTEM TEXT',
    }
    params.messages = [first, ...params.messages.slice(1)]
    const t = toKiroRequest(params, { trimImages: true })
    const opening = user(t.body.conversationState.history?.[0])
    expect(opening?.images).toBeUndefined()
    expect(opening?.content).toBe(`SYSTEM TEXT\n\nLook at this.\n\n${imagesRemoved(1)}`)
  })

  it('rejects a bad keepTurns by name', () => {
    expect(() => toKiroRequest(session(8), { trimImages: { keepTurns: 0 } })).toThrow(ConfigurationError)
    expect(() => toKiroRequest(session(1, 1), { trimImages: { keepTurns: 1.5 } })).toThrow(
      /trimImages\.keepTurns/,
    )
  })
})
