import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Anthropic from '@anthropic-ai/sdk'
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { afterEach, describe, expect, it } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import type { AnthropicBackend } from '../../src/server/backend.js'
import { coalesceDeltas } from '../../src/server/coalesce-deltas.js'
import { createNodeHandler } from '../../src/server/node.js'
import type { AnthropicHandlerOptions } from '../../src/server/options.js'
import { toSSEStream } from '../../src/server/sse.js'
import { MessageStream } from '../../src/stream/message-stream.js'
import { createKiroSimulator } from '../../src/testing/index.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import {
  blockStop,
  jsonDelta,
  messageDelta,
  messageStart,
  messageStop,
  signatureDelta,
  textDelta,
  textStart,
  thinkingDelta,
  thinkingStart,
  toolStart,
  usage,
} from '../fixtures/stream/expected.js'
import { fakeBackend } from './fake-backend.js'

/** A whole answer: thinking with its signature, text, a tool call; each in several deltas. */
const answer: RawMessageStreamEvent[] = [
  messageStart('claude-sonnet-4-5', 30),
  thinkingStart(0),
  thinkingDelta(0, 'The user '),
  thinkingDelta(0, 'wants "Paris"'),
  thinkingDelta(0, ' weather.'),
  signatureDelta(0, 'sig-1'),
  blockStop(0),
  textStart(1),
  textDelta(1, 'Let me '),
  textDelta(1, 'check \u00e9\u{1f600} '),
  textDelta(1, 'the "weather".\n'),
  blockStop(1),
  toolStart(2, 'toolu_01', 'get_weather'),
  jsonDelta(2, '{"ci'),
  jsonDelta(2, 'ty": "Pa'),
  jsonDelta(2, 'ris"}'),
  blockStop(2),
  messageDelta('tool_use', usage(30, 42)),
  messageStop,
]

const decoder = new TextDecoder()

function parseSSE(text: string): EventSourceMessage[] {
  const messages: EventSourceMessage[] = []
  createParser({ onEvent: (message) => messages.push(message) }).feed(text)
  return messages
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = ''
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk)
  return text
}

