import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import type { RetryHookEvent } from '../../src/client/hooks.js'
import { RequestBudget } from '../../src/client/request-budget.js'
import { APIConnectionTimeoutError, APIUserAbortError, OverloadedError } from '../../src/errors/api-error.js'
import { type Loopback, startLoopback } from '../transport/loopback.js'
import { ACCESS_TOKEN, params, REFRESH_TOKEN, rejectionOf, setup } from './helpers.js'

let refresh: Loopback | undefined

afterEach(async () => {
  await refresh?.close()
  refresh = undefined
})

describe('the total timeout spans the whole request, not only its attempts', () => {
  it('cuts short a token refresh that outlasts it', async () => {
    // A refresh endpoint that never answers: only the total can end the wait before the
    // refresh's own 20 s timeout. The total leaves a loaded machine time to send the refresh.
    refresh = await startLoopback(() => {})
    const { sim, client } = await setup({
      credentials: {
        accessToken: ACCESS_TOKEN,
        refreshToken: REFRESH_TOKEN,
        authMethod: 'social',
        expiresAt: Date.now() - 1_000,
      },
      refreshEndpoints: { social: `${refresh.url}/refreshToken` },
      timeout: { total: 1_000 },
    })
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as APIConnectionTimeoutError).timeout).toBe('total')
    expect((error as APIConnectionTimeoutError).timeoutMs).toBe(1_000)
    expect(refresh.requests).toHaveLength(1)
    expect(sim.generateRequests).toHaveLength(0)
  })

  it('does not start a retry whose wait would end past it: the failure is final at once', async () => {
    const retries: RetryHookEvent[] = []
    const { sim, client } = await setup({
      timeout: { total: 5_000 },
      hooks: { onRetry: (event) => retries.push(event) },
    })
    sim.enqueue([{ error: { status: 503, headers: { 'retry-after': '30' } } }], [{ text: 'too late' }])
    const error = await rejectionOf(client.messages.create(params))
    expect(error).toBeInstanceOf(OverloadedError)
    expect(error.message).toMatch(/wait 30 s/)
    expect(retries).toEqual([])
    expect(sim.generateRequests).toHaveLength(1)
  })

  it('still retries when the wait fits in it', async () => {
    const { sim, client } = await setup({ timeout: { total: 30_000 } })
    sim.enqueue([{ error: { status: 503, headers: { 'retry-after-ms': '10' } } }], [{ text: 'ok' }])
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'ok' })
    expect(sim.generateRequests).toHaveLength(2)
  })
})

describe('RequestBudget', () => {
  it('without a total it is the caller signal and has no deadline', () => {
    const caller = new AbortController()
    const budget = new RequestBudget(undefined, performance.now(), caller.signal)
    expect(budget.signal).toBe(caller.signal)
    expect(budget.deadline).toBeUndefined()
  })

  it('a spent budget aborts its signal, and a wait cut short reports the total timeout', () => {
    const caller = new AbortController()
    const budget = new RequestBudget(100, performance.now() - 150, caller.signal)
    expect(budget.signal.aborted).toBe(true)
    const explained = budget.explain(new APIUserAbortError())
    expect(explained).toBeInstanceOf(APIConnectionTimeoutError)
    expect(explained).toMatchObject({ timeout: 'total', timeoutMs: 100 })
    const other = new Error('not an abort')
    expect(budget.explain(other)).toBe(other)
    budget.dispose()
  })

  it("the caller's abort stays an abort, and dispose() removes the listener", () => {
    const caller = new AbortController()
    const budget = new RequestBudget(60_000, performance.now(), caller.signal)
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1)
    caller.abort()
    expect(budget.signal.aborted).toBe(true)
    const abort = new APIUserAbortError()
    expect(budget.explain(abort)).toBe(abort)
    budget.dispose()
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
  })
})
