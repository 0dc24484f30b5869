import { describe, expect, it } from 'vitest'
import { BadRequestError, RateLimitError } from '../../src/errors/api-error.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { KIRO_REFUSAL_RATIO } from '../../src/translate/context-limit.js'
import { estimateInputTokens } from '../../src/translate/token-estimate.js'
import type { MessageCreateParams } from '../../src/types/anthropic-request.js'
import { params, rejectionOf, setup } from './helpers.js'

const TOO_LONG = { message: 'Input is too long.', reason: 'CONTENT_LENGTH_EXCEEDS_THRESHOLD' }
const CLAUDE_CODE_PATTERN = /prompt is too long[^0-9]*(\d+)\s*tokens?\s*>\s*(\d+)/i

describe("Kiro's own context-size refusal", () => {
  it.each([400, 429])(
    'on a %i is restated as prompt is too long: N tokens > M maximum, N our estimate',
    async (status) => {
      const { sim, client } = await setup({ maxRetries: 0 })
      sim.enqueue([{ error: { status, body: TOO_LONG } }])
      const error = await rejectionOf(client.messages.create(params))
      expect(error).toBeInstanceOf(BadRequestError)
      expect((error as BadRequestError).status).toBe(400)
      expect((error as BadRequestError).reason).toBe('CONTENT_LENGTH_EXCEEDS_THRESHOLD')
      const match = CLAUDE_CODE_PATTERN.exec(error.message)
      const estimate = estimateInputTokens(params)
      expect(match?.slice(1).map(Number)).toEqual([
        estimate,
        Math.min(estimate - 1, Math.floor(estimate * KIRO_REFUSAL_RATIO)),
      ])
      expect(error.message).toMatch(/Kiro refused the conversation .*\(CONTENT_LENGTH_EXCEEDS_THRESHOLD\)\./)
    },
  )

  it('arriving as the first frame of a stream, is restated the same way', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    sim.enqueue([
      { exception: { type: 'ValidationException', message: 'Input is too long for this model.' } },
    ])
    const error = await rejectionOf(client.messages.stream(params).finalMessage())
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error.message).toMatch(CLAUDE_CODE_PATTERN)
  })
})

describe('the client options for long sessions', () => {
  const screenshots = (count: number): MessageCreateParams & { stream?: false } => {
    const data = 'iVBORw0KGgo'.padEnd(100 * 1024, 'A')
    const messages: MessageCreateParams['messages'][number][] = []
    for (let i = 0; i < count; i++) {
      messages.push({
        role: 'user',
        content: [
          { type: 'text', text: `Screen ${i}` },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data } },
        ],
      })
      messages.push({ role: 'assistant', content: `Seen ${i}.` })
    }
    messages.push({ role: 'user', content: 'Which screen had the error?' })
    return { model: 'claude-sonnet-4-5', max_tokens: 100, messages }
  }

  it('trimImages sends 8 old screenshots of 100 KB as fewer images and a note, instead of refusing', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    const refused = await rejectionOf(client.messages.create(screenshots(8)))
    expect(refused.message).toMatch(CLAUDE_CODE_PATTERN)
    expect(sim.generateRequests).toHaveLength(0)

    sim.enqueue([{ text: 'Screen 3.' }])
    const trimming = client.withOptions({ trimImages: true })
    const message = await trimming.messages.create(screenshots(8))
    expect(message.content).toMatchObject([{ type: 'text', text: 'Screen 3.' }])
    const sent = sim.generateRequests[0]
    expect(sent?.bodyBytes).toBeLessThanOrEqual(600_000)
    expect(sent?.body).toContain('removed to fit Kiro')
  })

  it("retryScope 'transient' answers a throttle at once, with Kiro's wait on the error", async () => {
    const { sim, client } = await setup({ maxRetries: 3, retryScope: 'transient' })
    sim.enqueue([
      { error: { status: 429, body: { message: 'Rate exceeded.' }, headers: { 'retry-after': '5' } } },
    ])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(5000)
    expect(error.message).toBe(
      'Kiro is throttling requests: Rate exceeded. Wait and try again. Kiro asks to wait 5 s before retrying.',
    )
    expect(sim.generateRequests).toHaveLength(1)

    // A 5xx is still retried: the caller could not have seen it.
    sim.enqueue([{ error: { status: 502, body: {} } }], [{ text: 'ok' }])
    await expect(client.messages.create(params)).resolves.toMatchObject({ stop_reason: 'end_turn' })
    expect(sim.generateRequests).toHaveLength(3)
  })

  it("retryScope 'all' (the default) retries the throttle itself", async () => {
    const { sim, client } = await setup({ maxRetries: 3 })
    sim.enqueue(
      [{ error: { status: 429, body: { message: 'Rate exceeded.' }, headers: { 'retry-after': '0' } } }],
      [{ text: 'ok' }],
    )
    await expect(client.messages.create(params)).resolves.toMatchObject({ stop_reason: 'end_turn' })
    expect(sim.generateRequests).toHaveLength(2)
  })

  it('rejects bad values of the new options by name', async () => {
    const { client } = await setup()
    expect(() => client.withOptions({ retryScope: 'some' as 'all' })).toThrow(ConfigurationError)
    expect(() => client.withOptions({ trimImages: { keepTurns: 0 } })).toThrow(/trimImages/)
  })
})
