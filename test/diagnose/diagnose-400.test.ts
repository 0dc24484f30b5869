import { describe, expect, it } from 'vitest'
import { firstRefused } from '../../src/diagnose/bisect.js'
import { explainImproperlyFormed } from '../../src/diagnose/explain-400.js'
import { prefixBody, userPositions } from '../../src/diagnose/probe-bodies.js'
import { APIError, BadRequestError } from '../../src/errors/api-error.js'
import type { MessageParam } from '../../src/types/anthropic-request.js'
import { params, setup } from '../client/helpers.js'

const improperlyFormed = () =>
  APIError.generate('Kiro answered "Improperly formed request."', {
    status: 400,
    error: { message: 'Improperly formed request.', reason: null },
    kiroErrorType: 'ValidationException',
  })

/** A conversation of `turns` user/assistant pairs, then a question. */
function conversation(turns: number, mark?: { turn: number; text: string }): MessageParam[] {
  const messages: MessageParam[] = []
  for (let i = 0; i < turns; i++) {
    messages.push({ role: 'user', content: `question ${i}` })
    messages.push({ role: 'assistant', content: mark?.turn === i ? mark.text : `answer ${i}` })
  }
  messages.push({ role: 'user', content: 'last question' })
  return messages
}

describe('probe bodies and the bisection', () => {
  it('cuts the conversation after a user message, which takes the tools', () => {
    const body = {
      profileArn: 'arn:x',
      conversationState: {
        chatTriggerType: 'MANUAL',
        history: [
          { userInputMessage: { content: 'a' } },
          {
            assistantResponseMessage: { content: 'b', toolUses: [{ toolUseId: 't', name: 'x', input: {} }] },
          },
          {
            userInputMessage: {
              content: 'c',
              userInputMessageContext: { toolResults: [{ toolUseId: 't' }] },
            },
          },
          { assistantResponseMessage: { content: 'd' } },
        ],
        currentMessage: { userInputMessage: { content: 'e', userInputMessageContext: { tools: [1, 2, 3] } } },
      },
    }
    expect(userPositions(body)).toEqual([0, 2, 4])
    expect(prefixBody(body, 2, 1)).toEqual({
      profileArn: 'arn:x',
      conversationState: {
        chatTriggerType: 'MANUAL',
        history: body.conversationState.history.slice(0, 2),
        currentMessage: {
          userInputMessage: {
            content: 'c',
            userInputMessageContext: { toolResults: [{ toolUseId: 't' }], tools: [1] },
          },
        },
      },
    })
    expect(prefixBody(body, 0, 0).conversationState).toEqual({
      chatTriggerType: 'MANUAL',
      currentMessage: { userInputMessage: { content: 'a' } },
    })
    // The refused body is not changed.
    expect(body.conversationState.history).toHaveLength(4)
  })

  it('binary search within the probe budget', async () => {
    const asked: number[] = []
    const bad = 37
    const result = await firstRefused(
      99,
      async (i) => {
        asked.push(i)
        return i >= bad
      },
      20,
    )
    expect(result).toEqual({ from: bad, to: bad, probes: asked.length })
    expect(asked.length).toBeLessThanOrEqual(7)
    expect(await firstRefused(99, async (i) => i >= bad, 3)).toMatchObject({ probes: 3 })
  })
})

