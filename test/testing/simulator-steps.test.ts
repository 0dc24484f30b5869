import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { APIConnectionError, type APIConnectionTimeoutError } from '../../src/errors/api-error.js'
import { EventStreamError } from '../../src/errors/event-stream-error.js'
import { createKiroSimulator, type KiroSimulator, type ScriptStep } from '../../src/testing/index.js'
import { sendKiroRequest } from '../../src/transport/fetch-transport.js'
import { kiroBody, post, readFrames } from './kiro-fixtures.js'

let sim: KiroSimulator

beforeAll(async () => {
  sim = await createKiroSimulator()
})
afterAll(() => sim.close())
beforeEach(() => sim.clear())

async function frames(...turn: ScriptStep[]) {
  sim.enqueue(turn)
  const response = await post(sim.url, kiroBody())
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream')
  return readFrames(response)
}

const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('simulator steps decode to the frames Kiro sends', () => {
  it('text: one assistantResponseEvent per chunk', async () => {
    const { frames: got, error } = await frames({ text: 'Hel' }, { text: ['lo', ' wörld 😀'] })
    expect(error).toBeUndefined()
    expect(got).toEqual([
      { messageType: 'event', type: 'assistantResponseEvent', json: { content: 'Hel' } },
      { messageType: 'event', type: 'assistantResponseEvent', json: { content: 'lo' } },
      { messageType: 'event', type: 'assistantResponseEvent', json: { content: ' wörld 😀' } },
    ])
  })

  it('toolUse: fragments that join to the input, then stop', async () => {
    const input = { path: '/tmp/ä😀.txt', lines: [1, 2, 3], nested: { deep: true } }
    const { frames: got } = await frames({
      toolUse: { name: 'read_file', id: 'tooluse_1', input, fragments: 4 },
    })
    expect(got.every((f) => f.type === 'toolUseEvent')).toBe(true)
    const payloads = got.map(
      (f) => f.json as { name: string; toolUseId: string; input?: string; stop?: boolean },
    )
    expect(payloads).toHaveLength(5)
    expect(payloads.every((p) => p.name === 'read_file' && p.toolUseId === 'tooluse_1')).toBe(true)
    expect(JSON.parse(payloads.map((p) => p.input ?? '').join(''))).toEqual(input)
    expect(payloads.at(-1)).toEqual({ name: 'read_file', toolUseId: 'tooluse_1', stop: true })
  })

  it('toolUse: raw fragments as given, a generated id, and no stop when asked', async () => {
    const { frames: got } = await frames({ toolUse: { name: 'w', input: ['{"a":', '1'], stop: false } })
    const payloads = got.map((f) => f.json as { toolUseId: string; input?: string; stop?: boolean })
    expect(payloads.map((p) => p.input)).toEqual(['{"a":', '1'])
    expect(payloads.some((p) => p.stop)).toBe(false)
    expect(payloads[0]!.toolUseId).toMatch(/^tooluse_[A-Za-z0-9]{22}$/)
  })

  it('reasoning: text chunks then the signature; redacted content', async () => {
    const { frames: got } = await frames(
      { reasoning: { text: ['Let me ', 'think.'], signature: 'sig-abc' } },
      { reasoning: { redacted: 'AAEC' } },
    )
    expect(got.map((f) => [f.type, f.json])).toEqual([
      ['reasoningContentEvent', { text: 'Let me ' }],
      ['reasoningContentEvent', { text: 'think.' }],
      ['reasoningContentEvent', { signature: 'sig-abc' }],
      ['reasoningContentEvent', { redactedContent: 'AAEC' }],
    ])
  })

  it('metering, context usage, metadata and any other event', async () => {
    const usage = { uncachedInputTokens: 10, outputTokens: 5, totalTokens: 15 }
    const { frames: got } = await frames(
      { metering: 0.25 },
      { contextUsage: 12.5 },
      { metadata: usage },
      { event: 'messageMetadataEvent', payload: { conversationId: 'c1' } },
    )
    expect(got.map((f) => [f.type, f.json])).toEqual([
      ['meteringEvent', { unit: 'credit', unitPlural: 'credits', usage: 0.25 }],
      ['contextUsageEvent', { contextUsagePercentage: 12.5 }],
      ['metadataEvent', { tokenUsage: usage }],
      ['messageMetadataEvent', { conversationId: 'c1' }],
    ])
  })

  it('exception: an exception frame after the events before it', async () => {
    const { frames: got } = await frames(
      { text: 'partial' },
      { exception: { type: 'ContentLengthExceededException', message: 'Too long', reason: 'X' } },
    )
    expect(got[1]).toEqual({
      messageType: 'exception',
      type: 'ContentLengthExceededException',
      json: { message: 'Too long', reason: 'X' },
    })
  })

  it('error: an HTTP error with its headers, body and a request id', async () => {
    sim.enqueue([
      {
        error: {
          status: 429,
          body: { message: 'Too many requests', reason: 'SERVICE_REQUEST_RATE_EXCEEDED' },
          headers: { 'retry-after': '2', 'x-amzn-errortype': 'ThrottlingException' },
        },
      },
    ])
    const response = await post(sim.url, kiroBody())
    expect(response.status).toBe(429)
    expect(response.headers.get('retry-after')).toBe('2')
    expect(response.headers.get('x-amzn-errortype')).toBe('ThrottlingException')
    expect(response.headers.get('x-amzn-requestid')).toBe(sim.requests[0]!.requestId)
    expect(await response.json()).toEqual({
      message: 'Too many requests',
      reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
    })
  })

  it('raw: bytes as they are', async () => {
    sim.enqueue([{ raw: new TextEncoder().encode('not an event stream') }])
    const response = await post(sim.url, kiroBody())
    expect(await response.text()).toBe('not an event stream')
  })

  it('corruptCrc: the next frame fails its message CRC, after the good ones', async () => {
    const { frames: got, error } = await frames({ text: 'ok' }, { corruptCrc: true }, { text: 'bad' })
    expect(got.map((f) => f.json)).toEqual([{ content: 'ok' }])
    expect(error).toBeInstanceOf(EventStreamError)
    expect((error as EventStreamError).code).toBe('message_crc_mismatch')
  })

  it('truncate: the body ends inside a frame', async () => {
    const { frames: got, error } = await frames({ text: 'ok' }, { truncate: true })
    expect(got).toHaveLength(1)
    expect((error as EventStreamError).code).toBe('truncated')
    expect(sim.requests[0]!.response.outcome).toBe('truncated')
  })

  it('reset: the connection dies mid-body', async () => {
    sim.enqueue([{ text: 'ok' }, { reset: true }])
    const result = await sendKiroRequest({
      url: `${sim.url}/generateAssistantResponse`,
      headers: {},
      body: JSON.stringify(kiroBody()),
    })
    expect(await failure(result.body.text(1 << 20))).toBeInstanceOf(APIConnectionError)
    expect(sim.requests.at(-1)!.response.outcome).toBe('reset')
  })

  it('reset before any byte: no response at all', async () => {
    sim.enqueue([{ reset: true }])
    const error = await failure(
      sendKiroRequest({
        url: `${sim.url}/generateAssistantResponse`,
        headers: {},
        body: JSON.stringify(kiroBody()),
      }),
    )
    expect(error).toBeInstanceOf(APIConnectionError)
  })

  it('stall after frames: the idle timeout fires and the simulator sees the client leave', async () => {
    sim.enqueue([{ text: 'first' }, { stall: true }])
    const result = await sendKiroRequest({
      url: `${sim.url}/generateAssistantResponse`,
      headers: {},
      body: JSON.stringify(kiroBody()),
      timeouts: { idle: 100 },
    })
    const error = await failure(result.body.text(1 << 20))
    expect((error as APIConnectionTimeoutError).timeout).toBe('idle')
    await expect.poll(() => sim.requests[0]!.response.outcome).toBe('client-closed')
  })

  it('a leading stall sends no headers: the response timeout fires', async () => {
    sim.enqueue([{ stall: true }])
    const error = await failure(
      sendKiroRequest({
        url: `${sim.url}/generateAssistantResponse`,
        headers: {},
        body: JSON.stringify(kiroBody()),
        timeouts: { response: 100 },
      }),
    )
    expect((error as APIConnectionTimeoutError).timeout).toBe('response')
  })

  it('flushHeaders then stall: headers arrive, then silence', async () => {
    sim.enqueue([{ flushHeaders: true }, { stall: true }])
    const result = await sendKiroRequest({
      url: `${sim.url}/generateAssistantResponse`,
      headers: {},
      body: JSON.stringify(kiroBody()),
      timeouts: { response: 5000, idle: 100 },
    })
    expect(result.response.status).toBe(200)
    expect(((await failure(result.body.text(1024))) as APIConnectionTimeoutError).timeout).toBe('idle')
  })

  it('delays between frames, with a timestamp per frame on the performance clock', async () => {
    const before = performance.now()
    const { frames: got } = await frames(
      { text: 'a' },
      { delayMs: 20 },
      { text: ['b', 'c'] },
      { metering: 1 },
    )
    expect(got).toHaveLength(4)
    const times = sim.requests[0]!.response.frameTimes
    expect(times).toHaveLength(4)
    expect(times[0]!).toBeGreaterThanOrEqual(before)
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!)
    expect(sim.requests[0]!.response.outcome).toBe('complete')
  })

  it('an empty turn is an empty, complete stream', async () => {
    const { frames: got, error } = await frames()
    expect(got).toEqual([])
    expect(error).toBeUndefined()
  })
})

describe('turn checks', () => {
  it.each([
    [[{ text: 'a' }, { error: { status: 500 } }], /turn\.1\.error: an HTTP error must come before/],
    [[{ stall: true }, { text: 'a' }], /turn\.1: nothing can follow a stall step/],
    [[{ bogus: 1 }], /turn\.0: unknown step "bogus"/],
    [[{ text: 'a', metering: 1 }], /turn\.0: expected exactly one step key/],
    [[{ delayMs: -1 }], /turn\.0\.delayMs/],
    [[{ text: 'a' }, { corruptCrc: true }], /corruptCrc must be followed/],
  ])('refuses a malformed turn when it is queued: %j', (turn, message) => {
    expect(() => sim.enqueue(turn as never)).toThrow(message)
  })

  it('accepts delays before an HTTP error', () => {
    expect(() => sim.enqueue([{ delayMs: 5 }, { error: { status: 503 } }])).not.toThrow()
  })
})
