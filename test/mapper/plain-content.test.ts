import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EventStreamMessage } from '../../src/eventstream/types.js'
import { payloadObject } from '../../src/mapper/kiro-frames.js'

const utf8 = new TextEncoder()

function message(payload: string): EventStreamMessage {
  return { headers: {}, payload: utf8.encode(payload) }
}

/** What the payload reads as through a JSON parse (the path every other payload takes). */
function parsed(payload: string): unknown {
  return JSON.parse(payload)
}

describe('payloadObject on assistantResponseEvent payloads', () => {
  it('reads `{"content":"..."}` exactly as JSON.parse does, for any content', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 60 })),
        (text) => {
          const payload = JSON.stringify({ content: text })
          expect(payloadObject(message(payload), 'assistantResponseEvent')).toEqual(parsed(payload))
        },
      ),
      { numRuns: 500 },
    )
  })

  it.each([
    '{"content":"plain text, no escapes"}',
    '{"content":"quote \\" inside"}',
    '{"content":"tab\\tand\\u00e9"}',
    '{"content":"x","modelId":"claude-sonnet-4.5"}',
    '{"modelId":"m","content":"x"}',
    '{"content": "spaced"}',
    '{"content":""}',
    `{"content":"${'long '.repeat(100)}"}`,
  ])('reads %s with every field', (payload) => {
    expect(payloadObject(message(payload), 'assistantResponseEvent')).toEqual(parsed(payload))
  })

  it('still refuses a payload that is not a JSON object', () => {
    expect(() => payloadObject(message('{"content":"x"'), 'assistantResponseEvent')).toThrow(/not JSON/)
    expect(() => payloadObject(message('"x"'), 'assistantResponseEvent')).toThrow(/not a JSON object/)
  })
})
