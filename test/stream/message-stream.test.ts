import { describe, expect, it } from 'vitest'
import { APIUserAbortError, RateLimitError } from '../../src/errors/api-error.js'
import { KiroError } from '../../src/errors/kiro-error.js'
import { accumulateMessage } from '../../src/stream/accumulate.js'
import { MessageStream } from '../../src/stream/message-stream.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { messageStart, messageStop, textDelta, textStart } from '../fixtures/stream/expected.js'
import { goldenStreams } from '../fixtures/stream/golden.js'

const MODEL = 'claude-sonnet-4-5'
const textAndTools = goldenStreams[1]!.events
const nativeThinking = goldenStreams[4]!.events

function deferred<T = void>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** A producer that yields `events`, then waits forever (until aborted), recording what it saw. */
function hangingProducer(events: RawMessageStreamEvent[]) {
  const seen = { signal: undefined as AbortSignal | undefined, returned: false }
  const produce = (signal: AbortSignal) => {
    seen.signal = signal
    return (async function* () {
      try {
        yield* events
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
      } finally {
        seen.returned = true
      }
    })()
  }
  return { produce, seen }
}

/**
 * Creates a stream with the test runner's unhandled-rejection handlers set aside, lets it finish,
 * and returns the rejections that went unhandled meanwhile.
 */
async function unhandledDuring(start: () => MessageStream): Promise<unknown[]> {
  const seen: unknown[] = []
  const saved = process.listeners('unhandledRejection')
  process.removeAllListeners('unhandledRejection')
  const onUnhandled = (reason: unknown) => {
    seen.push(reason)
  }
  process.on('unhandledRejection', onUnhandled)
  const turn = () => new Promise((resolve) => setImmediate(resolve))
  try {
    const stream = start()
    while (!stream.ended) await turn()
    // Node reports unhandled rejections once the microtasks of a turn have run: one more turn.
    await turn()
  } finally {
    process.off('unhandledRejection', onUnhandled)
    for (const listener of saved) process.on('unhandledRejection', listener)
  }
  return seen
}

async function collect(stream: AsyncIterable<RawMessageStreamEvent>): Promise<RawMessageStreamEvent[]> {
  const out: RawMessageStreamEvent[] = []
  for await (const event of stream) out.push(event)
  return out
}

