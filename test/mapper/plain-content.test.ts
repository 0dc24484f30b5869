import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { type TypedMessage, typedMessageOf } from '../../src/eventstream/typed-message.js'
import { payloadObject } from '../../src/mapper/kiro-frames.js'

const utf8 = new TextEncoder()

function message(payload: string): TypedMessage {
  return typedMessageOf({ headers: {}, payload: utf8.encode(payload) })
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

describe('plainContent', () => {
  const readers: [string, () => Promise<typeof import('../../src/mapper/kiro-frames.js')>][] = [
    ['with Buffer.latin1Slice', async () => import('../../src/mapper/kiro-frames.js')],
    [
      'with TextDecoder (no Buffer)',
      async () => {
        vi.resetModules()
        // A runtime whose Buffer lacks latin1Slice (or has no Buffer): the module falls back at import.
        vi.stubGlobal('Buffer', { prototype: {} })
        try {
          return await import('../../src/mapper/kiro-frames.js')
        } finally {
          vi.unstubAllGlobals()
          vi.resetModules()
        }
      },
    ],
  ]

  describe.each(readers)('%s', (_name, load) => {
    it('reads a payload inside a larger buffer as JSON.parse reads it alone, or declines', async () => {
      const { plainContent } = await load()
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 60 })),
          fc.uint8Array({ maxLength: 8 }),
          fc.uint8Array({ maxLength: 8 }),
          (text, before, after) => {
            const payload = utf8.encode(JSON.stringify({ content: text }))
            const bytes = Uint8Array.from([...before, ...payload, ...after])
            const content = plainContent(bytes, before.length, before.length + payload.length)
            // Declining is always correct (the payload is then parsed); a result must be exact.
            if (content !== undefined) expect(content).toBe(text)
            // Printable ASCII without quotes or backslashes is never declined, up to its length cap.
            if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]{0,256}$/.test(text)) expect(content).toBe(text)
          },
        ),
        { numRuns: 300 },
      )
    })

    it.each([
      ['{"content":""}', ''],
      ['{"content":"a"}', 'a'],
      ['{"content":"~ !#[]{}"}', '~ !#[]{}'],
      ['{"content":"quote \\" inside"}', undefined],
      ['{"content":"back\\\\slash"}', undefined],
      ['{"content":"caf\u00e9"}', undefined],
      ['{"content":"tab\there"}', undefined],
      ['{"content":"x","modelId":"m"}', undefined],
      ['{"content": "spaced"}', undefined],
      ['{"content":"x"', undefined],
      ['{"content":"', undefined],
      ['{"content":', undefined],
      ['', undefined],
    ])('reads %s as %s', async (payload, expected) => {
      const { plainContent } = await load()
      const bytes = utf8.encode(`xx${payload}yy`)
      expect(plainContent(bytes, 2, bytes.length - 2)).toBe(expected)
    })
  })
})
