import { describe, expect, it } from 'vitest'
import { checkKiroRequest } from '../../src/translate/shape-checker.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { buildClaudeCodeParams } from '../fixtures/translate/claude-code.js'

describe('a Claude-Code-shaped request (~100 KB)', () => {
  const params = buildClaudeCodeParams()
  const t = toKiroRequest(params)
  const state = t.body.conversationState
  const history = state.history ?? []
  const current = state.currentMessage.userInputMessage

  it('is the size and shape the fixture promises', () => {
    const bytes = JSON.stringify(params).length
    expect(bytes).toBeGreaterThan(90_000)
    expect(bytes).toBeLessThan(130_000)
    expect(params.tools).toHaveLength(20)
    expect(params.messages).toHaveLength(62)
    expect(JSON.stringify(buildClaudeCodeParams())).toBe(JSON.stringify(params))
  })

  it('translates into a body Kiro accepts', () => {
    expect(checkKiroRequest(t.body)).toEqual([])
    expect(t.serialized).toBe(JSON.stringify(t.body))
  })

  it('folds the three system blocks, the first user message and the role:"system" message into the first turn', () => {
    const first = history[0]
    expect(first && 'userInputMessage' in first).toBe(true)
    const content = first && 'userInputMessage' in first ? first.userInputMessage.content : ''
    expect(
      content.startsWith(
        '<thinking_mode>enabled</thinking_mode><max_thinking_length>24576</max_thinking_length>\n\n',
      ),
    ).toBe(true)
    expect(content).toContain("You are Claude Code, Anthropic's official CLI for Claude.")
    expect(content).toContain('Refactor the retry module and make the tests pass.')
    const systemMessage = params.messages[1]?.content as string
    expect(content.endsWith(systemMessage)).toBe(true)
  })

  it('keeps every tool pair: 30 assistant turns with a call each, each answered in the next user turn', () => {
    expect(history).toHaveLength(60)
    let calls = 0
    for (let i = 1; i < history.length; i += 2) {
      const entry = history[i]
      if (entry === undefined || !('assistantResponseMessage' in entry))
        throw new Error('expected an assistant turn')
      expect(entry.assistantResponseMessage.content).toMatch(/^<thinking>[\s\S]*<\/thinking>\n\n/)
      calls += entry.assistantResponseMessage.toolUses?.length ?? 0
    }
    expect(calls).toBe(30)
    expect(current.userInputMessageContext?.toolResults).toHaveLength(1)
  })

  it('declares the 20 tools, shortening the one MCP name Kiro would refuse', () => {
    const tools = current.userInputMessageContext?.tools ?? []
    expect(tools).toHaveLength(20)
    expect([...t.toolNames.values()]).toEqual([
      'mcp__acme-internal-knowledge-base__search_documents_by_semantic_similarity_v2',
    ])
    for (const tool of tools) {
      if (!('toolSpecification' in tool)) continue
      expect(tool.toolSpecification.inputSchema.json).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        additionalProperties: false,
      })
    }
  })

  it('uses the session id as conversationId, thinking tags, and reports what Kiro ignores', () => {
    expect(state.conversationId).toBe('5f1e2d3c-4b5a-4978-8877-665544332211')
    expect(t.thinking).toBe('tags')
    expect(t.ignored).toEqual(['max_tokens', 'context_management'])
    expect(t.modelId).toBe('claude-sonnet-4.5')
    expect(t.contextWindow).toBe(200_000)
    expect(t.serialized).not.toContain('cache_control')
  })

  it('estimates its input tokens from every part of the request', () => {
    const chars =
      JSON.stringify(params.system).length +
      JSON.stringify(params.messages).length +
      JSON.stringify(params.tools).length
    // ASCII at 3.6 characters a token, JSON punctuation excluded: between a fifth and a third of the characters.
    expect(t.inputTokensEstimate).toBeGreaterThan(chars / 5)
    expect(t.inputTokensEstimate).toBeLessThan(chars / 3)
  })
})
