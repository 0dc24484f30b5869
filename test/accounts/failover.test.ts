import { describe, expect, it } from 'vitest'
import type { AccountStatus } from '../../src/accounts/account-status.js'
import type { EndHookEvent, RetryHookEvent } from '../../src/client/hooks.js'
import {
  type APIError,
  OverloadedError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { type Behaviour, httpError, params, setupPool, usageResettingAt } from './helpers.js'

// Ten days from now, in whole seconds as Kiro sends it.
const RESET = Math.floor(Date.now() / 1000 + 10 * 86_400) * 1000

const cases: Array<{
  name: string
  behaviour: Behaviour
  state: string
  check?: (status: AccountStatus, now: number) => void
}> = [
  {
    name: 'a throttle',
    behaviour: () =>
      httpError(
        429,
        { __type: 'ThrottlingException', message: 'Too many requests' },
        { 'retry-after': '30' },
      ),
    state: 'cooling',
    check: (status, now) => {
      expect(status.until).toBeGreaterThanOrEqual(now + 29_000)
      expect(status.until).toBeLessThanOrEqual(now + 31_000)
    },
  },
  {
    name: 'a monthly quota on a 429',
    behaviour: () =>
      httpError(429, {
        __type: 'ThrottlingException',
        message: 'Maximum Request reached for this month.',
        reason: 'MONTHLY_REQUEST_COUNT',
      }),
    state: 'exhausted',
    check: (status) => {
      // The reset comes from GetUsageLimits, asked of that account then.
      expect(status.until).toBe(RESET)
      expect(status.usage).toMatchObject({ account: 'alice', resetsAt: RESET })
    },
  },
  {
    name: 'an overage cap on a 402',
    behaviour: () =>
      httpError(402, { message: 'Overage limit reached', reason: 'OVERAGE_REQUEST_LIMIT_EXCEEDED' }),
    state: 'exhausted',
  },
  {
    name: 'a suspension',
    behaviour: () =>
      httpError(
        403,
        { message: 'Your account is temporarily suspended.', reason: 'TEMPORARILY_SUSPENDED' },
        { 'x-amzn-errortype': 'AccessDeniedException' },
      ),
    state: 'suspended',
    check: (status) => expect(status.until).toBeUndefined(),
  },
]

describe('failover between accounts', () => {
  it.each(cases)(
    '$name parks alice as $state and bob serves the request',
    async ({ behaviour, state, check }) => {
      const retries: RetryHookEvent[] = []
      const ends: EndHookEvent[] = []
      const { client, served } = await setupPool(
        ['alice', 'bob'],
        { alice: behaviour },
        {
          accountSelection: 'round-robin',
          hooks: { onRetry: (event) => retries.push(event), onEnd: (event) => ends.push(event) },
        },
        { usageLimits: usageResettingAt('free-tier', RESET) },
      )
      const before = Date.now()
      const message = await client.messages.create(params)
      expect(message.content).toMatchObject([{ type: 'text', text: 'Hello from Kiro' }])
      // Alice was asked once (never retried after an account-level failure), then bob.
      expect(served()).toEqual(['alice', 'bob'])
      expect(retries).toMatchObject([{ reason: 'account_failover', account: 'alice', delayMs: 0 }])
      expect(ends).toMatchObject([{ account: 'bob', attempts: 2 }])
      const [alice, bob] = await client.accounts.list()
      expect(alice).toMatchObject({ id: 'alice', state })
      expect(bob).toMatchObject({ id: 'bob', state: 'ready', inFlight: 0 })
      check?.(alice!, before)
      // Parked: the next requests go to bob only.
      await client.messages.create(params)
      await client.messages.create(params)
      expect(served()).toEqual(['alice', 'bob', 'bob', 'bob'])
    },
  )

  it('parks an account whose login cannot be refreshed as invalid', async () => {
    const { client, sim, served } = await setupPool(
      [{ id: 'alice', credentials: { refreshToken: 'dead-refresh-token', authMethod: 'social' } }, 'bob'],
      {},
      (simulator) => ({
        accountSelection: 'round-robin',
        refreshEndpoints: { social: simulator.refreshUrls.social },
      }),
    )
    sim.failNextRefresh({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
    })
    const message = await client.messages.create(params)
    expect(message.content).toMatchObject([{ type: 'text', text: 'Hello from Kiro' }])
    expect(served()).toEqual(['bob'])
    const [alice] = await client.accounts.list()
    expect(alice).toMatchObject({ state: 'invalid', reason: 'refresh_token_invalid' })
    expect(alice?.until).toBeUndefined()
    expect(JSON.stringify(alice)).not.toContain('dead-refresh-token')
  })

  it('keeps model and request failures on the account and carries its id on the error', async () => {
    const { client, served } = await setupPool(
      ['alice', 'bob'],
      { alice: () => httpError(429, { message: 'No capacity', reason: 'INSUFFICIENT_MODEL_CAPACITY' }) },
      { accountSelection: 'round-robin' },
    )
    const error = (await client.messages.create(params).catch((e: unknown) => e)) as APIError
    expect(error).toBeInstanceOf(OverloadedError)
    expect(error.account).toBe('alice')
    expect(error.message).not.toContain('secret-access')
    expect(served()).toEqual(['alice'])
    expect((await client.accounts.list()).map((account) => account.state)).toEqual(['ready', 'ready'])
  })

  it('tries each account at most once, then answers 429 with the earliest ready time', async () => {
    const throttle: Behaviour = () =>
      httpError(429, { __type: 'ThrottlingException', message: 'slow down' }, { 'retry-after': '20' })
    const { client, served } = await setupPool(['alice', 'bob', 'carol'], {
      alice: throttle,
      bob: throttle,
      carol: () =>
        httpError(429, { __type: 'ThrottlingException', message: 'slow down' }, { 'retry-after': '45' }),
    })
    const error = (await client.messages.create(params).catch((e: unknown) => e)) as RateLimitError
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error.headers?.get('retry-after')).toMatch(/^(19|20)$/)
    expect(new Set(served())).toEqual(new Set(['alice', 'bob', 'carol']))
    expect(served()).toHaveLength(3)
    const readyAt = await client.accounts.nextReadyAt()
    expect(readyAt).toBeGreaterThan(Date.now() + 18_000)
  })

  it('answers 402 with the earliest reset when every account is out of quota', async () => {
    const quota: Behaviour = () =>
      httpError(429, { message: 'Maximum Request reached for this month.', reason: 'MONTHLY_REQUEST_COUNT' })
    const { client } = await setupPool(
      ['alice', 'bob'],
      { alice: quota, bob: quota },
      {},
      { usageLimits: usageResettingAt('paid-overage', RESET) },
    )
    const error = await client.messages.create(params).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PaymentRequiredError)
    expect((error as Error).message).toContain(new Date(RESET).toISOString())
  })

  it('answers 403 naming no secret when every account is suspended', async () => {
    const suspend: Behaviour = () => httpError(403, { message: 'suspended', reason: 'TEMPORARILY_SUSPENDED' })
    const { client } = await setupPool(['alice', 'bob'], { alice: suspend, bob: suspend })
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(PermissionDeniedError)
    const error = (await client.messages.create(params).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect(error.message).toMatch(/2 suspended/)
    expect(error.message).not.toContain('secret-access')
    // An operator lifts one.
    await client.accounts.enable('bob')
    expect((await client.accounts.list())[1]?.state).toBe('ready')
  })

  it('never moves a request once its first event went out', async () => {
    const { client, served } = await setupPool(
      ['alice', 'bob'],
      {
        alice: () => [
          { text: 'partial ' },
          { exception: { type: 'ThrottlingException', message: 'slow down' } },
        ],
      },
      { accountSelection: 'round-robin' },
    )
    const stream = client.messages.stream(params)
    const seen: string[] = []
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type)
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect(seen).toContain('message_start')
    expect(served()).toEqual(['alice'])
  })
})
