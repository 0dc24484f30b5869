import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { APIError } from '../../src/errors/api-error.js'
import { accumulateMessage } from '../../src/stream/accumulate.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { kiroFrame as frame } from '../fixtures/stream/arbitrary.js'
import { mapFrames } from './run-mapper.js'

// Any sequence of Kiro frames, however odd, gives either a well-formed Anthropic message
// (docs/compatibility.md §0 item 7) or a typed APIError: never a crash, a hang or a broken sequence.

function assertWellFormed(events: readonly RawMessageStreamEvent[]): void {
  expect(events[0]?.type).toBe('message_start')
  expect(events.at(-2)?.type).toBe('message_delta')
  expect(events.at(-1)?.type).toBe('message_stop')
  let open: number | undefined
  let next = 0
  for (const e of events.slice(1, -2)) {
    if (e.type === 'content_block_start') {
      expect(open).toBeUndefined()
      expect(e.index).toBe(next++)
      open = e.index
    } else if (e.type === 'content_block_delta') {
      expect(e.index).toBe(open)
    } else if (e.type === 'content_block_stop') {
      expect(e.index).toBe(open)
      open = undefined
    } else {
      throw new Error(`unexpected ${e.type}`)
    }
  }
  expect(open).toBeUndefined()
}

describe('KiroEventMapper on arbitrary frame sequences', () => {
  it('gives a well-formed message or a typed error', () => {
    fc.assert(
      fc.property(
        // Short sequences too: they end while the parsers still hold undecided text.
        fc.oneof(
          fc.array(frame, { minLength: 1, maxLength: 25 }),
          fc.array(frame, { minLength: 1, maxLength: 4 }),
        ),
        fc.constantFrom<'off' | 'tags' | 'native'>('off', 'tags', 'native'),
        // '\n' and '<thi' can match text the thinking parser holds at the start of a reply.
        fc.constantFrom<string[]>([], ['STOP'], ['"', 'xyz'], ['\n', '<thi']),
        (frames, thinking, stopSequences) => {
          const { events, error } = mapFrames(frames, {
            model: 'm',
            thinking,
            stopSequences,
            contextWindow: 1000,
          })
          if (error !== undefined) {
            expect(error).toBeInstanceOf(APIError)
            return
          }
          assertWellFormed(events)
          const message = accumulateMessage(events)
          if (message.stop_reason === 'tool_use') {
            // Every completed call's input is the JSON object Kiro sent.
            for (const block of message.content) {
              if (block.type === 'tool_use') expect(typeof block.input).toBe('object')
            }
            expect(message.kiro_truncation).toBeUndefined()
          }
          if (message.kiro_truncation) expect(message.stop_reason).toBe('max_tokens')
          expect(message.usage.output_tokens).toBeGreaterThanOrEqual(0)
        },
      ),
      { numRuns: 1500 },
    )
  })
})
