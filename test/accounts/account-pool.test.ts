import { afterEach, describe, expect, it } from 'vitest'
import type { AccountOptions } from '../../src/accounts/account-options.js'
import { AccountPool, type AccountPoolOptions } from '../../src/accounts/account-pool.js'
import type { AccountStatusEvent } from '../../src/accounts/account-status.js'
import { PoolAccount } from '../../src/accounts/pool-account.js'
import {
  APIUserAbortError,
  NotFoundError,
  OverloadedError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { MemoryState } from '../../src/state/memory.js'
import { errorFromResponse } from '../../src/transport/kiro-errors.js'

const pools: AccountPool[] = []
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close()
})

function setup(
  accounts: Array<Partial<AccountOptions> & { id: string }>,
  options: Partial<AccountPoolOptions> = {},
) {
  let now = Date.UTC(2026, 4, 14, 12)
  const clock = { now: () => now, advance: (ms: number) => (now += ms) }
  const state = new MemoryState({ now: clock.now })
  const built = accounts.map(
    (account, index) =>
      new PoolAccount(
        { credentials: { accessToken: `secret-token-${account.id}` }, ...account },
        index,
        {},
        state,
      ),
  )
  const events: AccountStatusEvent[] = []
  const pool = new AccountPool({
    accounts: built,
    state,
    now: clock.now,
    pollMs: 20,
    onStatus: (event) => events.push(event),
    ...options,
  })
  pools.push(pool)
  return { pool, state, clock, events, accounts: built }
}

const request = (extra: Record<string, unknown> = {}) => ({
  model: 'claude-sonnet-4-5',
  modelId: 'claude-sonnet-4.5',
  ...extra,
})

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return errorFromResponse(new Response(null, { status, headers }), JSON.stringify(body))
}
const throttled = (seconds?: number) =>
  answer(
    429,
    { __type: 'ThrottlingException', message: 'Too many requests' },
    seconds ? { 'retry-after': String(seconds) } : {},
  )
const monthly = () =>
  answer(429, { message: 'Maximum Request reached for this month.', reason: 'MONTHLY_REQUEST_COUNT' })
const suspended = () => answer(403, { message: 'Account suspended', reason: 'TEMPORARILY_SUSPENDED' })

