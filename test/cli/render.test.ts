import { describe, expect, it } from 'vitest'
import { ChatRenderer } from '../../src/cli/render.js'
import type {
  Message,
  RawMessageStartEvent,
  RawMessageStreamEvent,
} from '../../src/types/anthropic-response.js'
import { textEvents } from '../server/fake-backend.js'

const render = (events: RawMessageStreamEvent[], renderer = new ChatRenderer()) =>
  events.map((event) => renderer.push(event)).join('')

const start = textEvents('')[0]!
const deltaEnd: RawMessageStreamEvent = {
  type: 'message_delta',
  delta: { stop_reason: 'tool_use', stop_sequence: null, stop_details: null, container: null },
  usage: {
    input_tokens: 10,
    output_tokens: 20,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    server_tool_use: null,
    output_tokens_details: null,
  },
}

describe('ChatRenderer', () => {
  it('prints text as it streams, and ends the line when the block stops', () => {
    expect(render(textEvents('Hello, world.'))).toBe('Hello, world.\n')
  })

  it('prints thinking on its own line, then the answer on the next', () => {
    const renderer = new ChatRenderer({ dim: (text) => `<dim>${text}</dim>`, bold: (text) => text })
    const events: RawMessageStreamEvent[] = [
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me see.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: null } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Answer.' } },
      { type: 'content_block_stop', index: 1 },
    ]
    expect(render(events, renderer)).toBe('<dim>thinking: </dim><dim>Let me see.</dim>\nAnswer.\n')
  })

  it('shows a tool call on one line with its complete input, after the text', () => {
    const events: RawMessageStreamEvent[] = [
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'get_weather',
          input: {},
          caller: { type: 'direct' },
        },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"city": ' },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '"Paris"}' },
      },
      { type: 'content_block_stop', index: 1 },
      deltaEnd,
    ]
    expect(render(events)).toBe('Checking.\n→ get_weather {"city":"Paris"}\n')
  })

  it('flags a cut-off tool input with its message', () => {
    const events: RawMessageStreamEvent[] = [
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: {
          type: 'tool_use',
          id: 'toolu_1',
          name: 'write_file',
          input: {},
          caller: { type: 'direct' },
        },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"path": "a.txt", "con' },
      },
      { type: 'content_block_stop', index: 0 },
      {
        ...deltaEnd,
        kiro_truncation: {
          type: 'tool_input_truncated',
          reason: 'stream_ended',
          tool_use_id: 'toolu_1',
          name: 'write_file',
          index: 0,
          received_chars: 22,
          message: 'Kiro cut off the input of write_file.',
        },
      } as RawMessageStreamEvent,
    ]
    expect(render(events)).toBe(
      '→ write_file {"path": "a.txt", "con\n! Kiro cut off the input of write_file.\n',
    )
  })

  it('sums up stop reason, tokens, credits and time', () => {
    const renderer = new ChatRenderer()
    const message = (start as RawMessageStartEvent).message
    const final: Message = {
      ...message,
      stop_reason: 'end_turn',
      usage: { ...message.usage, input_tokens: 12, output_tokens: 34, kiro_credits: 0.02 },
    }
    expect(renderer.summary(final, 1234)).toBe('[end_turn · 12 in / 34 out tokens · 0.02 credits · 1.2 s]\n')
  })
})
