import { describe, expect, it } from 'vitest'
import { BadRequestError, KiroError } from '../../src/errors/index.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { estimateInputTokens } from '../../src/translate/token-estimate.js'
import type { MessageCreateParams } from '../../src/types/anthropic-request.js'

const ok = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }
const tool = { name: 't', description: 'T.', input_schema: { type: 'object', properties: {} } }

/** Translates params that are malformed on purpose (hence the cast) and returns the thrown error. */
function failure(params: unknown): BadRequestError {
  try {
    toKiroRequest(params as MessageCreateParams)
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError)
    return error as BadRequestError
  }
  throw new Error('expected a BadRequestError')
}

const assistantWith = (block: unknown) => ({
  ...ok,
  tools: [tool],
  messages: [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: [block] },
  ],
})
const userWith = (...blocks: unknown[]) => ({ ...ok, messages: [{ role: 'user', content: blocks }] })
const png = (data: string, media_type = 'image/png') => ({
  type: 'image',
  source: { type: 'base64', media_type, data },
})

const CASES: Array<[string, unknown, string]> = [
  ['params not an object', 'hello', 'The request body should be a JSON object'],
  ['no model', { ...ok, model: undefined }, 'model: Field required'],
  ['no messages', { ...ok, messages: undefined }, 'messages: Field required'],
  ['empty messages', { ...ok, messages: [] }, 'messages: At least one message is required'],
  ['messages not a list', { ...ok, messages: {} }, 'messages: Input should be a valid list'],
  [
    'unknown role',
    {
      ...ok,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'robot', content: 'b' },
      ],
    },
    "messages.1.role: Input should be 'user', 'assistant' or 'system'",
  ],
  ['missing content', { ...ok, messages: [{ role: 'user' }] }, 'messages.0.content: Field required'],
  [
    'content a number',
    { ...ok, messages: [{ role: 'user', content: 7 }] },
    'messages.0.content: Input should be a valid string or list',
  ],
  ['block without type', userWith({ text: 'x' }), 'messages.0.content.0.type: Field required'],
  [
    'unknown block type',
    userWith({ type: 'hologram' }),
    "messages.0.content.0.type: Unsupported content block type 'hologram'",
  ],
  ['text block without text', userWith({ type: 'text' }), 'messages.0.content.0.text: Field required'],
  [
    'tool_result without tool_use_id',
    {
      ...ok,
      tools: [tool],
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x' },
            { type: 'tool_result', content: 'r' },
          ],
        },
      ],
    },
    'messages.3.content.1.tool_use_id: Field required',
  ],
  [
    'tool_result is_error not boolean',
    userWith({ type: 'tool_result', tool_use_id: 'a', is_error: 'yes' }),
    'messages.0.content.0.is_error: Input should be a valid boolean',
  ],
  [
    'tool_use input a string',
    assistantWith({ type: 'tool_use', id: 'toolu_1', name: 't', input: '{"a":1}' }),
    'messages.1.content.0.input: Input should be a valid dictionary',
  ],
  [
    'tool_use input missing',
    assistantWith({ type: 'tool_use', id: 'toolu_1', name: 't' }),
    'messages.1.content.0.input: Field required',
  ],
  [
    'tool_use without id',
    assistantWith({ type: 'tool_use', name: 't', input: {} }),
    'messages.1.content.0.id: Field required',
  ],
  [
    'tool_use without name',
    assistantWith({ type: 'tool_use', id: 'x', input: {} }),
    'messages.1.content.0.name: Field required',
  ],
  ['invalid base64', userWith(png('not base64!')), 'messages.0.content.0.source.data: Invalid base64 data'],
  [
    'unsupported image type',
    userWith(png('AAAA', 'image/bmp')),
    "messages.0.content.0.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
  ],
  [
    'URL image',
    userWith({ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }),
    'messages.0.content.0.source.type: URL image sources are not supported by Kiro; send the image as base64',
  ],
  [
    'PDF document',
    userWith({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'AAAA' } }),
    'messages.0.content.0.source: PDF documents are not supported by Kiro; extract the text and send it as a text document',
  ],
  [
    'thinking block in a user message',
    userWith({ type: 'thinking', thinking: 'x', signature: 's' }),
    "messages.0.content.0.type: 'thinking' blocks are only allowed in assistant messages",
  ],
  [
    'image in an assistant message',
    assistantWith(png('AAAA')),
    "messages.1.content.0.type: 'image' blocks are only allowed in user messages",
  ],
  [
    'system message with an image',
    {
      ...ok,
      messages: [
        { role: 'system', content: [png('AAAA')] },
        { role: 'user', content: 'x' },
      ],
    },
    "messages.0.content.0.type: System messages take only 'text' blocks",
  ],
  ['system not text', { ...ok, system: [{ type: 'image' }] }, "system.0.type: Input should be 'text'"],
  ['tools not a list', { ...ok, tools: {} }, 'tools: Input should be a valid list'],
  ['tool without name', { ...ok, tools: [{ input_schema: {} }] }, 'tools.0.name: Field required'],
  ['tool without schema', { ...ok, tools: [{ name: 'a' }] }, 'tools.0.input_schema: Field required'],
  [
    'duplicate tool names',
    { ...ok, tools: [tool, tool] },
    "tools: Tool names must be unique; 't' appears twice.",
  ],
  [
    'thinking type',
    { ...ok, thinking: { type: 'lots' } },
    "thinking.type: Input should be 'enabled', 'disabled', 'adaptive' or 'between_tools'",
  ],
  [
    'thinking budget missing',
    { ...ok, thinking: { type: 'enabled' } },
    'thinking.enabled.budget_tokens: Field required',
  ],
  [
    'thinking budget not an integer',
    { ...ok, thinking: { type: 'enabled', budget_tokens: 1.5 } },
    'thinking.enabled.budget_tokens: Input should be a non-negative integer',
  ],
  [
    'effort unknown',
    { ...ok, output_config: { effort: 'extreme' } },
    "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'",
  ],
  ['temperature a string', { ...ok, temperature: 'hot' }, 'temperature: Input should be a valid number'],
  [
    'stop_sequences not strings',
    { ...ok, stop_sequences: [1] },
    'stop_sequences: Input should be a valid list of strings',
  ],
  [
    'tool_choice unknown',
    { ...ok, tool_choice: { type: 'maybe' } },
    "tool_choice: Input should be a dictionary with type 'auto', 'any', 'tool' or 'none'",
  ],
]

