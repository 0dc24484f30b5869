import { partialParse as sdkPartialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser'
import { describe, expect, it } from 'vitest'
import { MessageStream } from '../../src/stream/message-stream.js'
import { parsePartialJson } from '../../src/stream/partial-json.js'
import type { RawMessageStreamEvent, ToolUseBlock } from '../../src/types/anthropic-response.js'

// A tool input streamed in hundreds of fragments (a long file written by the model): the
// `inputJson` snapshots and the blocks must be what a whole parse of each prefix gives, as they were
// before the input was read incrementally, and what the SDK's own partial parser gives.

function fragmentedToolEvents(fragments: readonly string[]): RawMessageStreamEvent[] {
  return [
    {
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 5,
          output_tokens: 0,
          cache_creation_input_tokens: null,
          cache_read_input_tokens: null,
        },
      },
    },
    {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'write_file', input: {} },
    },
    ...fragments.map(
      (partial_json): RawMessageStreamEvent => ({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json },
      }),
    ),
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 10 },
    },
    { type: 'message_stop' },
  ] as RawMessageStreamEvent[]
}

/** 800 fragments of a JSON object: a long string with escapes, then an array of numbers and objects. */
function fragments(): string[] {
  const out = ['{"path": "a.md", "content": "']
  for (let i = 0; i < 400; i++)
    out.push(i % 7 === 0 ? `line ${i}\\n` : i % 11 === 0 ? `\\"q${i}\\" ` : `w${i} `)
  out.push('", "sizes": [')
  for (let i = 0; i < 398; i++) out.push(i % 3 === 0 ? `{"n": ${i}, "ok": true}, ` : `${i}.5, `)
  out.push('null], "done": false}')
  return out
}

describe('a tool input in hundreds of fragments', () => {
  it('gives every inputJson snapshot as a whole parse of the prefix (ours before, and the SDK) gives it', async () => {
    const pieces = fragments()
    const stream = MessageStream.fromEvents(fragmentedToolEvents(pieces))
    const seen: [string, unknown][] = []
    const blocks: ToolUseBlock[] = []
    stream.on('inputJson', (partial, snapshot) => seen.push([partial, snapshot]))
    stream.on('streamEvent', (event, message) => {
      if (event.type === 'content_block_delta') blocks.push(message.content[0] as ToolUseBlock)
    })
    const final = await stream.finalMessage()

    expect(seen).toHaveLength(pieces.length)
    let prefix = ''
    for (const [at, [partial, snapshot]] of seen.entries()) {
      prefix += pieces[at]
      expect(partial).toBe(pieces[at])
      const whole = parsePartialJson(prefix)
      expect(JSON.stringify(snapshot)).toBe(JSON.stringify(whole))
      expect(snapshot).toEqual(sdkPartialParse(prefix))
    }
    // A block kept from the middle of the stream still shows the input it had then.
    const middle = 500
    expect(blocks[middle]?.input).toEqual(parsePartialJson(pieces.slice(0, middle + 1).join('')))
    expect((final.content[0] as ToolUseBlock).input).toEqual(JSON.parse(pieces.join('')))
  })
})
