import { describe, expect, it } from 'vitest'
import { accumulateMessage, MessageAccumulator } from '../../src/stream/accumulate.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'

// The accumulator updates its own snapshot in place; these tests pin that the events it
// is fed stay untouched, so a caller may keep, replay or re-accumulate them.

const usage = {
  input_tokens: 5,
  output_tokens: 0,
  cache_creation_input_tokens: null,
  cache_read_input_tokens: null,
}

function events(): RawMessageStreamEvent[] {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        // A block already present at the start must not be extended in the event itself.
        content: [{ type: 'text', text: 'pre', citations: null }],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '-fix' } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    },
    { type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'hm' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: 'm' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'signature_delta', signature: 'sig' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '', citations: null } },
    { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'Hello' } },
    { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: ', world' } },
    { type: 'content_block_stop', index: 2 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 7 },
    },
    { type: 'message_stop' },
  ] as RawMessageStreamEvent[]
}

describe('MessageAccumulator', () => {
  it('builds the message from text and thinking deltas', () => {
    const message = accumulateMessage(events())
    expect(message.content).toEqual([
      { type: 'text', text: 'pre-fix', citations: null },
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'text', text: 'Hello, world', citations: null },
    ])
    expect(message.usage.output_tokens).toBe(7)
  })

  it('never mutates the events it is fed, so they can be accumulated again', () => {
    const fed = events()
    const before = structuredClone(fed)
    const first = accumulateMessage(fed)
    expect(fed).toEqual(before)
    const second = accumulateMessage(fed)
    expect(second).toEqual(first)
    expect(second).not.toBe(first)
    expect(second.content[0]).not.toBe(first.content[0])
  })

  it('keeps two accumulators over the same events independent', () => {
    const fed = events()
    const a = new MessageAccumulator()
    const b = new MessageAccumulator()
    for (const event of fed) a.push(event)
    for (const event of fed.slice(0, 5)) b.push(event)
    const textOf = (index: number, acc: MessageAccumulator) => {
      const block = acc.snapshot?.content[index]
      return block?.type === 'thinking' ? block.thinking : block?.type === 'text' ? block.text : undefined
    }
    expect(textOf(1, a)).toBe('hmm')
    expect(textOf(1, b)).toBe('hm')
    expect(textOf(2, a)).toBe('Hello, world')
  })
})
