import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../src/errors/index.js'
import type { KiroRequest, UserInputMessage } from '../../src/translate/kiro-types.js'
import { checkKiroRequest } from '../../src/translate/shape-checker.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { KIRO_NAME_PATTERN } from '../../src/translate/tool-names.js'
import { anthropicRequest } from './arbitraries.js'

const RUNS = { numRuns: 400 }

function userMessages(body: KiroRequest): UserInputMessage[] {
  const history = body.conversationState.history ?? []
  return [
    ...history.flatMap((m) => ('userInputMessage' in m ? [m.userInputMessage] : [])),
    body.conversationState.currentMessage.userInputMessage,
  ]
}

describe('properties: any conversation translates into a body Kiro accepts', () => {
  it('well-formed conversations (tool pairs as Anthropic requires)', () => {
    fc.assert(
      fc.property(anthropicRequest({ messy: false }), (params) => {
        const t = toKiroRequest(params)
        expect(checkKiroRequest(t.body)).toEqual([])
      }),
      RUNS,
    )
  })

  it('messy conversations (orphan, duplicate and missing results, invalid ids)', () => {
    fc.assert(
      fc.property(anthropicRequest({ messy: true }), (params) => {
        const t = toKiroRequest(params)
        expect(checkKiroRequest(t.body)).toEqual([])
      }),
      RUNS,
    )
  })

  it('serialized is exactly the body, and translating twice gives the same bytes', () => {
    fc.assert(
      fc.property(anthropicRequest({ messy: true }), (params) => {
        const a = toKiroRequest(params)
        const b = toKiroRequest(structuredClone(params))
        expect(JSON.parse(a.serialized)).toEqual(a.body)
        expect(b.serialized).toBe(a.serialized)
      }),
      { numRuns: 150 },
    )
  })

  it('does not modify the params', () => {
    fc.assert(
      fc.property(anthropicRequest({ messy: true }), (params) => {
        const before = structuredClone(params)
        toKiroRequest(params)
        expect(params).toEqual(before)
      }),
      { numRuns: 150 },
    )
  })

  it('every declared tool name is valid, and the map restores each renamed one to a caller name', () => {
    fc.assert(
      fc.property(anthropicRequest({ messy: false }), (params) => {
        const t = toKiroRequest(params)
        const callerNames = new Set<string>()
        for (const tool of params.tools ?? []) if (tool.name !== undefined) callerNames.add(tool.name)
        for (const m of params.messages) {
          if (typeof m.content === 'string') continue
          for (const block of m.content) if (block.type === 'tool_use') callerNames.add(block.name)
        }
        const specs =
          t.body.conversationState.currentMessage.userInputMessage.userInputMessageContext?.tools ?? []
        for (const spec of specs) {
          if (!('toolSpecification' in spec)) continue
          const name = spec.toolSpecification.name
          expect(name).toMatch(KIRO_NAME_PATTERN)
          expect(callerNames.has(t.toolNames.get(name) ?? name)).toBe(true)
        }
      }),
      RUNS,
    )
  })

  it('thinking tags appear only when thinking is tags, never next to tool results', () => {
    fc.assert(
      fc.property(anthropicRequest({ messy: true }), (params) => {
        const t = toKiroRequest(params)
        const users = userMessages(t.body)
        const tagged = users.filter((u) => u.content.startsWith('<thinking_mode>'))
        expect(tagged.length).toBe(t.thinking === 'tags' ? 1 : 0)
        for (const u of tagged) expect(u.userInputMessageContext?.toolResults).toBeUndefined()
      }),
      RUNS,
    )
  })

  it('the conversation id does not change as the conversation grows', () => {
    fc.assert(
      fc.property(anthropicRequest({ messy: false }), fc.string({ maxLength: 20 }), (params, reply) => {
        const grown = {
          ...params,
          messages: [
            ...params.messages,
            { role: 'assistant' as const, content: `${reply}.` },
            { role: 'user' as const, content: 'More.' },
          ],
        }
        expect(toKiroRequest(grown).conversationId).toBe(toKiroRequest(params).conversationId)
      }),
      { numRuns: 150 },
    )
  })

  it('with trimHistory, any limit gives a body that fits and passes, or a clear 400', () => {
    fc.assert(
      fc.property(
        anthropicRequest({ messy: true }),
        fc.integer({ min: 200, max: 6000 }),
        (params, maxBodyBytes) => {
          let t: ReturnType<typeof toKiroRequest>
          try {
            t = toKiroRequest(params, { maxBodyBytes, trimHistory: true })
          } catch (error) {
            expect(error).toBeInstanceOf(BadRequestError)
            expect((error as Error).message).toMatch(/too large for Kiro/)
            return
          }
          expect(new TextEncoder().encode(t.serialized).length).toBeLessThanOrEqual(maxBodyBytes)
          expect(checkKiroRequest(t.body, { maxBodyBytes })).toEqual([])
          expect(t.trimmedTurns % 2).toBe(0)
        },
      ),
      RUNS,
    )
  })
})