describe('malformed params throw BadRequestError with Anthropic-style messages', () => {
  for (const [name, params, message] of CASES) {
    it(name, () => {
      const error = failure(params)
      expect(error.message).toBe(message)
      expect(error.status).toBe(400)
      expect(error.type).toBe('invalid_request_error')
      expect(KiroError.isInstance(error)).toBe(true)
      expect(error.error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message } })
    })
  }

  it('accepts unknown fields and cache_control anywhere', () => {
    const t = toKiroRequest({
      ...ok,
      cache_control: { type: 'ephemeral' },
      some_future_field: { x: 1 },
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Hi', cache_control: { type: 'ephemeral', ttl: '1h' }, extra: 1 }],
        },
      ],
    } as unknown as MessageCreateParams)
    expect(t.body.conversationState.currentMessage.userInputMessage.content).toBe('Hi')
  })

  it('accepts a request without max_tokens (Kiro ignores it anyway)', () => {
    const { max_tokens: _, ...rest } = ok
    const t = toKiroRequest(rest as MessageCreateParams)
    expect(t.ignored).not.toContain('max_tokens')
  })

  it('turns odd JSON values in flattened blocks into text instead of crashing', () => {
    // `String()` throws on this value, and a request body can carry it: a crash would be a 500, not a 400.
    const odd = JSON.parse('{"toString": 1}') as unknown
    const params = {
      ...ok,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'search_result', title: odd, source: odd, content: [] },
            { type: 'tool_result', tool_use_id: 'x', content: [{ type: 'tool_reference', tool_name: odd }] },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: odd, name: odd, input: {} },
            { type: 'web_search_tool_result', tool_use_id: 'x', content: [{ title: odd, url: odd }] },
            { type: 'container_upload', file_id: odd },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Go on.' }] },
      ],
    } as unknown as MessageCreateParams
    const t = toKiroRequest(params)
    expect(t.serialized).toContain('Search result: {\\"toString\\":1} ({\\"toString\\":1})')
    expect(t.inputTokensEstimate).toBeGreaterThan(0)
    expect(
      estimateInputTokens({
        ...ok,
        messages: [{ role: 'user', content: [{ type: 'text', text: odd }] }],
      } as never),
    ).toBeGreaterThan(0)
  })
})
