import { afterEach, describe, expect, it } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import { OverloadedError } from '../../src/errors/api-error.js'
import { EventStreamError } from '../../src/errors/event-stream-error.js'
import type { EventStreamMessage } from '../../src/eventstream/types.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { encodeStream, exception, metering, text } from '../fixtures/stream/frames.js'
import { params } from './helpers.js'

// The first chunk of a response is mapped message by message: its first events go to the caller
// before the rest of it is decoded and mapped. These tests pin what that must not change:
// the events and their order, whatever the chunking, and the retry rule (only before the first event).

const clients: KiroClient[] = []
afterEach(() => {
  for (const client of clients.splice(0)) client.close()
})

/** A client whose every request is answered 200 with `chunks` as the body, one read each. */
function clientAnswering(chunks: () => Uint8Array[]): { client: KiroClient; calls: () => number } {
  let calls = 0
  const client = new KiroClient({
    baseURL: 'http://127.0.0.1:9',
    credentials: { accessToken: 'at-first-chunk', expiresAt: Date.now() + 3_600_000 },
    fetch: async () => {
      calls++
      const queue = chunks()
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = queue.shift()
          if (next) controller.enqueue(next)
          else controller.close()
        },
      })
      return new Response(body, {
        status: 200,
        headers: { 'content-type': 'application/vnd.amazon.eventstream' },
      })
    },
  })
  clients.push(client)
  return { client, calls: () => calls }
}

function textOf(events: readonly RawMessageStreamEvent[]): string {
  let out = ''
  for (const event of events) {
    if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') out += event.delta.text
  }
  return out
}

const frames: EventStreamMessage[] = [text('a'), text('b'), text('c'), metering(0.5)]

describe('the first chunk', () => {
  it("hands the first frame's events to the loop before the rest of its chunk is processed", async () => {
    const { client } = clientAnswering(() => [encodeStream(frames)])
    const stream = client.messages.stream(params)
    let textAtFirstEvent: string | undefined
    const events: RawMessageStreamEvent[] = []
    for await (const event of stream) {
      if (events.length === 0) {
        const block = stream.currentMessage?.content[0]
        textAtFirstEvent = block?.type === 'text' ? block.text : undefined
      }
      events.push(event)
    }
    expect(textAtFirstEvent).toBe('a')
    expect(textOf(events)).toBe('abc')
    expect(events.at(-1)?.type).toBe('message_stop')
    expect((await stream.finalMessage()).content).toEqual([{ type: 'text', text: 'abc', citations: null }])
  })

  it('yields the same events however the body is cut into chunks', async () => {
    const bytes = encodeStream(frames)
    const reference = await client1(() => [bytes])
    // Every cut point, including inside the first frame's prelude and right after it.
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const events = await client1(() => [bytes.subarray(0, cut), bytes.subarray(cut)])
      expect(events).toEqual(reference)
    }
  })

  it('a corrupt frame later in the first chunk: earlier events arrive, then EventStreamError', async () => {
    const bytes = encodeStream([text('fine'), text('bad')])
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff
    const { client, calls } = clientAnswering(() => [bytes])
    const events: RawMessageStreamEvent[] = []
    let failure: unknown
    try {
      for await (const event of client.messages.stream(params)) events.push(event)
    } catch (error) {
      failure = error
    }
    expect(textOf(events)).toBe('fine')
    expect(failure).toBeInstanceOf(EventStreamError)
    expect((failure as EventStreamError).code).toBe('message_crc_mismatch')
    expect(calls()).toBe(1)
  })

  it('a first frame whose declared length is absurd is a typed error, not a hang', async () => {
    const bytes = encodeStream(frames)
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(0, 3)
    const { client } = clientAnswering(() => [bytes])
    await expect(client.messages.create(params, { maxRetries: 0 })).rejects.toBeInstanceOf(EventStreamError)
  })

  it('retries a capacity error that precedes every event, even inside a longer first chunk', async () => {
    let attempt = 0
    const { client, calls } = clientAnswering(() =>
      attempt++ === 0
        ? [
            encodeStream([
              exception('ThrottlingException', { message: 'busy', reason: 'INSUFFICIENT_MODEL_CAPACITY' }),
              text('never'),
            ]),
          ]
        : [encodeStream(frames)],
    )
    const message = await client.messages.create(params, { maxRetries: 1 })
    expect(message.content).toEqual([{ type: 'text', text: 'abc', citations: null }])
    expect(calls()).toBe(2)
  })

  it('does not replay once events were delivered: a capacity error after them ends the stream', async () => {
    const { client, calls } = clientAnswering(() => [
      encodeStream([
        text('partial'),
        exception('ThrottlingException', { message: 'busy', reason: 'INSUFFICIENT_MODEL_CAPACITY' }),
      ]),
    ])
    const events: RawMessageStreamEvent[] = []
    let failure: unknown
    try {
      for await (const event of client.messages.stream(params, { maxRetries: 2 })) events.push(event)
    } catch (error) {
      failure = error
    }
    expect(textOf(events)).toBe('partial')
    expect(failure).toBeInstanceOf(OverloadedError)
    expect(calls()).toBe(1)
  })

  async function client1(chunks: () => Uint8Array[]): Promise<unknown[]> {
    const { client } = clientAnswering(chunks)
    const events: RawMessageStreamEvent[] = []
    for await (const event of client.messages.stream(params)) events.push(event)
    // Message ids are random per stream; everything else must match.
    return events.map((event) =>
      event.type === 'message_start' ? { ...event, message: { ...event.message, id: 'msg' } } : event,
    )
  }
})
