import { http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  type APIConnectionTimeoutError,
  APIUserAbortError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import type { EventStreamError } from '../../src/errors/event-stream-error.js'
import { createKiroFetchSimulator, kiroMswHandlers } from '../../src/testing/index.js'
import { sendKiroRequest } from '../../src/transport/fetch-transport.js'
import { kiroBody, readFrames } from './kiro-fixtures.js'

const failure = async (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

function send(
  sim: ReturnType<typeof createKiroFetchSimulator>,
  options: Partial<Parameters<typeof sendKiroRequest>[0]> = {},
) {
  return sendKiroRequest({
    url: `${sim.url}/generateAssistantResponse`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(kiroBody()),
    fetch: sim.fetch,
    ...options,
  })
}

describe('createKiroFetchSimulator', () => {
  it('answers through its fetch with the same frames and records', async () => {
    const sim = createKiroFetchSimulator()
    sim.enqueue([{ text: ['a', 'b'] }, { toolUse: { name: 't', id: 'tooluse_x', input: { q: 1 } } }])
    const result = await send(sim)
    expect(result.requestId).toBe(sim.requests[0]!.requestId)
    const { frames, error } = await readFrames(result.body)
    expect(error).toBeUndefined()
    expect(frames.map((f) => f.type)).toEqual([
      'assistantResponseEvent',
      'assistantResponseEvent',
      'toolUseEvent',
      'toolUseEvent',
    ])
    expect(sim.requests[0]!.response.frameTimes).toHaveLength(4)
  })

  it('answers HTTP errors the transport turns into typed errors', async () => {
    const sim = createKiroFetchSimulator()
    sim.enqueue([
      { error: { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '1' } } },
    ])
    const error = await failure(send(sim))
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).headers?.get('retry-after')).toBe('1')
  })

  it('stalls, resets and truncates like the server', async () => {
    const sim = createKiroFetchSimulator()
    sim.enqueue(
      [{ stall: true }],
      [{ text: 'x' }, { stall: true }],
      [{ text: 'x' }, { reset: true }],
      [{ text: 'x' }, { truncate: true }],
    )
    const noHeaders = await failure(send(sim, { timeouts: { response: 50 } }))
    expect((noHeaders as APIConnectionTimeoutError).timeout).toBe('response')
    const stalled = await send(sim, { timeouts: { idle: 50 } })
    expect(((await failure(stalled.body.text(1024))) as APIConnectionTimeoutError).timeout).toBe('idle')
    const reset = await send(sim)
    expect(await failure(reset.body.text(1024))).toBeInstanceOf(APIConnectionError)
    const truncated = await send(sim)
    const { error } = await readFrames(truncated.body)
    expect((error as EventStreamError).code).toBe('truncated')
  })

  it('follows the caller abort, mid-stream', async () => {
    const sim = createKiroFetchSimulator()
    sim.enqueue([{ text: 'x' }, { stall: true }])
    const controller = new AbortController()
    const result = await send(sim, { signal: controller.signal })
    const iterator = result.body[Symbol.asyncIterator]()
    await iterator.next()
    const pending = iterator.next()
    controller.abort()
    expect(await failure(pending)).toBeInstanceOf(APIUserAbortError)
    expect(sim.requests[0]!.response.outcome).toBe('client-closed')
  })
})

describe('kiroMswHandlers', () => {
  const sim = createKiroFetchSimulator({ baseUrl: 'https://q.us-east-1.amazonaws.com' })
  const server = setupServer(...kiroMswHandlers(http, sim))
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())

  it('intercepts the Kiro host for code that uses the global fetch', async () => {
    sim.enqueue([{ text: 'from msw' }])
    const response = await fetch('https://q.us-east-1.amazonaws.com/generateAssistantResponse', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(kiroBody()),
    })
    const { frames } = await readFrames(response)
    expect(frames.map((f) => f.json)).toEqual([{ content: 'from msw' }])
    expect(sim.requests.at(-1)!.kind).toBe('generate')
  })
})
