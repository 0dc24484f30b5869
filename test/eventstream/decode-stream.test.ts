import { describe, expect, it } from 'vitest'
import { EventStreamError } from '../../src/errors/event-stream-error.js'
import { decodeEventStream, decodeEventStreamBatches } from '../../src/eventstream/decode-stream.js'
import type { EventStreamMessage } from '../../src/eventstream/types.js'
import { concat, splitAt } from './feed.js'
import { encode, kiroEvent } from './message.js'

const messages = ['one', 'two', 'three', 'four'].map((content) =>
  kiroEvent('assistantResponseEvent', { content }),
)
const bytes = concat(messages.map(encode))
const first = encode(messages[0]!).length
// Chunk 1 completes message 1 and starts message 2; chunk 2 completes nothing; chunk 3 completes the rest.
const chunks = splitAt(bytes, [first + 3, first + 10])

interface Recorded {
  pulls: number
  cancelled: unknown[]
}

function readable(
  parts: Uint8Array[],
  failWith?: unknown,
): { stream: ReadableStream<Uint8Array>; record: Recorded } {
  const record: Recorded = { pulls: 0, cancelled: [] }
  let index = 0
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        record.pulls++
        if (index < parts.length) controller.enqueue(parts[index++]!)
        else if (failWith !== undefined) controller.error(failWith)
        else controller.close()
      },
      cancel(reason) {
        record.cancelled.push(reason)
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, record }
}

async function* generator(
  parts: Uint8Array[],
  record: { yielded: number; finished: boolean },
  failWith?: unknown,
) {
  try {
    for (const part of parts) {
      record.yielded++
      yield part
    }
    if (failWith !== undefined) throw failWith
  } finally {
    record.finished = true
  }
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error?: unknown }> {
  const items: T[] = []
  try {
    for await (const item of iterable) items.push(item)
    return { items }
  } catch (error) {
    return { items, error }
  }
}

describe('decodeEventStream', () => {
  it('decodes a ReadableStream', async () => {
    const { stream } = readable(chunks)
    expect(await collect(decodeEventStream(stream))).toEqual({ items: messages })
  })

  it('decodes an async generator', async () => {
    const record = { yielded: 0, finished: false }
    expect(await collect(decodeEventStream(generator(chunks, record)))).toEqual({ items: messages })
    expect(record.finished).toBe(true)
  })

  it('hands out the messages of each chunk before reading the next one', async () => {
    const record = { yielded: 0, finished: false }
    const iterator = decodeEventStream(generator(chunks, record))
    expect((await iterator.next()).value).toEqual(messages[0])
    expect(record.yielded).toBe(1)
    expect((await iterator.next()).value).toEqual(messages[1])
    expect(record.yielded).toBe(3)
  })

  it('lets an error of a ReadableStream source through unchanged', async () => {
    const failure = new Error('socket hang up')
    const { stream } = readable(chunks.slice(0, 1), failure)
    const outcome = await collect(decodeEventStream(stream))
    expect(outcome.items).toEqual(messages.slice(0, 1))
    expect(outcome.error).toBe(failure)
    expect(stream.locked).toBe(false)
  })

  it('lets an error of an async iterable source through unchanged', async () => {
    const failure = new Error('aborted')
    const record = { yielded: 0, finished: false }
    const outcome = await collect(decodeEventStream(generator(chunks.slice(0, 1), record, failure)))
    expect(outcome).toEqual({ items: messages.slice(0, 1), error: failure })
  })

  it('cancels a ReadableStream and releases its reader when the loop is left early', async () => {
    const { stream, record } = readable(chunks)
    for await (const message of decodeEventStream(stream)) {
      expect(message).toEqual(messages[0])
      break
    }
    expect(record.cancelled).toHaveLength(1)
    expect(stream.locked).toBe(false)
    expect(record.pulls).toBe(1)
  })

  it('returns an async iterable source when the loop is left early', async () => {
    const record = { yielded: 0, finished: false }
    for await (const _ of decodeEventStream(generator(chunks, record))) break
    expect(record.finished).toBe(true)
    expect(record.yielded).toBe(1)
  })

  it('yields the good messages, then throws the fault without reading further, and cancels the source', async () => {
    const corrupt = encode(messages[1]!)
    corrupt[corrupt.length - 5]! ^= 1
    const { stream, record } = readable([concat([encode(messages[0]!), corrupt]), encode(messages[2]!)])
    const outcome = await collect(decodeEventStream(stream))
    expect(outcome.items).toEqual(messages.slice(0, 1))
    expect(outcome.error).toBeInstanceOf(EventStreamError)
    expect((outcome.error as EventStreamError).code).toBe('message_crc_mismatch')
    expect(record.pulls).toBe(1)
    expect(record.cancelled).toHaveLength(1)
  })

  it('throws truncated after the last whole message when the input stops inside one', async () => {
    const { stream } = readable([bytes.subarray(0, bytes.length - 1)])
    const outcome = await collect(decodeEventStream(stream))
    expect(outcome.items).toEqual(messages.slice(0, 3))
    expect((outcome.error as EventStreamError).code).toBe('truncated')
  })

  it('passes maxMessageLength to the decoder', async () => {
    const { stream } = readable(chunks)
    const outcome = await collect(decodeEventStream(stream, { maxMessageLength: 20 }))
    expect((outcome.error as EventStreamError).code).toBe('message_too_long')
  })

  it('rejects a source that is neither a ReadableStream nor an async iterable', async () => {
    const outcome = await collect(decodeEventStream([bytes] as unknown as AsyncIterable<Uint8Array>))
    expect(outcome.error).toBeInstanceOf(TypeError)
    expect(String(outcome.error)).toMatch(/source must be a ReadableStream or an AsyncIterable/)
  })
})

describe('decodeEventStreamBatches', () => {
  it('yields one array per chunk that completes at least one message', async () => {
    const { stream } = readable(chunks)
    const outcome = await collect(decodeEventStreamBatches(stream))
    expect(outcome.error).toBeUndefined()
    expect(outcome.items).toEqual([messages.slice(0, 1), messages.slice(1)] satisfies EventStreamMessage[][])
  })

  it('cancels the source when the loop is left early', async () => {
    const { stream, record } = readable(chunks)
    for await (const _ of decodeEventStreamBatches(stream)) break
    expect(record.cancelled).toHaveLength(1)
    expect(stream.locked).toBe(false)
  })
})