describe('explaining "Improperly formed request." (docs/protocol.md §10)', () => {
  it('names the rule the shape checker finds broken', async () => {
    const body = JSON.stringify({
      conversationState: {
        chatTriggerType: 'MANUAL',
        history: [{ userInputMessage: { content: 'hi' } }, { assistantResponseMessage: { content: '' } }],
        currentMessage: { userInputMessage: { content: 'again' } },
      },
    })
    const explained = (await explainImproperlyFormed(improperlyFormed(), body)) as BadRequestError & {
      diagnosis: { issues: Array<{ rule: string }> }
    }
    expect(explained).toBeInstanceOf(BadRequestError)
    expect(explained.message).toContain(
      "rule 'non-empty-content' at conversationState.history.1.assistantResponseMessage.content: must be a non-empty string",
    )
    expect(explained.diagnosis.issues.map((i) => i.rule)).toEqual(['non-empty-content'])
    expect(explained.status).toBe(400)
    expect(explained.error).toEqual({ message: 'Improperly formed request.', reason: null })
  })

  it('leaves other errors alone', async () => {
    const throttled = APIError.generate('slow', { status: 429 })
    expect(await explainImproperlyFormed(throttled, '{}')).toBe(throttled)
    const other400 = APIError.generate('bad', { status: 400, error: { message: 'Input is too long.' } })
    expect(await explainImproperlyFormed(other400, '{}')).toBe(other400)
  })

  it('without diagnose400: no probe, a hint', async () => {
    const { sim, client } = await setup(
      {},
      { rejectBody: (body) => (JSON.stringify(body).includes('SECRET-RULE') ? 'x' : undefined) },
    )
    const error = await client.messages
      .create({ ...params, messages: conversation(3, { turn: 1, text: 'SECRET-RULE' }) })
      .catch((e: unknown) => e)
    expect((error as Error).message).toContain('The shape checker finds no broken rule')
    expect((error as Error).message).toContain('diagnose400')
    expect(sim.generateRequests).toHaveLength(1)
  })

  it('with diagnose400: bisects to the message Kiro refuses, in a few probes', async () => {
    const { sim, client } = await setup(
      { diagnose400: true },
      { rejectBody: (body) => (JSON.stringify(body).includes('SECRET-RULE') ? 'unknown rule' : undefined) },
    )
    const error = (await client.messages
      .create({ ...params, messages: conversation(20, { turn: 13, text: 'SECRET-RULE' }) })
      .catch((e: unknown) => e)) as BadRequestError & { diagnosis: { bisect?: unknown } }
    expect(error).toBeInstanceOf(BadRequestError)
    // Turn 13's answer is history entry 27 (each turn is a user and an assistant entry).
    expect(error.diagnosis.bisect).toEqual({
      kind: 'messages',
      acceptedThrough: 'conversationState.history.26',
      refusedFrom: 'conversationState.history.27',
      probes: expect.any(Number),
    })
    expect(error.message).toContain('refuses it from conversationState.history.27')
    const probes = sim.generateRequests.length - 1
    expect(probes).toBeLessThanOrEqual(5)
    expect(error.message).not.toContain('SECRET-RULE')
  })

  it('with diagnose400: bisects the tools of the first message', async () => {
    const tools = ['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((name) => ({
      name,
      description: name === 'delta' ? 'FORBIDDEN-TOOL' : `The ${name} tool.`,
      input_schema: { type: 'object' as const, properties: {} },
    }))
    const { client } = await setup(
      { diagnose400: true },
      {
        rejectBody: (body) => (JSON.stringify(body).includes('FORBIDDEN-TOOL') ? 'unknown rule' : undefined),
      },
    )
    const error = (await client.messages.create({ ...params, tools }).catch((e: unknown) => e)) as {
      diagnosis: { bisect?: unknown }
      message: string
    }
    expect(error.diagnosis.bisect).toMatchObject({
      kind: 'tool',
      name: 'delta',
      path: 'conversationState.currentMessage.userInputMessageContext.tools.3',
    })
    expect(error.message).toContain('Kiro refuses the tool delta')
  })

  it('a probe that fails otherwise stops the diagnosis and says why', async () => {
    let calls = 0
    const { sim, client } = await setup(
      { diagnose400: true, maxRetries: 0 },
      {
        rejectBody: (body) =>
          calls++ === 0 || JSON.stringify(body).includes('SECRET-RULE') ? 'x' : undefined,
      },
    )
    sim.setScript(() => [{ error: { status: 429, body: { message: 'Too many requests' } } }])
    const error = (await client.messages
      .create({ ...params, messages: conversation(4, { turn: 3, text: 'SECRET-RULE' }) })
      .catch((e: unknown) => e)) as { diagnosis: { bisect?: { kind: string } }; message: string }
    expect(error.diagnosis.bisect?.kind).toBe('stopped')
    expect(error.message).toContain('Bisecting stopped after 1 probe')
  })
})
