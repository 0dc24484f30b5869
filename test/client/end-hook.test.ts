import { describe, expect, it } from 'vitest'
import type { EndHookEvent } from '../../src/client/hooks.js'
import { APIUserAbortError, BadRequestError } from '../../src/errors/api-error.js'
import { params, rejectionOf, setup } from './helpers.js'

/** A client whose onEnd calls are collected; settles a tick so a late second call would show. */
async function withEnds(options: Parameters<typeof setup>[0] = {}) {
  const ends: EndHookEvent[] = []
  const ctx = await setup({ ...options, hooks: { onEnd: (event) => ends.push(event) } })
  const settled = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20))
    return ends
  }
  return { ...ctx, ends, settled }
}

describe('onEnd fires exactly once per request, on every path', () => {
  it('a completed message: usage, stop reason, one attempt', async () => {
    const { sim, client, settled } = await withEnds()
    sim.enqueue([{ text: 'done' }])
    await client.messages.create(params)
    const ends = await settled()
    expect(ends).toHaveLength(1)
    expect(ends[0]).toMatchObject({ stopReason: 'end_turn', attempts: 1, error: undefined })
    expect(ends[0]?.usage?.output_tokens).toBeGreaterThan(0)
  })

  it('a stop sequence ends it early, without error', async () => {
    const { sim, client, settled } = await withEnds()
    sim.enqueue([{ text: ['say STOP', ' and more'] }, { delayMs: 50 }, { text: 'late' }])
    await client.messages.create({ ...params, stop_sequences: ['STOP'] })
    const ends = await settled()
    expect(ends).toHaveLength(1)
    expect(ends[0]).toMatchObject({ stopReason: 'stop_sequence', error: undefined })
  })

  it('a consumer that breaks out of the loop', async () => {
    const { sim, client, settled } = await withEnds()
    sim.enqueue([{ text: 'one' }, { delayMs: 10_000 }, { text: 'two' }])
    for await (const event of client.messages.stream(params)) {
      if (event.type === 'content_block_delta') break
    }
    const ends = await settled()
    expect(ends).toHaveLength(1)
    expect(ends[0]?.error?.name).toBe('APIUserAbortError')
  })

  it("the caller's abort mid-stream", async () => {
    const { sim, client, settled } = await withEnds()
    sim.enqueue([{ text: 'one' }, { delayMs: 10_000 }, { text: 'two' }])
    const controller = new AbortController()
    const stream = client.messages.stream(params, { signal: controller.signal })
    stream.on('text', () => controller.abort())
    expect(await rejectionOf(stream.finalMessage())).toBeInstanceOf(APIUserAbortError)
    const ends = await settled()
    expect(ends).toHaveLength(1)
    expect(ends[0]?.error?.name).toBe('APIUserAbortError')
  })

  it('invalid params: nothing is sent, and onEnd reports the error with zero attempts', async () => {
    const { sim, client, settled } = await withEnds()
    const error = await rejectionOf(client.messages.create({ ...params, messages: [] }))
    expect(error).toBeInstanceOf(BadRequestError)
    const ends = await settled()
    expect(ends).toHaveLength(1)
    expect(ends[0]).toMatchObject({ attempts: 0, error: { name: 'BadRequestError' } })
    expect(sim.generateRequests).toHaveLength(0)
  })

  it('retries, then success: one onEnd counting every attempt', async () => {
    const { sim, client, settled } = await withEnds()
    sim.enqueue([{ error: { status: 503, headers: { 'retry-after-ms': '5' } } }], [{ text: 'ok' }])
    await client.messages.create(params)
    const ends = await settled()
    expect(ends).toHaveLength(1)
    expect(ends[0]).toMatchObject({ attempts: 2, stopReason: 'end_turn', error: undefined })
  })

  it("an HTTP failure carries Kiro's request id", async () => {
    const { sim, client, settled } = await withEnds({ maxRetries: 0 })
    sim.enqueue([{ error: { status: 400, body: { message: 'Improperly formed request.' } } }])
    await rejectionOf(client.messages.create(params))
    const ends = await settled()
    expect(ends).toHaveLength(1)
    expect(ends[0]?.error?.status).toBe(400)
    expect(ends[0]?.requestId).toBe(sim.generateRequests[0]?.requestId)
  })
})
