import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  APIConnectionError,
  type APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { abortableSleep } from '../../src/retry/sleep.js'
import { type RetryInfo, withRetries } from '../../src/retry/with-retries.js'
import { sendKiroRequest } from '../../src/transport/fetch-transport.js'
import { type Loopback, startLoopback } from '../transport/loopback.js'

let server: Loopback | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

type Answer = { status: number; body?: unknown; headers?: Record<string, string> }

/** A loopback Kiro that answers from a list, then 200 "ok". */
async function scripted(answers: Answer[]): Promise<Loopback> {
  server = await startLoopback((_req, res) => {
    const answer = answers.shift() ?? { status: 200, body: 'ok' }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {}))
  })
  return server
}

/** An injected sleep: records the waits, never waits on the wall clock. */
function recordingSleep() {
  const waits: number[] = []
  const sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw new APIUserAbortError()
    waits.push(ms)
  }
  return { waits, sleep }
}

async function readAll(url: string, body: string, options: Parameters<typeof withRetries>[1]) {
  return withRetries(async (_attempt, signal) => {
    const result = await sendKiroRequest({ url, headers: {}, body, signal, timeouts: { response: 2000 } })
    return result.body.text(1024)
  }, options)
}

describe('withRetries against a loopback server', () => {
  it('retries 503 twice, then succeeds, resending the same body bytes', async () => {
    const srv = await scripted([{ status: 503 }, { status: 503 }])
    const { waits, sleep } = recordingSleep()
    const retries: RetryInfo[] = []
    const body = JSON.stringify({ conversationState: { x: 'é' } })
    const result = await readAll(srv.url, body, { sleep, onRetry: (info) => retries.push(info) })
    expect(result).toBe('ok')
    expect(srv.requests.map((r) => r.body)).toEqual([body, body, body])
    expect(retries.map((r) => [r.attempt, r.status, r.reason])).toEqual([
      [1, 503, 'overloaded'],
      [2, 503, 'overloaded'],
    ])
    expect(waits).toEqual(retries.map((r) => r.delayMs))
  })

  it('gives up after maxRetries with the last status', async () => {
    const srv = await scripted([{ status: 500 }, { status: 502 }, { status: 504 }, { status: 200 }])
    const { sleep } = recordingSleep()
    const error = await readAll(srv.url, '{}', { sleep, maxRetries: 2 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InternalServerError)
    expect((error as APIError).status).toBe(504)
    expect(srv.requests).toHaveLength(3)
  })

  it('does not retry the monthly quota', async () => {
    const srv = await scripted([
      {
        status: 402,
        body: { message: 'Maximum Request reached for this month.', reason: 'MONTHLY_REQUEST_COUNT' },
      },
    ])
    const { sleep, waits } = recordingSleep()
    const error = await readAll(srv.url, '{}', { sleep }).catch((e: unknown) => e)
    expect((error as APIError).type).toBe('billing_error')
    expect(srv.requests).toHaveLength(1)
    expect(waits).toEqual([])
  })

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const inThreeSeconds = new Date(Date.now() + 3000).toUTCString()
    const srv = await scripted([
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 503, headers: { 'retry-after': inThreeSeconds } },
    ])
    const { sleep, waits } = recordingSleep()
    expect(await readAll(srv.url, '{}', { sleep })).toBe('ok')
    expect(waits[0]).toBe(2000)
    // An HTTP date has whole-second resolution; the wait is what remains of those 3 s.
    expect(waits[1]).toBeGreaterThan(1000)
    expect(waits[1]).toBeLessThanOrEqual(3000)
  })

  it('fails at once on a Retry-After beyond the cap, naming the wait', async () => {
    const srv = await scripted([
      { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '600' } },
    ])
    const { sleep, waits } = recordingSleep()
    const error = await readAll(srv.url, '{}', { sleep }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as Error).message).toMatch(/600 s/)
    expect(srv.requests).toHaveLength(1)
    expect(waits).toEqual([])
  })

  it('refreshes once on an invalid token and retries once', async () => {
    const invalid = { status: 403, body: { message: 'The bearer token included in the request is invalid.' } }
    const srv = await scripted([invalid, invalid, invalid])
    const { sleep } = recordingSleep()
    const onTokenInvalid = vi.fn(async () => {})
    const error = await readAll(srv.url, '{}', { sleep, onTokenInvalid }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(onTokenInvalid).toHaveBeenCalledTimes(1)
    expect(srv.requests).toHaveLength(2)
  })

  it('recovers after the forced refresh', async () => {
    const srv = await scripted([
      { status: 403, body: { message: 'The bearer token included in the request is invalid.' } },
    ])
    const onTokenInvalid = vi.fn(async () => {})
    const retries: RetryInfo[] = []
    const result = await readAll(srv.url, '{}', {
      maxRetries: 0,
      onTokenInvalid,
      onRetry: (i) => retries.push(i),
    })
    expect(result).toBe('ok')
    expect(retries).toMatchObject([{ attempt: 1, reason: 'token_invalid', delayMs: 0, status: 403 }])
  })
})