/** A MessageStream whose producer hands over the whole answer as one batch (one network read). */
const oneRead = (events: RawMessageStreamEvent[]) =>
  new MessageStream(async function* () {
    yield events
  })

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function listen(backend: AnthropicBackend, options: AnthropicHandlerOptions): Promise<string> {
  const server = createServer(createNodeHandler(backend, options))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(() => {
    server.closeAllConnections()
    server.close()
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('coalesceDeltas', () => {
  it('joins each run of deltas of one block and kind, and passes everything else as it is', () => {
    const joined = coalesceDeltas(answer)
    expect(joined.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    expect(joined[2]).toEqual(thinkingDelta(0, 'The user wants "Paris" weather.'))
    expect(joined[3]).toEqual(signatureDelta(0, 'sig-1'))
    expect(joined[6]).toEqual(textDelta(1, 'Let me check \u00e9\u{1f600} the "weather".\n'))
    expect(joined[9]).toEqual(jsonDelta(2, '{"city": "Paris"}'))
    // The same members in the same order as an event the mapper makes.
    expect(JSON.stringify(joined[6])).toBe(
      JSON.stringify(textDelta(1, 'Let me check \u00e9\u{1f600} the "weather".\n')),
    )
  })

  it('never joins across blocks, kinds or other events, and changes no event it was given', () => {
    const events = [
      textDelta(0, 'a'),
      textDelta(1, 'b'),
      thinkingDelta(1, 'c'),
      textDelta(1, 'd'),
      signatureDelta(1, 'e'),
      signatureDelta(1, 'f'),
    ]
    const copy = structuredClone(events)
    const out = coalesceDeltas(events)
    // Nothing to join: the very same array back.
    expect(out).toBe(events)
    const mixed = [textDelta(0, 'a'), textDelta(0, 'b'), blockStop(0), textDelta(0, 'c')]
    expect(coalesceDeltas(mixed)).toEqual([textDelta(0, 'ab'), blockStop(0), textDelta(0, 'c')])
    expect(events).toEqual(copy)
    expect(mixed[0]).toEqual(textDelta(0, 'a'))
    expect(coalesceDeltas([])).toEqual([])
  })
})

describe('toSSEStream with coalesceDeltas', () => {
  it('writes one delta per block for the events of one read; off, one frame per event', async () => {
    const on = parseSSE(await readAll(toSSEStream(oneRead(answer), { coalesceDeltas: true })))
    expect(on.map((message) => JSON.parse(message.data))).toEqual(coalesceDeltas(answer))
    expect(on.map((message) => message.event)).toEqual(coalesceDeltas(answer).map((event) => event.type))

    const off = await readAll(toSSEStream(oneRead(answer)))
    expect(off).toBe(
      answer.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''),
    )
  })

  it('leaves events that arrive one read at a time as they are', async () => {
    const oneByOne = new MessageStream(async function* () {
      for (const event of answer) {
        yield event
        // The writer takes each event before the next arrives, as with a paced upstream.
        await new Promise((resolve) => setImmediate(resolve))
      }
    })
    const text = await readAll(toSSEStream(oneByOne, { coalesceDeltas: true }))
    expect(parseSSE(text).map((message) => JSON.parse(message.data))).toEqual(answer)
  })
})

describe('the handler with coalesceDeltas, read by @anthropic-ai/sdk', () => {
  const read = async (url: string) => {
    const sdk = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 })
    const stream = sdk.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    })
    const texts: string[] = []
    const deltas: string[] = []
    stream.on('text', (delta) => texts.push(delta))
    stream.on('streamEvent', (event) => {
      if (event.type === 'content_block_delta') deltas.push(event.delta.type)
    })
    const message = await stream.finalMessage()
    return { message, text: texts.join(''), deltas }
  }

  it('gives the same final message, text and tool input as one event per frame', async () => {
    const backend = fakeBackend()
    const turn = () => oneRead(answer)
    backend.messages.stream = turn
    const joined = await read(await listen(backend, { coalesceDeltas: true }))
    const plain = await read(await listen(backend, {}))

    expect(joined.message).toEqual(plain.message)
    expect(joined.text).toBe('Let me check \u00e9\u{1f600} the "weather".\n')
    expect(joined.message.content[2]).toMatchObject({ type: 'tool_use', input: { city: 'Paris' } })
    expect(joined.message.content[0]).toMatchObject({
      type: 'thinking',
      thinking: 'The user wants "Paris" weather.',
      signature: 'sig-1',
    })
    expect(plain.deltas).toHaveLength(10)
    expect(joined.deltas).toEqual(['thinking_delta', 'signature_delta', 'text_delta', 'input_json_delta'])
  })

  it('over a real KiroClient and the simulator: the same answer with and without it', async () => {
    const sim = await createKiroSimulator()
    const client = new KiroClient({
      baseURL: sim.url,
      credentials: { accessToken: 'test-token' },
      maxRetries: 0,
    })
    cleanups.push(
      () => sim.close(),
      () => client.close(),
    )
    const words = Array.from({ length: 400 }, (_, i) => `word${i} `)
    const turn = [
      { reasoning: { text: ['Thinking ', 'about ', 'it.'], signature: 'sig-sim' } },
      { text: words },
      { toolUse: { name: 'get_weather', input: { city: 'Paris', days: [1, 2, 3] }, fragments: 12 } },
    ]
    const joinedUrl = await listen(client, { coalesceDeltas: true })
    const plainUrl = await listen(client, {})
    sim.enqueue(turn)
    const joined = await read(joinedUrl)
    sim.enqueue(turn)
    const plain = await read(plainUrl)

    expect(joined.text).toBe(words.join(''))
    expect(plain.text).toBe(words.join(''))
    const { id: _a, ...joinedRest } = joined.message
    const { id: _b, ...plainRest } = plain.message
    expect(joinedRest).toEqual(plainRest)
    expect(joined.message.content.at(-1)).toMatchObject({
      type: 'tool_use',
      input: { city: 'Paris', days: [1, 2, 3] },
    })
    // How many deltas get joined depends on how the bytes were split into reads; never more.
    expect(joined.deltas.length).toBeLessThanOrEqual(plain.deltas.length)
  })
})
