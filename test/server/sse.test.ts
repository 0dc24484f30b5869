import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RateLimitError } from '../../src/errors/api-error.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { toSSEResponse, toSSEStream } from '../../src/server/sse.js'
import { MessageStream } from '../../src/stream/message-stream.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { messageStart, textDelta, textStart } from '../fixtures/stream/expected.js'
import { goldenStreams } from '../fixtures/stream/golden.js'

const events = goldenStreams[1]!.events
const decoder = new TextDecoder()

async function readChunks(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const reader = stream.getReader()
  const chunks: string[] = []
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return chunks
    chunks.push(decoder.decode(value))
  }
}

function parseSSE(text: string): EventSourceMessage[] {
  const messages: EventSourceMessage[] = []
  const parser = createParser({ onEvent: (message) => messages.push(message) })
  parser.feed(text)
  return messages
}

/** A stream whose producer emits `first`, then waits until `release` (or an abort). */
function gatedStream(first: RawMessageStreamEvent[], rest: RawMessageStreamEvent[]) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const seen = { signal: undefined as AbortSignal | undefined }
  const stream = new MessageStream(async function* (signal) {
    seen.signal = signal
    yield first
    await Promise.race([
      gate,
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    ])
    yield rest
  })
  return { stream, release, seen }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('toSSEStream', () => {
  it('frames every event, in order, as the Anthropic API does: event line equal to the data type', async () => {
    const chunks = await readChunks(toSSEStream(MessageStream.fromEvents(events)))
    // Byte for byte what a frame per event gives, whatever the chunking.
    expect(chunks.join('')).toBe(
      events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''),
    )
    const parsed = parseSSE(chunks.join(''))
    expect(parsed.map((message) => message.event)).toEqual(events.map((event) => event.type))
    expect(parsed.map((message) => JSON.parse(message.data))).toEqual(events)
  })

  it('sends the events that arrived together in one chunk, and each later arrival as soon as it comes', async () => {
    const { stream, release } = gatedStream(events.slice(0, 3), events.slice(3))
    const reader = toSSEStream(stream).getReader()
    const first = decoder.decode((await reader.read()).value)
    expect(parseSSE(first).map((message) => message.event)).toEqual(events.slice(0, 3).map((e) => e.type))
    release()
    const rest = decoder.decode((await reader.read()).value)
    expect(parseSSE(rest).map((message) => message.event)).toEqual(events.slice(3).map((e) => e.type))
    expect((await reader.read()).done).toBe(true)
  })

  it('lets a MessageStream under backpressure go on: the events taken in a batch count as read', async () => {
    // Batches well over the high-water mark: were the batched events not counted out, the producer
    // would wait for room for ever and the stream would never end.
    const many = [events[0]!, ...Array.from({ length: 40 }, () => events.slice(1, -1)).flat(), events.at(-1)!]
    const stream = new MessageStream(
      async function* () {
        for (let at = 0; at < many.length; at += 10) yield many.slice(at, at + 10)
      },
      { highWaterMark: 512 },
    )
    const chunks = await readChunks(toSSEStream(stream))
    expect(parseSSE(chunks.join('')).map((message) => message.event)).toEqual(many.map((e) => e.type))
  })

  it('frames a plain async iterable one event per chunk', async () => {
    async function* plain() {
      yield* events
    }
    const chunks = await readChunks(toSSEStream(plain()))
    expect(chunks).toEqual(events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`))
  })

  it('keeps multi-line and unusual text on one data line', async () => {
    const tricky = [messageStart('m'), textStart(0), textDelta(0, 'a\nb\r\nc\u2028d\n\nevent: fake\n')]
    const chunks = await readChunks(toSSEStream(MessageStream.fromEvents(tricky)))
    const parsed = parseSSE(chunks.join(''))
    expect(parsed.map((m) => JSON.parse(m.data))).toEqual(tricky)
  })

  it('sends a ping after each interval of upstream silence, and none while events flow', async () => {
    vi.useFakeTimers()
    const { stream, release } = gatedStream([messageStart('m')], events.slice(1))
    const reader = toSSEStream(stream, { pingIntervalMs: 1000 }).getReader()
    expect(decoder.decode((await reader.read()).value)).toMatch(/^event: message_start\n/)

    let next = reader.read()
    let settled = false
    void next.then(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(decoder.decode((await next).value)).toBe('event: ping\ndata: {"type":"ping"}\n\n')
    next = reader.read()
    await vi.advanceTimersByTimeAsync(1000)
    expect(decoder.decode((await next).value)).toBe('event: ping\ndata: {"type":"ping"}\n\n')

    release()
    const rest: string[] = []
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      rest.push(decoder.decode(value))
    }
    expect(parseSSE(rest.join('')).map((message) => message.event)).toEqual(
      events.slice(1).map((e) => e.type),
    )
  })

  it('pings every 15 seconds by default', async () => {
    vi.useFakeTimers()
    const { stream } = gatedStream([], [])
    stream.on('error', () => {})
    const reader = toSSEStream(stream).getReader()
    const next = reader.read()
    let settled = false
    void next.then(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(14_999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(decoder.decode((await next).value)).toContain('event: ping')
    await reader.cancel()
  })

  it('ends a failed stream with one error frame carrying the Anthropic error type, then closes', async () => {
    const failure = new RateLimitError('Kiro is throttling requests: Slow down. Wait and try again.')
    const stream = new MessageStream(async function* () {
      yield events.slice(0, 3)
      throw failure
    })
    const chunks = await readChunks(toSSEStream(stream))
    // The three events arrived together (one chunk), then the failure.
    expect(chunks).toHaveLength(2)
    expect(parseSSE(chunks[0]!).map((message) => message.event)).toEqual(
      events.slice(0, 3).map((e) => e.type),
    )
    expect(chunks[1]).toBe(
      `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: failure.message } })}\n\n`,
    )
  })

  it('does not leak the message of an error that is not the library’s', async () => {
    async function* broken(): AsyncGenerator<RawMessageStreamEvent> {
      yield messageStart('m')
      throw new Error('internal detail /home/me/secret')
    }
    const chunks = await readChunks(toSSEStream(broken()))
    expect(chunks.at(-1)).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"Internal server error"}}\n\n',
    )
  })

  it('aborts the MessageStream (and so the upstream request) when the response is cancelled', async () => {
    const { stream, seen } = gatedStream([messageStart('m')], [])
    const reader = toSSEStream(stream).getReader()
    await reader.read()
    await reader.cancel()
    expect(seen.signal?.aborted).toBe(true)
    expect(stream.aborted).toBe(true)
  })

  it('returns a plain async iterator when cancelled', async () => {
    let finalized = false
    async function* source(): AsyncGenerator<RawMessageStreamEvent> {
      try {
        yield messageStart('m')
        yield textStart(0)
      } finally {
        finalized = true
      }
    }
    const reader = toSSEStream(source()).getReader()
    await reader.read()
    await reader.cancel()
    expect(finalized).toBe(true)
  })

  it('rejects a ping interval that is not a positive number, naming the option', () => {
    for (const bad of [0, -5, Number.NaN]) {
      expect(() => toSSEStream(MessageStream.fromEvents(events), { pingIntervalMs: bad })).toThrow(
        ConfigurationError,
      )
    }
    expect(() => toSSEStream(MessageStream.fromEvents(events), { pingIntervalMs: 0 })).toThrow(
      /pingIntervalMs/,
    )
  })
})

describe('toSSEResponse', () => {
  it('answers 200 text/event-stream with no-buffering headers and the request id', async () => {
    const stream = MessageStream.fromEvents(events, { requestId: 'kiro-req-1' })
    const response = toSSEResponse(stream)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('x-accel-buffering')).toBe('no')
    expect(response.headers.get('request-id')).toBe('kiro-req-1')
    const frames = parseSSE(await response.text())
    expect(frames.map((f) => JSON.parse(f.data))).toEqual(events)
  })

  it('lets the caller add and override headers', () => {
    const response = toSSEResponse(MessageStream.fromEvents(events, { requestId: 'kiro' }), {
      headers: { 'request-id': 'req_mine', 'x-extra': '1' },
      pingIntervalMs: 5000,
    })
    expect(response.headers.get('request-id')).toBe('req_mine')
    expect(response.headers.get('x-extra')).toBe('1')
    void response.body?.cancel()
  })
})