describe('AccountPool', () => {
  it('holds a slot per request and gives it back on release', async () => {
    const { pool } = setup([{ id: 'a' }])
    const lease = await pool.acquire(request())
    expect(lease.account.id).toBe('a')
    expect((await pool.list())[0]?.inFlight).toBe(1)
    lease.release()
    lease.release()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect((await pool.list())[0]?.inFlight).toBe(0)
  })

  it('makes requests wait for a slot, then serves them in turn', async () => {
    const { pool } = setup([{ id: 'a', maxConcurrency: 1 }])
    const first = await pool.acquire(request())
    let second: Awaited<ReturnType<AccountPool['acquire']>> | undefined
    const waiting = pool.acquire(request()).then((lease) => (second = lease))
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(second).toBeUndefined()
    first.release()
    await waiting
    expect(second?.account.id).toBe('a')
    second?.release()
  })

  it('answers 529 with retry-after once the queue is full, and stops a wait on abort', async () => {
    const { pool } = setup([{ id: 'a', maxConcurrency: 1 }], { maxQueue: 1 })
    const held = await pool.acquire(request())
    const controller = new AbortController()
    const waiting = pool.acquire(request({ signal: controller.signal }))
    const error = await pool.acquire(request()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OverloadedError)
    expect((error as OverloadedError).status).toBe(529)
    expect((error as OverloadedError).headers?.get('retry-after')).toBe('1')
    controller.abort()
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError)
    held.release()
  })

  it('parks a throttled account and sends the request to the next one', async () => {
    const { pool, events, clock } = setup([{ id: 'a' }, { id: 'b' }], { selection: 'round-robin' })
    const lease = await pool.acquire(request())
    expect(lease.account.id).toBe('a')
    lease.release()
    expect(await pool.fail(lease, throttled(30))).toBe(true)
    expect(events.at(-1)).toMatchObject({
      account: 'a',
      state: 'cooling',
      until: clock.now() + 30_000,
      cause: 'failure',
    })
    const next = await pool.acquire(request({ exclude: new Set(['a']) }))
    expect(next.account.id).toBe('b')
    next.release()
    const listed = await pool.list()
    expect(listed[0]).toMatchObject({ id: 'a', state: 'cooling', reason: 'ThrottlingException' })
    expect(listed[0]?.lastError).toMatchObject({ kind: 'throttled', status: 429 })
  })

  it('does not move a request on for a model or request failure', async () => {
    const { pool } = setup([{ id: 'a' }, { id: 'b' }])
    const lease = await pool.acquire(request())
    lease.release()
    expect(await pool.fail(lease, answer(429, { reason: 'INSUFFICIENT_MODEL_CAPACITY' }))).toBe(false)
    expect(await pool.fail(lease, answer(400, { message: 'Improperly formed request.' }))).toBe(false)
    expect((await pool.list()).every((account) => account.state === 'ready')).toBe(true)
  })

  it('answers 429 with retry-after = the earliest ready time when every account is cooling', async () => {
    const { pool } = setup([{ id: 'a' }, { id: 'b' }])
    for (const [seconds, id] of [
      [40, 'a'],
      [25, 'b'],
    ] as const) {
      const lease = await pool.acquire(request({ exclude: new Set([id === 'a' ? 'b' : 'a']) }))
      lease.release()
      await pool.fail(lease, throttled(seconds))
    }
    const error = await pool.acquire(request()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).headers?.get('retry-after')).toBe('25')
    expect((error as RateLimitError).headers?.get('retry-after-ms')).toBe('25000')
    expect(await pool.nextReadyAt()).toBe(Date.UTC(2026, 4, 14, 12) + 25_000)
  })

  it('answers 402 naming the earliest reset when every account is out of quota, using the usage lookup', async () => {
    const resets = new Map([
      ['a', Date.UTC(2026, 5, 1)],
      ['b', Date.UTC(2026, 4, 20)],
    ])
    const { pool } = setup([{ id: 'a' }, { id: 'b' }], { resetOf: async (account) => resets.get(account.id) })
    for (const id of ['a', 'b']) {
      const lease = await pool.acquire(request({ allowed: new Set([id]) }))
      lease.release()
      await pool.fail(lease, monthly())
    }
    const error = await pool.acquire(request()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PaymentRequiredError)
    expect((error as Error).message).toContain('2026-05-20T00:00:00.000Z')
    expect((await pool.list()).map((account) => account.until)).toEqual([...resets.values()])
  })

  it('answers 403 naming no secret when every account is suspended or invalid', async () => {
    const { pool } = setup([{ id: 'a' }, { id: 'b' }])
    const first = await pool.acquire(request({ allowed: new Set(['a']) }))
    first.release()
    await pool.fail(first, suspended())
    const second = await pool.acquire(request({ allowed: new Set(['b']) }))
    second.release()
    await pool.fail(
      second,
      new CredentialsError('refresh_token_invalid', 'The refresh token was refused (invalid_grant).'),
    )
    const error = await pool.acquire(request()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PermissionDeniedError)
    expect((error as Error).message).toMatch(/1 suspended, 1 invalid/)
    expect(JSON.stringify(await pool.list())).not.toContain('secret-token')
    expect((error as Error).message).not.toContain('secret-token')
    // An operator's enable brings a suspended account back.
    await pool.enable('a')
    const lease = await pool.acquire(request())
    expect(lease.account.id).toBe('a')
    lease.release()
  })

  it('brings a parked account back at its reset time', async () => {
    const reset = Date.UTC(2026, 4, 14, 18)
    const { pool, clock } = setup([{ id: 'a' }], { resetOf: async () => reset })
    const lease = await pool.acquire(request())
    lease.release()
    await pool.fail(lease, monthly())
    await expect(pool.acquire(request())).rejects.toBeInstanceOf(PaymentRequiredError)
    clock.advance(reset - clock.now() - 1)
    await expect(pool.acquire(request())).rejects.toBeInstanceOf(PaymentRequiredError)
    clock.advance(1)
    const back = await pool.acquire(request())
    expect(back.account.id).toBe('a')
    back.release()
    expect((await pool.list())[0]?.state).toBe('ready')
  })

  it('keeps a conversation on its account, and moves it when that account is parked', async () => {
    const { pool } = setup([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
    const first = await pool.acquire(request({ stickyKey: 'conversation-1' }))
    const home = first.account.id
    first.release()
    for (let i = 0; i < 5; i++) {
      // Other conversations spread over the accounts meanwhile.
      const other = await pool.acquire(request({ stickyKey: `other-${i}` }))
      other.release()
      const again = await pool.acquire(request({ stickyKey: 'conversation-1' }))
      expect(again.account.id).toBe(home)
      again.release()
    }
    const lease = await pool.acquire(request({ stickyKey: 'conversation-1' }))
    lease.release()
    await pool.fail(lease, throttled(60))
    const moved = await pool.acquire(request({ stickyKey: 'conversation-1' }))
    expect(moved.account.id).not.toBe(home)
    moved.release()
    const stays = await pool.acquire(request({ stickyKey: 'conversation-1' }))
    expect(stays.account.id).toBe(moved.account.id)
    stays.release()
  })

  it('skips accounts whose model list lacks the model, and says 404 when none serves it', async () => {
    const { pool } = setup([
      { id: 'a', models: ['claude-haiku-4-5'] },
      { id: 'b', models: ['claude-sonnet-4-5'] },
    ])
    for (let i = 0; i < 3; i++) {
      const lease = await pool.acquire(request())
      expect(lease.account.id).toBe('b')
      lease.release()
    }
    await expect(pool.acquire(request({ model: 'gpt-x', modelId: 'gpt-x' }))).rejects.toBeInstanceOf(
      NotFoundError,
    )
  })

  it('disables and enables on an operator’s word, and starts accounts disabled in the configuration', async () => {
    const { pool, events } = setup([{ id: 'a' }, { id: 'b', disabled: true }])
    await pool.ready()
    expect((await pool.list()).map((account) => account.state)).toEqual(['ready', 'disabled'])
    await pool.disable('a')
    await expect(pool.acquire(request())).rejects.toBeInstanceOf(PermissionDeniedError)
    await pool.enable('b')
    expect((await pool.acquire(request())).account.id).toBe('b')
    expect(events.map((event) => `${event.account}:${event.state}:${event.cause}`)).toEqual([
      'b:disabled:configuration',
      'a:disabled:operator',
      'b:ready:operator',
    ])
    await expect(pool.enable('nobody')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('replaces its accounts, closing the ones that went', async () => {
    const { pool, state, accounts } = setup([{ id: 'a' }, { id: 'b' }])
    let closed = false
    const b = accounts[1]!
    const close = b.close.bind(b)
    b.close = () => {
      closed = true
      close()
    }
    const c = new PoolAccount({ id: 'c', credentials: { accessToken: 'x' } }, 1, {}, state)
    await pool.replace([accounts[0]!, c])
    expect(closed).toBe(true)
    expect((await pool.list()).map((account) => account.id)).toEqual(['a', 'c'])
  })
})
