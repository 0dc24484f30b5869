import { describe, expect, it } from 'vitest'
import type { RefreshEvent } from '../../src/auth/types.js'
import type { RetryHookEvent } from '../../src/client/hooks.js'
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  type APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  OverloadedError,
  PaymentRequiredError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { EventStreamError } from '../../src/errors/event-stream-error.js'
import { crc32 } from '../../src/eventstream/crc32.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { ACCESS_TOKEN, collect, params, REFRESH_TOKEN, rejectionOf, setup } from './helpers.js'

/** A prelude declaring a 1 GiB message, with a valid prelude CRC. */
function giantPrelude(): Uint8Array {
  const bytes = new Uint8Array(12)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, 1024 * 1024 * 1024)
  view.setUint32(4, 0)
  view.setUint32(8, crc32(bytes.subarray(0, 8)))
  return bytes
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('timeouts', () => {
  it('fires the response timeout when no headers come', async () => {
    const { sim, client } = await setup({ timeout: { response: 150 }, maxRetries: 0 })
    sim.enqueue([{ stall: true }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as APIConnectionTimeoutError).timeout).toBe('response')
    expect((error as APIConnectionTimeoutError).timeoutMs).toBe(150)
    expect(error.message).toMatch(/150 ms/)
  })

  it('fires the idle timeout when the body goes silent', async () => {
    const { sim, client } = await setup({ timeout: { idle: 150 }, maxRetries: 0 })
    sim.enqueue([{ flushHeaders: true }, { stall: true }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as APIConnectionTimeoutError).timeout).toBe('idle')
  })

  it('fires the idle timeout after events were delivered, as a stream error without replay', async () => {
    const { sim, client } = await setup({ timeout: { idle: 150 } })
    sim.enqueue([{ text: 'partial' }, { stall: true }])
    const stream = client.messages.stream(params)
    const seen: RawMessageStreamEvent[] = []
    const error = await rejectionOf(
      (async () => {
        for await (const event of stream) seen.push(event)
      })(),
    )
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect(seen.some((event) => event.type === 'content_block_delta')).toBe(true)
    expect(sim.generateRequests).toHaveLength(1)
  })
})