describe('MessageStream', () => {
  it('yields the events in order and accumulates the same message as messages.create()', async () => {
    const stream = MessageStream.fromEvents(textAndTools)
    expect(await collect(stream)).toEqual(textAndTools)
    expect(await stream.finalMessage()).toEqual(accumulateMessage(textAndTools))
    expect(stream.ended).toBe(true)
    expect(stream.currentMessage).toEqual(accumulateMessage(textAndTools))
  })

  it('accepts batches of events from its producer', async () => {
    const stream = new MessageStream(async function* () {
      yield textAndTools.slice(0, 5)
      yield textAndTools.slice(5)
    })
    expect(await collect(stream)).toEqual(textAndTools)
  })

  it('keeps the events for an iterator that starts after the stream ended', async () => {
    const stream = MessageStream.fromEvents(textAndTools)
    await stream.finalMessage()
    expect(await collect(stream)).toEqual(textAndTools)
  })

  it('calls listeners with the SDK signatures', async () => {
    const stream = MessageStream.fromEvents(nativeThinking)
    const calls: unknown[][] = []
    stream
      .on('connect', () => calls.push(['connect']))
      .on('text', (delta, snapshot) => calls.push(['text', delta, snapshot]))
      .on('thinking', (delta, snapshot) => calls.push(['thinking', delta, snapshot]))
      .on('signature', (signature) => calls.push(['signature', signature]))
      .on('contentBlock', (block) => calls.push(['contentBlock', block.type]))
      .on('message', (message) => calls.push(['message', message.stop_reason]))
      .on('finalMessage', (message) => calls.push(['finalMessage', message.content.length]))
      .on('end', () => calls.push(['end']))
    await stream.done()
    expect(calls).toEqual([
      ['connect'],
      ['thinking', 'Consider', 'Consider'],
      ['thinking', ' the options.', 'Consider the options.'],
      ['signature', 'kiro-native.v1.sigABC'],
      ['contentBlock', 'thinking'],
      ['contentBlock', 'redacted_thinking'],
      ['text', 'Answer.', 'Answer.'],
      ['contentBlock', 'text'],
      ['message', 'end_turn'],
      ['finalMessage', 3],
      ['end'],
    ])
  })

  it('gives inputJson listeners the partial JSON and its parse so far', async () => {
    const stream = MessageStream.fromEvents(textAndTools)
    const seen: unknown[] = []
    stream.on('inputJson', (partial, snapshot) => seen.push([partial, snapshot]))
    await stream.done()
    expect(seen).toEqual([
      ['{"city":', {}],
      ['"Paris"}', { city: 'Paris' }],
      ['{"q":"x"}', { q: 'x' }],
    ])
  })

  it('supports once, off and emitted', async () => {
    const stream = MessageStream.fromEvents(goldenStreams[0]!.events)
    const texts: string[] = []
    const never = () => texts.push('off')
    stream.once('text', (delta) => texts.push(delta))
    stream.on('text', never).off('text', never)
    const [message, snapshot] = await Promise.all([stream.emitted('message'), stream.emitted('text')])
    expect(texts).toEqual(['Hello'])
    expect(snapshot).toEqual(['Hello', 'Hello'])
    expect(message.stop_reason).toBe('end_turn')
  })

  it('calls a listener added by a listener from the next event on, as the SDK does', async () => {
    const stream = MessageStream.fromEvents(goldenStreams[0]!.events)
    let added = 0
    let calls = 0
    stream.on('streamEvent', () => {
      if (added < 1000) {
        added++
        stream.on('streamEvent', () => {
          calls++
        })
      }
    })
    await stream.done()
    const events = goldenStreams[0]!.events.length
    // The k-th event reaches the k-1 listeners added before it.
    expect(calls).toBe(((events - 1) * events) / 2)
  })

  it('joins text blocks with a space in finalText, and rejects with the SDK messages', async () => {
    const twoTexts: RawMessageStreamEvent[] = [
      messageStart(MODEL),
      textStart(0),
      textDelta(0, 'a'),
      { type: 'content_block_stop', index: 0 },
      textStart(1),
      textDelta(1, 'b'),
      { type: 'content_block_stop', index: 1 },
      messageStop,
    ]
    expect(await MessageStream.fromEvents(twoTexts).finalText()).toBe('a b')

    const toolsOnly = textAndTools.filter((e) => !('index' in e) || e.index > 0).map(shiftIndex)
    await expect(MessageStream.fromEvents(toolsOnly).finalText()).rejects.toThrow(
      'stream ended without producing a content block with type=text',
    )
    const noStop = MessageStream.fromEvents(textAndTools.slice(0, -1))
    await expect(noStop.finalMessage()).rejects.toThrow(
      'stream ended without producing a Message with role=assistant',
    )
    expect(noStop.ended).toBe(true)
    await expect(MessageStream.fromEvents([]).done()).rejects.toThrow(
      'request ended without sending any chunks',
    )
    const twice = MessageStream.fromEvents([messageStart(MODEL), messageStart(MODEL)])
    await expect(twice.done()).rejects.toThrow(
      'Unexpected event order, got message_start before receiving "message_stop"',
    )
  })

  it('aborts the request when a for-await loop is left early', async () => {
    const { produce, seen } = hangingProducer(textAndTools.slice(0, 3))
    const stream = new MessageStream(produce)
    const aborts: unknown[] = []
    stream.on('abort', (error) => aborts.push(error))
    for await (const event of stream) {
      if (event.type === 'content_block_start') break
    }
    expect(seen.signal?.aborted).toBe(true)
    expect(stream.aborted).toBe(true)
    expect(aborts).toHaveLength(1)
    expect(aborts[0]).toBeInstanceOf(APIUserAbortError)
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(APIUserAbortError)
  })

  it('settles at once on abort(), even while the producer is waiting', async () => {
    const { produce, seen } = hangingProducer([messageStart(MODEL)])
    const stream = new MessageStream(produce)
    await stream.emitted('streamEvent')
    const done = stream.done()
    stream.abort()
    await expect(done).rejects.toBeInstanceOf(APIUserAbortError)
    expect(seen.signal?.aborted).toBe(true)
  })

  it('aborts when the caller signal aborts, and never starts when it already is', async () => {
    const caller = new AbortController()
    const { produce, seen } = hangingProducer([messageStart(MODEL)])
    const stream = new MessageStream(produce, { signal: caller.signal })
    await stream.emitted('streamEvent')
    caller.abort()
    await expect(stream.done()).rejects.toBeInstanceOf(APIUserAbortError)
    expect(seen.signal?.aborted).toBe(true)

    const early = new AbortController()
    const before = hangingProducer([])
    const aborted = new MessageStream(before.produce, { signal: early.signal })
    early.abort()
    await expect(aborted.done()).rejects.toBeInstanceOf(APIUserAbortError)
    expect(before.seen.signal).toBeUndefined()

    const already = hangingProducer([])
    const stream2 = new MessageStream(already.produce, { signal: AbortSignal.abort() })
    await expect(stream2.done()).rejects.toBeInstanceOf(APIUserAbortError)
    expect(already.seen.signal).toBeUndefined()
  })

  it('delivers the events before an upstream error, then the error, to every kind of consumer', async () => {
    const failure = new RateLimitError('Kiro is throttling requests.')
    const stream = new MessageStream(async function* () {
      yield [messageStart(MODEL), textStart(0), textDelta(0, 'Partial')]
      throw failure
    })
    const errors: unknown[] = []
    stream.on('error', (error) => errors.push(error))
    const events: RawMessageStreamEvent[] = []
    await expect(
      (async () => {
        for await (const event of stream) events.push(event)
      })(),
    ).rejects.toBe(failure)
    expect(events).toHaveLength(3)
    expect(errors).toEqual([failure])
    expect(stream.errored).toBe(true)
    await expect(stream.finalMessage()).rejects.toBe(failure)
  })

  it('turns an error that nobody listens for, iterates or awaits into an unhandled rejection', async () => {
    const failure = new RateLimitError('Kiro is throttling requests.')
    const unhandled = await unhandledDuring(
      () =>
        new MessageStream(async function* () {
          yield messageStart(MODEL)
          throw failure
        }),
    )
    expect(unhandled).toEqual([failure])
  })

  it('leaves no unhandled rejection when the error is listened for, iterated or awaited', async () => {
    const failing = () =>
      new MessageStream(async function* () {
        yield messageStart(MODEL)
        throw new RateLimitError('Kiro is throttling requests.')
      })
    const consumers: Array<(stream: MessageStream) => void> = [
      (stream) => stream.on('error', () => {}),
      (stream) => void stream.finalMessage().catch(() => {}),
      (stream) => void collect(stream).catch(() => {}),
    ]
    for (const consume of consumers) {
      const unhandled = await unhandledDuring(() => {
        const stream = failing()
        consume(stream)
        return stream
      })
      expect(unhandled).toEqual([])
    }
  })

  it('reports a producer that throws at once to what the caller attaches after creating the stream', async () => {
    const boom = new TypeError('boom')
    const heard: unknown[] = []
    const caught: unknown[] = []
    const ends: string[] = []
    const unhandled = await unhandledDuring(() => {
      const stream = new MessageStream(() => {
        throw boom
      })
      stream.on('error', (error) => heard.push(error)).on('end', () => ends.push('end'))
      stream.finalMessage().catch((error: unknown) => caught.push(error))
      return stream
    })
    expect(unhandled).toEqual([])
    expect(heard).toHaveLength(1)
    expect((heard[0] as Error).cause).toBe(boom)
    expect(caught).toEqual(heard)
    expect(ends).toEqual(['end'])
  })

  it('tells abort listeners attached after creation when the caller signal was already aborted', async () => {
    let produced = false
    const stream = new MessageStream(
      async function* () {
        produced = true
        yield messageStart(MODEL)
      },
      { signal: AbortSignal.abort() },
    )
    const aborts: unknown[] = []
    stream.on('abort', (error) => aborts.push(error))
    await expect(stream.done()).rejects.toBeInstanceOf(APIUserAbortError)
    expect(aborts).toHaveLength(1)
    expect(aborts[0]).toBeInstanceOf(APIUserAbortError)
    expect(produced).toBe(false)
  })

  it('wraps a foreign error in a KiroError that keeps it as the cause', async () => {
    const boom = new TypeError('boom')
    const stream = new MessageStream(async function* () {
      yield messageStart(MODEL)
      throw boom
    })
    const error = await stream.done().catch((e: unknown) => e)
    expect(KiroError.isInstance(error)).toBe(true)
    expect((error as Error).message).toBe('boom')
    expect((error as Error).cause).toBe(boom)
  })

  it('fails the stream when a listener throws, and aborts the producer', async () => {
    const { produce, seen } = hangingProducer(textAndTools)
    const stream = new MessageStream(produce)
    stream.on('text', () => {
      throw new Error('listener bug')
    })
    await expect(stream.done()).rejects.toThrow('listener bug')
    expect(seen.signal?.aborted).toBe(true)
  })

  it('answers overlapping next() calls in order, then done, without leaving one waiting', async () => {
    const gate = deferred()
    const events = goldenStreams[0]!.events
    const stream = new MessageStream(async function* () {
      await gate.promise
      yield* events
    })
    const iterator = stream[Symbol.asyncIterator]()
    const reads = events.map(() => iterator.next())
    const extra = [iterator.next(), iterator.next()]
    gate.resolve()
    expect(await Promise.all(reads)).toEqual(events.map((value) => ({ value, done: false })))
    expect(await Promise.all(extra)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ])
  })

  it('reads an event alike whether it was queued already or is waited for, and counts it out of the budget either way', async () => {
    const events = textAndTools
    // Some events arrive in batches (later reads find them queued), some alone after a pause (the
    // read waits). With no room at all, the producer goes on only once each event was taken: a
    // read that forgot to count its event out would leave it waiting, and the loop would never end.
    const stream = new MessageStream(
      async function* () {
        for (let i = 0; i < events.length; i += 3) {
          yield events.slice(i, i + 2)
          if (i + 2 < events.length) {
            await new Promise((resolve) => setTimeout(resolve, 0))
            yield events[i + 2]!
          }
        }
      },
      { highWaterMark: 0 },
    )
    const waited: boolean[] = []
    const iterator = stream[Symbol.asyncIterator]()
    const read: RawMessageStreamEvent[] = []
    for (;;) {
      let settled = false
      const next = iterator.next().then((result) => {
        settled = true
        return result
      })
      await Promise.resolve()
      waited.push(!settled)
      const result = await next
      if (result.done) break
      read.push(result.value)
    }
    expect(read).toEqual(events)
    // Both kinds of read happened.
    expect(waited).toContain(true)
    expect(waited).toContain(false)
  })

  it('gives the first of several waiting reads the error, and the others done', async () => {
    const gate = deferred()
    const failure = new RateLimitError('Kiro is throttling requests.')
    const stream = new MessageStream(async function* () {
      yield []
      await gate.promise
      throw failure
    })
    const iterator = stream[Symbol.asyncIterator]()
    const first = iterator.next()
    const second = iterator.next()
    gate.resolve()
    await expect(first).rejects.toBe(failure)
    expect(await second).toEqual({ value: undefined, done: true })
  })

  it('has one reader', () => {
    const stream = MessageStream.fromEvents(textAndTools)
    stream[Symbol.asyncIterator]()
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/consumed stream/)
  })

  it('learns the request id from its options or when the producer connects', async () => {
    const given = MessageStream.fromEvents([], { requestId: 'given' })
    given.on('error', () => {})
    expect(given.request_id).toBe('given')

    const gate = deferred()
    const response = new Response(null, { headers: { 'x-amzn-requestid': 'from-headers' } })
    const stream = new MessageStream(async function* (_signal, connection) {
      await gate.promise
      connection.connected({ response })
      yield* textAndTools
    })
    stream.on('error', () => {})
    expect(stream.request_id).toBeUndefined()
    gate.resolve()
    const { response: got, request_id } = await stream.withResponse()
    expect(got).toBe(response)
    expect(request_id).toBe('from-headers')
    expect(stream.request_id).toBe('from-headers')

    const explicit = new MessageStream(async function* (_signal, connection) {
      connection.connected({ requestId: 'explicit', response: null })
      yield* textAndTools
    })
    await explicit.done()
    expect(explicit.request_id).toBe('explicit')
    await expect(explicit.withResponse()).rejects.toThrow('Could not resolve a `Response` object')
  })

  it('round-trips through toReadableStream and fromReadableStream', async () => {
    const ndjson = MessageStream.fromEvents(nativeThinking).toReadableStream()
    const back = MessageStream.fromReadableStream(ndjson)
    expect(await collect(back)).toEqual(nativeThinking)
    expect(await back.finalMessage()).toEqual(accumulateMessage(nativeThinking))
  })

  it('aborts when its readable stream is cancelled', async () => {
    const { produce, seen } = hangingProducer(textAndTools.slice(0, 2))
    const stream = new MessageStream(produce)
    const reader = stream.toReadableStream().getReader()
    await reader.read()
    await reader.cancel()
    expect(seen.signal?.aborted).toBe(true)
    await expect(stream.done()).rejects.toBeInstanceOf(APIUserAbortError)
  })
})

function shiftIndex(event: RawMessageStreamEvent): RawMessageStreamEvent {
  return 'index' in event ? { ...event, index: event.index - 1 } : event
}
