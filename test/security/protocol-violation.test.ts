import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, it } from 'vitest'
import { crc32 } from '../../src/eventstream/crc32.js'
import { proxy } from '../server/proxy-harness.js'

/** A valid prelude (both lengths, its CRC) declaring a message of `total` bytes, and nothing more. */
function preludeDeclaring(total: number): Uint8Array {
  const prelude = new Uint8Array(12)
  const view = new DataView(prelude.buffer)
  view.setUint32(0, total)
  view.setUint32(4, 0)
  view.setUint32(8, crc32(prelude.subarray(0, 8)))
  return prelude
}

describe('a frame past the 16 MiB limit from Kiro', () => {
  it('is answered once as a 502 that no client retries: a protocol violation is not transient', async () => {
    const { sim, url } = await proxy({}, { maxRetries: 3 })
    sim.setScript(() => [{ raw: preludeDeclaring(16 * 1024 * 1024 + 1) }])
    const sdk = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 3 })
    const error = await sdk.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((failure: unknown) => failure)
    expect(error).toBeInstanceOf(Anthropic.InternalServerError)
    expect((error as InstanceType<typeof Anthropic.InternalServerError>).status).toBe(502)
    expect((error as Error).message).toContain('message_too_long')
    expect(sim.generateRequests).toHaveLength(1)
  })
})
