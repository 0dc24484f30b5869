import { describe, expect, it } from 'vitest'
import { encodeEventStreamMessage } from '../../src/eventstream/encoder.js'
import { expectedMessage, loadVectors, vectorBytes } from '../helpers/vectors.js'

describe('encodeEventStreamMessage', () => {
  const positive = loadVectors().filter((vector) => vector.expect === 'ok')

  it('finds the positive vectors', () => {
    expect(positive.length).toBeGreaterThanOrEqual(10)
  })

  for (const vector of positive) {
    it(`re-encodes ${vector.name} byte for byte`, () => {
      const encoded = (vector.messages ?? []).map((message) =>
        encodeEventStreamMessage(expectedMessage(message)),
      )
      expect(Buffer.concat(encoded)).toEqual(Buffer.from(vectorBytes(vector)))
    })
  }

  it('rejects a header value longer than 32767 bytes', () => {
    const payload = new Uint8Array()
    expect(() =>
      encodeEventStreamMessage({ headers: { big: { type: 'string', value: 'x'.repeat(40_000) } }, payload }),
    ).toThrow(/limit is 32767/)
  })
})
