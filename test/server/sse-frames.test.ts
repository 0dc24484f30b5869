import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeText, jsonString, toSSEStream } from '../../src/server/sse.js'
import { MessageStream } from '../../src/stream/message-stream.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'

/** What one frame per event is, by definition: the event line, then the event as JSON. */
const expected = (events: readonly unknown[]) =>
  events
    .map((event) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`)
    .join('')

async function written(events: readonly unknown[]): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  const stream = toSSEStream(MessageStream.fromEvents(events as RawMessageStreamEvent[]))
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk)
  return text
}

const start = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', content: [] },
}
const kinds: [string, string][] = [
  ['text_delta', 'text'],
  ['thinking_delta', 'thinking'],
  ['input_json_delta', 'partial_json'],
]

describe('SSE frames of deltas', () => {
  it('are JSON.stringify of the event, byte for byte, for any string (quotes, controls, lone surrogates)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            kind: fc.constantFrom(...kinds),
            index: fc.nat(1000),
            piece: fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()),
          }),
          { maxLength: 12 },
        ),
        async (deltas) => {
          const events = [
            start,
            ...deltas.map(({ kind, index, piece }) => ({
              type: 'content_block_delta',
              index,
              delta: { type: kind[0], [kind[1]]: piece },
            })),
          ]
          expect(await written(events)).toBe(expected(events))
        },
      ),
      { numRuns: 150 },
    )
  })

  it('are JSON.stringify of the event for shapes other than the mapper’s: other order, extra or odd members', async () => {
    const odd = [
      start,
      { index: 0, type: 'content_block_delta', delta: { type: 'text_delta', text: 'order' } },
      { type: 'content_block_delta', index: 0, delta: { text: 'inner order', type: 'text_delta' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'extra', more: 1 } },
      { type: 'content_block_delta', index: 0, extra: true, delta: { type: 'text_delta', text: 'x' } },
      { type: 'content_block_delta', index: 1.5, delta: { type: 'text_delta', text: 'fraction' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 42 } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 's"' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'constructor', text: 'proto' } },
    ]
    expect(await written(odd)).toBe(expected(odd))
  })
})

describe('the SSE writer’s shortcuts', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.string(),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
  )

  it('jsonString is JSON.stringify for any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(jsonString(text)).toBe(JSON.stringify(text))
      }),
      { numRuns: 2000 },
    )
    for (const text of [
      '',
      'plain',
      '"',
      '\\',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u2028',
      '\ud83d\ude00',
      '\ud800',
      'a\udc00b',
    ])
      expect(jsonString(text)).toBe(JSON.stringify(text))
  })

  it('encodeText is TextEncoder.encode for any string, ASCII or not', () => {
    const encoder = new TextEncoder()
    fc.assert(
      fc.property(anyText, (text) => {
        const bytes = encodeText(text)
        expect(bytes).toBeInstanceOf(Uint8Array)
        expect([...bytes]).toEqual([...encoder.encode(text)])
      }),
      { numRuns: 2000 },
    )
    for (const text of [
      '',
      'ascii only',
      '\u007f',
      '\u0080',
      'é',
      '\ud83d\ude00',
      '\ud800',
      `${'x'.repeat(100)}é`,
    ])
      expect([...encodeText(text)]).toEqual([...encoder.encode(text)])
  })
})
