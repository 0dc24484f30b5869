import { describe, expect, it } from 'vitest'
import type { KiroRequest } from '../../src/translate/kiro-types.js'
import { checkKiroRequest } from '../../src/translate/shape-checker.js'
import { SHAPE_RULES } from '../../src/translate/shape-rule-ids.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { PNG } from '../fixtures/translate/golden-cases.js'

const schema = { type: 'object' as const, properties: { p: { type: 'string' } } }

/** A valid body with every feature the rules look at: history, images, tool pairs, reasoning, tools. */
function validBody(): KiroRequest {
  return toKiroRequest({
    model: 'claude-sonnet-4-5',
    max_tokens: 100,
    system: 'S',
    tools: [{ name: 'read', description: 'Read.', input_schema: schema }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'redacted_thinking', data: 'cmVk' },
          { type: 'text', text: 'Reading' },
          { type: 'tool_use', id: 'toolu_1', name: 'read', input: { p: 'a' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'A' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_2', name: 'read', input: { p: 'b' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'B' }] },
    ],
  }).body
}

// Untyped handles into a cloned body: these tests break its shape on purpose, one rule at a time.
// biome-ignore lint/suspicious/noExplicitAny: a body being broken has no type.
type Any = any
const state = (b: Any) => b.conversationState as Any
const history = (b: Any) => state(b).history as Any[]
const current = (b: Any) => state(b).currentMessage.userInputMessage as Any

function issuesAfter(breakIt: (body: Any) => void): Array<{ path: string; message: string }> {
  const body = structuredClone(validBody()) as Any
  breakIt(body)
  return checkKiroRequest(body)
}

describe('checkKiroRequest', () => {
  it('accepts a valid body', () => {
    expect(checkKiroRequest(validBody())).toEqual([])
  })

  const RULES: Array<[string, (b: Any) => void, string, string]> = [
    ['body not an object', () => {}, '', 'the body must be a JSON object'],
    [
      'chatTriggerType',
      (b) => {
        state(b).chatTriggerType = 'AUTO'
      },
      'conversationState.chatTriggerType',
      'must be MANUAL',
    ],
    [
      'conversationId length',
      (b) => {
        state(b).conversationId = 'x'.repeat(257)
      },
      'conversationState.conversationId',
      'at most 256 bytes',
    ],
    [
      'agentTaskType',
      (b) => {
        state(b).agentTaskType = 'chat'
      },
      'conversationState.agentTaskType',
      'vibe or spectask',
    ],
    [
      'history starts with assistant',
      (b) => void history(b).shift(),
      'conversationState.history.0.assistantResponseMessage',
      'must start with a userInputMessage',
    ],
    [
      'two user messages in a row',
      (b) => void history(b).splice(1, 1),
      'conversationState.history.1.userInputMessage',
      'roles must alternate',
    ],
    [
      'history ends with a user message',
      (b) => void history(b).pop(),
      'conversationState.currentMessage.userInputMessage',
      'roles must alternate: expected assistant',
    ],
    [
      'entry with two keys',
      (b) => {
        history(b)[0].assistantResponseMessage = { content: 'x' }
      },
      'conversationState.history.0',
      'exactly one of',
    ],
    [
      'currentMessage not a user message',
      (b) => {
        state(b).currentMessage = { assistantResponseMessage: { content: 'x' } }
      },
      'conversationState.currentMessage',
      'exactly { userInputMessage }',
    ],
    [
      'empty user content',
      (b) => {
        history(b)[2].userInputMessage.content = ''
      },
      'conversationState.history.2.userInputMessage.content',
      'non-empty string',
    ],
    [
      'empty assistant content',
      (b) => {
        history(b)[1].assistantResponseMessage.content = ''
      },
      'conversationState.history.1.assistantResponseMessage.content',
      'non-empty string',
    ],
    [
      'null anywhere',
      (b) => {
        history(b)[0].userInputMessage.modelId = null
      },
      'conversationState.history.0.userInputMessage.modelId',
      'null is not accepted',
    ],
    [
      'result for a call of an earlier turn',
      (b) => {
        current(b).userInputMessageContext.toolResults[0].toolUseId = 'toolu_1'
      },
      'conversationState.currentMessage.userInputMessage.userInputMessageContext.toolResults.0.toolUseId',
      'no tool use toolu_1 in the immediately preceding assistant message',
    ],
    [
      'call without a result',
      (b) => void current(b).userInputMessageContext.toolResults.pop(),
      'conversationState.history.3.assistantResponseMessage.toolUses.0',
      'tool use toolu_2 has no result in the next user message',
    ],
    [
      'duplicate result',
      (b) => {
        const results = current(b).userInputMessageContext.toolResults
        results.push(results[0])
      },
      'conversationState.currentMessage.userInputMessage.userInputMessageContext.toolResults.1.toolUseId',
      'duplicate result for tool use toolu_2',
    ],
    [
      'duplicate tool use id across turns',
      (b) => {
        history(b)[3].assistantResponseMessage.toolUses[0].toolUseId = 'toolu_1'
        current(b).userInputMessageContext.toolResults[0].toolUseId = 'toolu_1'
      },
      'conversationState.history.3.assistantResponseMessage.toolUses.0.toolUseId',
      'duplicate tool use id toolu_1',
    ],
    [
      'empty result text',
      (b) => {
        current(b).userInputMessageContext.toolResults[0].content = [{ text: '' }]
      },
      'toolResults.0.content',
      'non-empty array',
    ],
    [
      'result status',
      (b) => {
        current(b).userInputMessageContext.toolResults[0].status = 'ok'
      },
      'toolResults.0.status',
      'success or error',
    ],
    [
      'tool history without tools',
      (b) => void delete current(b).userInputMessageContext.tools,
      'conversationState.currentMessage.userInputMessage.userInputMessageContext.tools',
      'need declared tools',
    ],
    [
      'undeclared tool',
      (b) => {
        history(b)[3].assistantResponseMessage.toolUses[0].name = 'write'
      },
      'conversationState.history.3.assistantResponseMessage.toolUses.0.name',
      'tool write is not declared',
    ],
    [
      'thinking tags next to tool results',
      (b) => {
        current(b).content = '<thinking_mode>enabled</thinking_mode>'
      },
      'conversationState.currentMessage.userInputMessage.content',
      'thinking tags must not share a message with tool results',
    ],
    [
      'tool name',
      (b) => {
        current(b).userInputMessageContext.tools[0].toolSpecification.name = 'a.b'
      },
      'tools.0.toolSpecification.name',
      'must match',
    ],
    [
      'tool use name',
      (b) => {
        history(b)[1].assistantResponseMessage.toolUses[0].name = 'x'.repeat(65)
      },
      'toolUses.0.name',
      'must match',
    ],
    [
      'tool use id',
      (b) => {
        history(b)[1].assistantResponseMessage.toolUses[0].toolUseId = 'id with spaces'
      },
      'toolUses.0.toolUseId',
      'must match',
    ],
    [
      'empty description',
      (b) => {
        current(b).userInputMessageContext.tools[0].toolSpecification.description = ' '
      },
      'toolSpecification.description',
      'non-empty string of at most 10000',
    ],
    [
      'long description',
      (b) => {
        current(b).userInputMessageContext.tools[0].toolSpecification.description = 'd'.repeat(10_001)
      },
      'toolSpecification.description',
      'at most 10000',
    ],
    [
      'schema not an object',
      (b) => {
        current(b).userInputMessageContext.tools[0].toolSpecification.inputSchema = { json: 'x' }
      },
      'toolSpecification.inputSchema',
      '{ json: <object> }',
    ],
    [
      'schema without type',
      (b) => {
        delete current(b).userInputMessageContext.tools[0].toolSpecification.inputSchema.json.type
      },
      'inputSchema.json.type',
      'must be present',
    ],
    [
      'schema without properties',
      (b) => {
        delete current(b).userInputMessageContext.tools[0].toolSpecification.inputSchema.json.properties
      },
      'inputSchema.json.properties',
      'must be present',
    ],
    [
      'empty required list, at any depth',
      (b) => {
        const json = current(b).userInputMessageContext.tools[0].toolSpecification.inputSchema.json
        json.properties.p = { type: 'object', properties: {}, required: [] }
      },
      'inputSchema.json.properties.p.required',
      'empty required list',
    ],
    [
      'reasoning on an assistant message with only a placeholder',
      (b) => {
        const message = history(b)[1].assistantResponseMessage
        message.content = ' '
        delete message.toolUses
      },
      'history.1.assistantResponseMessage.reasoningContent',
      'reasoning only on an assistant message with text or tool uses',
    ],
    [
      'tool input a string',
      (b) => {
        history(b)[1].assistantResponseMessage.toolUses[0].input = '{}'
      },
      'toolUses.0.input',
      'must be a JSON object',
    ],
    [
      'tool input empty key',
      (b) => {
        history(b)[1].assistantResponseMessage.toolUses[0].input = { a: { '': 1 } }
      },
      'toolUses.0.input.a',
      'empty key',
    ],
    [
      'image format',
      (b) => {
        history(b)[0].userInputMessage.images[0].format = 'bmp'
      },
      'images.0.format',
      'png, jpeg, gif or webp',
    ],
    [
      'image bytes',
      (b) => {
        history(b)[0].userInputMessage.images[0].source.bytes = '***'
      },
      'images.0.source.bytes',
      'base64',
    ],
    [
      'redacted reasoning not base64',
      (b) => {
        history(b)[1].assistantResponseMessage.reasoningContent = { redactedContent: '.KTR~~x' }
      },
      'reasoningContent',
      'exactly one of',
    ],
    [
      'origin',
      (b) => {
        current(b).origin = 'BROWSER'
      },
      'currentMessage.userInputMessage.origin',
      'unknown origin',
    ],
  ]

  for (const [name, breakIt, path, message] of RULES) {
    it(`flags: ${name}`, () => {
      const issues = name === 'body not an object' ? checkKiroRequest('x') : issuesAfter(breakIt)
      const match = issues.find((i) => i.path.endsWith(path) && i.message.includes(message))
      expect(match, JSON.stringify(issues)).toBeDefined()
    })
  }

  it('the cases above break every rule the checker knows (docs/protocol.md §10.1)', () => {
    const broken = new Set<string>()
    for (const [name, breakIt] of RULES) {
      const issues = name === 'body not an object' ? checkKiroRequest('x') : issuesAfter(breakIt)
      for (const issue of issues as Array<{ rule?: string }>) if (issue.rule) broken.add(issue.rule)
    }
    for (const issue of checkKiroRequest(validBody(), { maxBodyBytes: 100 })) broken.add(issue.rule)
    expect([...broken].sort()).toEqual(Object.keys(SHAPE_RULES).sort())
  })

  it('flags a body over the size limit, from its own serialization or a given size', () => {
    const body = validBody()
    expect(checkKiroRequest(body, { maxBodyBytes: 100 })[0]?.message).toMatch(/over the 100-byte limit/)
    expect(checkKiroRequest(body, { bodyBytes: 600_001 })[0]?.message).toMatch(
      /600001 bytes, over the 600000-byte limit/,
    )
    expect(checkKiroRequest(body, { bodyBytes: 600_000 })).toEqual([])
  })

  it('accepts the reasoning forms Kiro takes', () => {
    for (const reasoning of [
      { signature: 'blob' },
      { redactedContent: 'cmVk' },
      { reasoningText: { text: 't', signature: 's' } },
    ]) {
      expect(
        issuesAfter((b) => {
          history(b)[1].assistantResponseMessage.reasoningContent = reasoning
        }),
      ).toEqual([])
    }
  })

  it('accepts cachePoint tools and case-insensitive tool names', () => {
    expect(
      issuesAfter((b) => {
        current(b).userInputMessageContext.tools.push({ cachePoint: { type: 'default' } })
        history(b)[3].assistantResponseMessage.toolUses[0].name = 'READ'
      }),
    ).toEqual([])
  })
})