describe('hostile upstream', () => {
  it('turns a reset mid-frame into APIConnectionError, delivering only whole events', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    sim.enqueue([
      { text: 'first' },
      { delayMs: 20 },
      { raw: new Uint8Array([0, 0, 0, 80, 0, 0]) },
      { reset: true },
    ])
    const stream = client.messages.stream(params)
    const seen: RawMessageStreamEvent[] = []
    const error = await rejectionOf(
      (async () => {
        for await (const event of stream) seen.push(event)
      })(),
    )
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError)
    const texts = seen.flatMap((event) =>
      event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? [event.delta.text] : [],
    )
    expect(texts).toEqual(['first'])
  })

  it('surfaces a corrupted CRC as an EventStreamError', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'fine' }, { corruptCrc: true }, { text: 'bad' }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(EventStreamError)
    expect((error as EventStreamError).code).toBe('message_crc_mismatch')
  })

  it('fails on a corrupt frame at once, without waiting for more bytes', async () => {
    const { sim, client } = await setup({ maxRetries: 0, timeout: { idle: 20_000 } })
    sim.enqueue([{ text: 'fine' }, { corruptCrc: true }, { text: 'bad' }, { stall: true }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(EventStreamError)
    expect((error as EventStreamError).code).toBe('message_crc_mismatch')
  })

  it('fails a giant declared length from the prelude alone', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    sim.enqueue([{ raw: giantPrelude() }, { stall: true }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(EventStreamError)
    expect((error as EventStreamError).code).toBe('message_too_long')
  })

  it('reports a body that ends inside a frame as truncated', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    sim.enqueue([{ text: 'start' }, { truncate: true }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(EventStreamError)
    expect((error as EventStreamError).code).toBe('truncated')
  })
})

describe('retries', () => {
  it('honours Retry-After in seconds, then succeeds', async () => {
    const retries: RetryHookEvent[] = []
    const { sim, client } = await setup({ hooks: { onRetry: (event) => retries.push(event) } })
    sim.enqueue(
      [
        {
          error: { status: 429, headers: { 'retry-after': '1', 'x-amzn-errortype': 'ThrottlingException' } },
        },
      ],
      [{ text: 'ok' }],
    )
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'ok' })
    expect(retries).toHaveLength(1)
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 1000, status: 429 })
    expect(sim.generateRequests.map((request) => request.headers['amz-sdk-request'])).toEqual([
      'attempt=1; max=4',
      'attempt=2; max=4',
    ])
    // The same serialized body is resent.
    expect(sim.generateRequests[1]?.body).toBe(sim.generateRequests[0]?.body)
  })

  it('honours Retry-After as an HTTP date', async () => {
    const retries: RetryHookEvent[] = []
    const { sim, client } = await setup({ hooks: { onRetry: (event) => retries.push(event) } })
    const when = new Date(Date.now() + 2_000).toUTCString()
    sim.enqueue([{ error: { status: 503, headers: { 'retry-after': when } } }], [{ text: 'ok' }])
    await client.messages.create(params)
    expect(retries).toHaveLength(1)
    expect(retries[0]?.delayMs).toBeGreaterThan(0)
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(2_000)
  })

  it('fails at once when Retry-After demands more than the cap', async () => {
    const { sim, client } = await setup({ maxRetryAfterMs: 5_000 })
    sim.enqueue([{ error: { status: 429, headers: { 'retry-after': '3600' } } }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.message).toMatch(/3600/)
    expect(sim.generateRequests).toHaveLength(1)
  })

  it('retries 503 twice, then succeeds', async () => {
    const retries: RetryHookEvent[] = []
    const { sim, client } = await setup({ hooks: { onRetry: (event) => retries.push(event) } })
    sim.enqueue(
      [{ error: { status: 503, headers: { 'retry-after-ms': '10' } } }],
      [{ error: { status: 503, headers: { 'retry-after-ms': '10' } } }],
      [{ text: 'ok' }],
    )
    const message = await client.messages.create(params)
    expect(message.stop_reason).toBe('end_turn')
    expect(retries.map((retry) => retry.delayMs)).toEqual([10, 10])
  })

  it('gives up after the retry budget with the last status', async () => {
    const { sim, client } = await setup({ maxRetries: 2 })
    const busy = { status: 500, headers: { 'retry-after-ms': '5' }, body: { message: 'boom' } }
    sim.enqueue([{ error: busy }], [{ error: busy }], [{ error: { ...busy, status: 502 } }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(InternalServerError)
    expect((error as APIError).status).toBe(502)
    expect(sim.generateRequests).toHaveLength(3)
  })

  it('retries an in-stream capacity error that came before any event', async () => {
    const { sim, client } = await setup()
    sim.enqueue(
      [
        {
          exception: { type: 'ThrottlingException', message: 'busy', reason: 'INSUFFICIENT_MODEL_CAPACITY' },
        },
      ],
      [{ text: 'ok' }],
    )
    const message = await client.messages.create(params, { maxRetries: 1 })
    expect(message.content[0]).toMatchObject({ text: 'ok' })
  })

  it('does not retry the monthly quota', async () => {
    const { sim, client } = await setup()
    sim.enqueue([
      {
        error: {
          status: 402,
          body: {
            __type: 'ServiceQuotaExceededException',
            message: 'Monthly limit',
            reason: 'MONTHLY_REQUEST_COUNT',
          },
        },
      },
    ])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(PaymentRequiredError)
    expect((error as APIError).reason).toBe('MONTHLY_REQUEST_COUNT')
    expect((error as APIError).type).toBe('billing_error')
    expect(sim.generateRequests).toHaveLength(1)
  })

  it('maps capacity errors to OverloadedError once retries run out', async () => {
    const { sim, client } = await setup({ maxRetries: 0 })
    sim.enqueue([
      {
        error: {
          status: 429,
          body: {
            __type: 'ThrottlingException',
            message: 'no capacity',
            reason: 'INSUFFICIENT_MODEL_CAPACITY',
          },
        },
      },
    ])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(OverloadedError)
    expect((error as APIError).kiroErrorType).toBe('ThrottlingException')
  })
})

describe('token refresh', () => {
  it('refreshes exactly once on a 403 invalid-token answer, then succeeds', async () => {
    const refreshes: RefreshEvent[] = []
    const { sim, client } = await setup(
      (simulator) => ({
        credentials: {
          accessToken: ACCESS_TOKEN,
          refreshToken: REFRESH_TOKEN,
          authMethod: 'social',
          expiresAt: Date.now() + 3_600_000,
        },
        refreshEndpoints: { social: simulator.refreshUrls.social },
        hooks: { onTokenRefresh: (event) => refreshes.push(event) },
      }),
      { tokens: { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN } },
    )
    sim.revokeAccessToken()
    sim.enqueue([{ text: 'after refresh' }])
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'after refresh' })
    expect(sim.refreshRequests).toHaveLength(1)
    expect(refreshes).toHaveLength(1)
    expect(refreshes[0]?.ok).toBe(true)
    const [rejected, accepted] = sim.generateRequests
    expect(rejected?.response.status).toBe(403)
    const { authorization } = accepted?.headers ?? {}
    expect(authorization).toBe(`Bearer ${sim.tokens?.accessToken}`)
    expect(authorization).not.toBe(`Bearer ${ACCESS_TOKEN}`)
    // No secret reaches a hook payload.
    const hookText = JSON.stringify(refreshes)
    for (const secret of [
      ACCESS_TOKEN,
      REFRESH_TOKEN,
      sim.tokens?.accessToken ?? '?',
      sim.tokens?.refreshToken ?? '?',
    ]) {
      expect(hookText).not.toContain(secret)
    }
  })

  it('a second invalid-token answer after the refresh is final', async () => {
    const { sim, client } = await setup(
      (simulator) => ({
        credentials: {
          accessToken: ACCESS_TOKEN,
          refreshToken: REFRESH_TOKEN,
          authMethod: 'social',
          expiresAt: Date.now() + 3_600_000,
        },
        refreshEndpoints: { social: simulator.refreshUrls.social },
      }),
      { tokens: { accessToken: ACCESS_TOKEN, refreshToken: REFRESH_TOKEN } },
    )
    const invalid = { status: 403, body: { message: 'The bearer token included in the request is invalid.' } }
    sim.enqueue([{ error: invalid }], [{ error: invalid }], [{ text: 'unreachable' }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(sim.refreshRequests).toHaveLength(1)
    expect(sim.generateRequests).toHaveLength(2)
  })
})

describe('aborts and concurrency', () => {
  it('an abort mid-stream closes the upstream connection and rejects with APIUserAbortError', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'one' }, { delayMs: 10_000 }, { text: 'two' }])
    const controller = new AbortController()
    const stream = client.messages.stream(params, { signal: controller.signal })
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      stream.on('text', () => controller.abort())
      const error = await rejectionOf(stream.finalMessage())
      expect(error).toBeInstanceOf(APIUserAbortError)
      await until(() => sim.generateRequests[0]?.response.outcome === 'client-closed')
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('break in for-await closes the upstream connection', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'one' }, { delayMs: 10_000 }, { text: 'two' }])
    for await (const event of client.messages.stream(params)) {
      if (event.type === 'content_block_delta') break
    }
    await until(() => sim.generateRequests[0]?.response.outcome === 'client-closed')
  })

  it('delivers the first event before the next frame is written (true streaming)', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: 'first' }, { delayMs: 10_000 }, { text: 'second' }])
    const stream = client.messages.stream(params)
    for await (const event of stream) {
      if (event.type === 'content_block_delta') {
        // The simulator has written exactly one frame so far: the event did not wait for more.
        expect(sim.generateRequests[0]?.response.frameTimes).toHaveLength(1)
        break
      }
    }
  })

  it('runs 200 concurrent streams through one client', async () => {
    const { sim, client } = await setup()
    // The simulator's request log keeps only the latest 100, so the script counts the requests.
    let served = 0
    sim.setScript((request) => {
      served += 1
      const text = JSON.stringify(request.json).length.toString()
      return [{ text: ['a', 'b', text] }, { contextUsage: 1 }]
    })
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        client.messages.create({ ...params, messages: [{ role: 'user', content: `question ${i}` }] }),
      ),
    )
    expect(results).toHaveLength(200)
    expect(results.every((message) => message.stop_reason === 'end_turn')).toBe(true)
    expect(new Set(results.map((message) => message.id)).size).toBe(200)
    expect(served).toBe(200)
    expect(sim.generateRequests).toHaveLength(100)
  })

  it('collects events from a stream whose consumer is slow without losing any', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: Array.from({ length: 50 }, (_, i) => `w${i} `) }])
    const events = await collect(client.messages.stream(params))
    const text = events
      .flatMap((event) =>
        event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? [event.delta.text] : [],
      )
      .join('')
    expect(text).toBe(Array.from({ length: 50 }, (_, i) => `w${i} `).join(''))
  })
})

describe('credentials failures', () => {
  it('a dead refresh endpoint gives CredentialsError', async () => {
    const { client } = await setup({
      credentials: {
        accessToken: ACCESS_TOKEN,
        refreshToken: REFRESH_TOKEN,
        authMethod: 'social',
        expiresAt: Date.now() - 1_000,
      },
      refreshEndpoints: { social: 'http://127.0.0.1:9/refreshToken' },
    })
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error.message).not.toContain(REFRESH_TOKEN)
  })
})