describe('withRetries', () => {
  it('passes the attempt number and the caller signal to each attempt', async () => {
    const controller = new AbortController()
    const seen: [number, AbortSignal | undefined][] = []
    const { sleep } = recordingSleep()
    const result = await withRetries(
      async (attempt, signal) => {
        seen.push([attempt, signal])
        if (attempt < 3) throw new APIConnectionError()
        return 'done'
      },
      { sleep, signal: controller.signal },
    )
    expect(result).toBe('done')
    expect(seen).toEqual([
      [1, controller.signal],
      [2, controller.signal],
      [3, controller.signal],
    ])
  })

  it('cancels a retry wait when the caller aborts, with APIUserAbortError', async () => {
    const controller = new AbortController()
    let attempts = 0
    const pending = withRetries(
      async () => {
        attempts++
        throw new OverloadedError('busy', { status: 503, headers: new Headers({ 'retry-after': '30' }) })
      },
      { signal: controller.signal },
    )
    await vi.waitFor(() => expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1))
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError)
    expect(attempts).toBe(1)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('never starts when the signal is already aborted', async () => {
    const attempt = vi.fn(async () => 'x')
    await expect(withRetries(attempt, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      APIUserAbortError,
    )
    expect(attempt).not.toHaveBeenCalled()
  })

  it('rethrows a failure of the forced refresh', async () => {
    const refreshFailed = new Error('refresh failed')
    const error = await withRetries(
      async () => {
        throw new AuthenticationError('x', {
          status: 403,
          error: { message: 'The bearer token included in the request is invalid.' },
        })
      },
      { onTokenInvalid: async () => Promise.reject(refreshFailed) },
    ).catch((e: unknown) => e)
    expect(error).toBe(refreshFailed)
  })

  it('uses full-jitter backoff between attempts when no Retry-After is given', async () => {
    const { sleep, waits } = recordingSleep()
    await withRetries(
      async (attempt) => {
        if (attempt <= 3) throw new APIConnectionError()
        return 1
      },
      { sleep, random: () => 0.5 },
    )
    expect(waits).toEqual([250, 500, 1000])
  })

  it('does not start a wait that would end past the deadline; the failure is final at once', async () => {
    const { sleep, waits } = recordingSleep()
    const busy = new OverloadedError('busy', { status: 503, headers: new Headers({ 'retry-after': '30' }) })
    let attempts = 0
    const error = await withRetries(
      async () => {
        attempts++
        throw busy
      },
      { sleep, deadline: performance.now() + 10_000 },
    ).catch((e: unknown) => e)
    expect(error).toBe(busy)
    expect(attempts).toBe(1)
    expect(waits).toEqual([])

    // A wait that fits is taken.
    const fits = await withRetries(
      async (attempt) => {
        if (attempt === 1) throw busy
        return 'done'
      },
      { sleep, deadline: performance.now() + 60_000 },
    )
    expect(fits).toBe('done')
    expect(waits).toEqual([30_000])
  })
})

describe('abortableSleep', () => {
  it('rejects with APIUserAbortError on abort and removes its listener', async () => {
    const controller = new AbortController()
    const pending = abortableSleep(60_000, controller.signal)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('resolves and removes its listener when the time is up', async () => {
    const controller = new AbortController()
    await abortableSleep(1, controller.signal)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})
