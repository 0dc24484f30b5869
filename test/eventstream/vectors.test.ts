import { describe, expect, it } from 'vitest'
import type { EventStreamErrorCode } from '../../src/errors/event-stream-error.js'
import { expectedMessage, loadVectors, vectorBytes } from '../helpers/vectors.js'
import { feed, splitEvery } from './feed.js'

/**
 * The manifest's error kinds and the decoder codes that report each one. `length` covers every
 * inconsistent length: total < 16, total > max, headers longer than the message, input cut short.
 */
const CODES_FOR_KIND: Record<string, EventStreamErrorCode[]> = {
  prelude_crc: ['prelude_crc_mismatch'],
  message_crc: ['message_crc_mismatch'],
  length: ['message_too_short', 'message_too_long', 'invalid_header', 'truncated'],
  header: ['invalid_header'],
}

const vectors = loadVectors()
const positive = vectors.filter((vector) => vector.expect === 'ok')
const negative = vectors.filter((vector) => vector.expect === 'error')
const CHUNK_SIZES = Array.from({ length: 17 }, (_, i) => i + 1)

describe('event-stream test vectors', () => {
  it('has the positive and negative vectors of the manifest', () => {
    expect(positive.length).toBeGreaterThanOrEqual(10)
    expect(negative.length).toBeGreaterThanOrEqual(10)
  })

  describe.each(positive.map((vector) => [vector.name, vector] as const))('%s', (_, vector) => {
    const bytes = vectorBytes(vector)
    const expected = (vector.messages ?? []).map(expectedMessage)

    it('decodes whole to the recorded headers and payload', () => {
      const outcome = feed([bytes])
      expect(outcome.error).toBeUndefined()
      expect(outcome.messages).toEqual(expected)
    })

    it.each(CHUNK_SIZES)('decodes the same in chunks of %i bytes', (size) => {
      const outcome = feed(splitEvery(bytes, size))
      expect(outcome.error).toBeUndefined()
      expect(outcome.messages).toEqual(expected)
    })
  })

  describe.each(negative.map((vector) => [vector.name, vector] as const))('%s', (_, vector) => {
    const bytes = vectorBytes(vector)
    const allowed = (vector.acceptable_error_kinds ?? []).flatMap((kind) => CODES_FOR_KIND[kind] ?? [])

    it('names at least one error kind the decoder reports', () => {
      expect(allowed.length).toBeGreaterThan(0)
    })

    it.each([bytes.length, ...CHUNK_SIZES])('fails with an allowed code in chunks of %i bytes', (size) => {
      const outcome = feed(splitEvery(bytes, size))
      expect(outcome.messages).toEqual([])
      expect(outcome.error?.code).toBeOneOf(allowed)
    })
  })
})
