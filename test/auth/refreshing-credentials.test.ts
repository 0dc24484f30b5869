import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { StaticCredentials, type StaticCredentialsInput } from '../../src/auth/sources/static.js'
import type { RefreshEvent } from '../../src/auth/types.js'
import { APIUserAbortError } from '../../src/errors/api-error.js'
import { CredentialsError } from '../../src/errors/credentials-error.js'
import { deferred, isSettled, type RefreshServer, startRefreshServer } from './helpers/refresh-server.js'

const T0 = Date.parse('2030-01-01T00:00:00Z')
const MINUTE = 60_000
const OLD = 'old-access-token-1111'
const REFRESH = 'refresh-token-2222'

let clock: number
let server: RefreshServer
const providers: StaticCredentials[] = []

beforeEach(async () => {
  clock = T0
  server = await startRefreshServer()
})
afterEach(async () => {
  for (const provider of providers.splice(0)) provider.close()
  await server.close()
})

function make(
  input: Partial<StaticCredentialsInput> = {},
  options: ConstructorParameters<typeof StaticCredentials>[1] = {},
): StaticCredentials {
  const provider = new StaticCredentials(
    { accessToken: OLD, refreshToken: REFRESH, expiresAt: clock - 1000, region: 'us-east-1', ...input },
    { now: () => clock, refreshEndpoints: server.endpoints, ...options },
  )
  providers.push(provider)
  return provider
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('single flight', () => {
  it('1,000 concurrent getToken() calls on an expired token make exactly one refresh request', async () => {
    const provider = make()
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => provider.getToken()))
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.path).toBe('/social/us-east-1/refreshToken')
    expect(server.requests[0]?.body).toEqual({ refreshToken: REFRESH })
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['fresh-access']))
    expect(tokens[0]).toMatchObject({ kind: 'bearer', authMethod: 'social', expiresAt: clock + 3600_000 })
  })

  it('serves a token far from expiry without any request, as the same object every time', async () => {
    const provider = make({ expiresAt: clock + 30 * MINUTE })
    const first = await provider.getToken()
    clock += 19 * MINUTE
    expect(await provider.getToken()).toBe(first)
    expect(first.accessToken).toBe(OLD)
    expect(server.requests).toHaveLength(0)
  })
})

describe('refresh windows', () => {
  it('refreshes in the background inside the advisory window and blocks inside the mandatory one', async () => {
    const gate = deferred()
    server.handle(async () => {
      await gate.promise
      return { json: { accessToken: 'fresh-access', expiresIn: 3600 } }
    })
    const provider = make({ expiresAt: clock + 5 * MINUTE })
    expect((await provider.getToken()).accessToken).toBe(OLD)
    await server.received(1)
    // The refresh is held at the server, yet advisory callers keep getting the current token.
    for (let i = 0; i < 10; i++) expect((await provider.getToken()).accessToken).toBe(OLD)

    clock += 4.5 * MINUTE // 30 s before expiry: mandatory
    const waiting = provider.getToken()
    expect(await isSettled(waiting)).toBe(false)
    gate.resolve()
    expect((await waiting).accessToken).toBe('fresh-access')
    expect(server.requests).toHaveLength(1)
  })

  it('honours custom windows', async () => {
    const provider = make(
      { expiresAt: clock + 5 * MINUTE },
      { advisoryWindowMs: 2 * MINUTE, mandatoryWindowMs: MINUTE },
    )
    expect((await provider.getToken()).accessToken).toBe(OLD)
    expect(await isSettled(server.received(1))).toBe(false)
    clock += 3.5 * MINUTE
    expect((await provider.getToken()).accessToken).toBe(OLD)
    await server.received(1)
  })

  it('serves a first-loaded token inside the advisory window at once and refreshes behind it', async () => {
    const gate = deferred()
    server.handle(async () => {
      await gate.promise
      return { json: { accessToken: 'fresh-access', expiresIn: 3600 } }
    })
    const provider = make({ expiresAt: clock + 3 * MINUTE })
    expect((await provider.getToken()).accessToken).toBe(OLD)
    await server.received(1)
    gate.resolve()
  })
})

describe('failures', () => {
  it('a refresh failure reaches every waiter; the next call retries once the backoff has passed', async () => {
    server.handle(() => ({ status: 500, json: { message: 'upstream broke' } }))
    const events: RefreshEvent[] = []
    const provider = make({}, { onRefresh: (event) => events.push(event), retryBackoffMs: 5_000 })
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => provider.getToken()))
    expect(server.requests).toHaveLength(1)
    for (const result of results) {
      expect(result.status).toBe('rejected')
      const error = (result as PromiseRejectedResult).reason
      expect(error).toBeInstanceOf(CredentialsError)
      expect(error).toMatchObject({ code: 'refresh_failed', status: 500 })
      expect(error.message).toContain('upstream broke')
    }
    expect(events).toEqual([
      expect.objectContaining({
        ok: false,
        background: false,
        error: expect.objectContaining({ code: 'refresh_failed' }),
      }),
    ])

    server.handle(() => ({ json: { accessToken: 'fresh-access', expiresIn: 3600 } }))
    clock += 5_001
    expect((await provider.getToken()).accessToken).toBe('fresh-access')
    expect(server.requests).toHaveLength(2)
  })

  it('a call during the backoff waits for it instead of hitting the endpoint again at once', async () => {
    server.handle(() => ({ status: 503, text: 'unavailable' }))
    const provider = make({}, { retryBackoffMs: 300 })
    await rejection(provider.getToken())
    server.handle(() => ({ json: { accessToken: 'fresh-access', expiresIn: 3600 } }))
    const next = provider.getToken()
    expect(await isSettled(next)).toBe(false)
    expect(server.requests).toHaveLength(1)
    expect((await next).accessToken).toBe('fresh-access')
    expect(server.requests).toHaveLength(2)
  })

  it('keeps serving a token that has not expired yet when a mandatory refresh fails', async () => {
    server.handle(() => ({ status: 500, text: 'nope' }))
    const provider = make({ expiresAt: clock + 30_000 })
    expect((await provider.getToken()).accessToken).toBe(OLD)
    expect(server.requests).toHaveLength(1)
    // Backing off: no new request, the live token is still served.
    expect((await provider.getToken()).accessToken).toBe(OLD)
    expect(server.requests).toHaveLength(1)
    clock += 31_000
    await expect(provider.getToken()).rejects.toMatchObject({ code: 'refresh_failed' })
  })

  it('invalid_grant: CredentialsError refresh_token_invalid, and never another request', async () => {
    server.handle(() => ({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'Invalid refresh token provided' },
    }))
    const events: RefreshEvent[] = []
    const provider = make({}, { onRefresh: (event) => events.push(event) })
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => provider.getToken()))
    for (const result of results) {
      const error = (result as PromiseRejectedResult).reason
      expect(error).toBeInstanceOf(CredentialsError)
      expect(error.code).toBe('refresh_token_invalid')
      expect(error.message).toMatch(/sign in to Kiro again/i)
    }
    for (let i = 0; i < 20; i++) {
      clock += 10 * MINUTE
      await expect(provider.getToken()).rejects.toMatchObject({ code: 'refresh_token_invalid' })
      await expect(provider.invalidate({ accessToken: OLD, kind: 'bearer' })).rejects.toMatchObject({
        code: 'refresh_token_invalid',
      })
    }
    expect(server.requests).toHaveLength(1)
    expect(events).toHaveLength(1)
    expect(provider.describe().canRefresh).toBe(false)
  })

  it('rejects an answer whose token would be due again at once', async () => {
    server.handle(() => ({ json: { accessToken: 'fresh-access', expiresIn: 30 } }))
    const error = await rejection(make().getToken())
    expect(error).toMatchObject({ code: 'refresh_failed' })
    expect((error as Error).message).toMatch(/expires in 30 s/)
  })

  it('an expired token without a refresh token is an expired error; without expiry it is served', async () => {
    await expect(make({ refreshToken: undefined }).getToken()).rejects.toMatchObject({ code: 'expired' })
    const forever = make({ refreshToken: undefined, expiresAt: undefined })
    expect((await forever.getToken()).accessToken).toBe(OLD)
    await expect(forever.invalidate(await forever.getToken())).rejects.toMatchObject({
      code: 'invalid_credentials',
    })
    expect(server.requests).toHaveLength(0)
  })
})

describe('invalidate()', () => {
  it('forces one shared refresh for a rejected token and returns the newer token afterwards', async () => {
    const provider = make({ expiresAt: clock + 50 * MINUTE })
    const rejected = await provider.getToken()
    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.invalidate(rejected)))
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['fresh-access']))
    expect(server.requests).toHaveLength(1)
    expect((await provider.invalidate(rejected)).accessToken).toBe('fresh-access')
    expect(server.requests).toHaveLength(1)
  })

  it('refreshes again when the token a refresh produced is rejected too', async () => {
    let n = 0
    server.handle(() => ({ json: { accessToken: `fresh-${++n}`, expiresIn: 3600 } }))
    const provider = make()
    const first = await provider.getToken()
    expect(first.accessToken).toBe('fresh-1')
    expect((await provider.invalidate(first)).accessToken).toBe('fresh-2')
  })
})

describe('abort', () => {
  it('an aborted caller gets APIUserAbortError; the shared refresh goes on for the others', async () => {
    const gate = deferred()
    server.handle(async () => {
      await gate.promise
      return { json: { accessToken: 'fresh-access', expiresIn: 3600 } }
    })
    const provider = make()
    const controller = new AbortController()
    const aborted = provider.getToken({ signal: controller.signal })
    const patient = provider.getToken()
    await server.received(1)
    controller.abort()
    expect(await rejection(aborted)).toBeInstanceOf(APIUserAbortError)
    gate.resolve()
    expect((await patient).accessToken).toBe('fresh-access')
    expect(server.requests).toHaveLength(1)
  })

  it('an already aborted signal rejects before any request', async () => {
    const signal = AbortSignal.abort()
    expect(await rejection(make().getToken({ signal }))).toBeInstanceOf(APIUserAbortError)
    expect(server.requests).toHaveLength(0)
  })

  it('a stalled refresh endpoint ends in refresh_timeout', async () => {
    server.handle(() => 'hang')
    const error = await rejection(make({}, { refreshTimeoutMs: 200 }).getToken())
    expect(error).toBeInstanceOf(CredentialsError)
    expect(error).toMatchObject({ code: 'refresh_timeout' })
  })
})

describe('background timer', () => {
  it('refreshes ahead of expiry while the provider is in use, without callers', async () => {
    const done = deferred<RefreshEvent>()
    const provider = make(
      { expiresAt: clock + 10 * MINUTE + 20 },
      { onRefresh: (event) => done.resolve(event), advisoryWindowMs: 10 * MINUTE },
    )
    expect((await provider.getToken()).accessToken).toBe(OLD)
    clock += 30 // into the advisory window, with no caller to notice
    const event = await done.promise
    expect(event).toMatchObject({ ok: true, background: true, source: 'static', authMethod: 'social' })
    expect((await provider.getToken()).accessToken).toBe('fresh-access')
    expect(server.requests).toHaveLength(1)
  })

  it("arms the timer unref'd, so it never keeps the process alive", async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout')
    try {
      const provider = make({ expiresAt: clock + 40 * MINUTE })
      await provider.getToken()
      const index = spy.mock.calls.findIndex((call) => call[1] === 30 * MINUTE)
      expect(index).toBeGreaterThanOrEqual(0)
      const timer = spy.mock.results[index]?.value as NodeJS.Timeout
      expect(timer.hasRef()).toBe(false)
    } finally {
      spy.mockRestore()
    }
  })

  it('close() stops the timer', async () => {
    const provider = make({ expiresAt: clock + 10 * MINUTE + 20 }, { advisoryWindowMs: 10 * MINUTE })
    await provider.getToken()
    // The same move as in the first test of this block, where the timer refreshes within 20 ms.
    clock += 30
    provider.close()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(server.requests).toHaveLength(0)
  })
})

describe('IdC refresh', () => {
  it('posts camelCase JSON with the client registration to the OIDC region', async () => {
    const provider = make({
      authMethod: 'IdC',
      clientId: 'client-id-1',
      clientSecret: 'client-secret-3333',
      region: 'us-east-1',
      idcRegion: 'eu-central-1',
    })
    const token = await provider.getToken()
    expect(token).toMatchObject({ accessToken: 'fresh-access', authMethod: 'idc' })
    const request = server.requests[0]!
    expect(request.path).toBe('/oidc/eu-central-1/token')
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.body).toEqual({
      clientId: 'client-id-1',
      clientSecret: 'client-secret-3333',
      grantType: 'refresh_token',
      refreshToken: REFRESH,
    })
  })

  it('detects IdC from a client registration when authMethod is missing, and keeps the refresh token', async () => {
    server.handle(() => ({ json: { accessToken: 'a2', expiresIn: 3600, tokenType: 'Bearer' } }))
    const provider = make({ clientId: 'cid', clientSecret: 'client-secret-3333' })
    expect((await provider.getToken()).authMethod).toBe('idc')
    expect(server.requests[0]?.path).toBe('/oidc/us-east-1/token')
    await provider.invalidate(await provider.getToken())
    expect(server.requests[1]?.body).toMatchObject({ refreshToken: REFRESH })
  })

  it('takes a rotated refresh token and a new profile ARN from a social answer', async () => {
    server.handle(() => ({
      json: {
        accessToken: 'a2',
        refreshToken: 'rotated-refresh',
        profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/x',
      },
    }))
    const provider = make()
    const token = await provider.getToken()
    expect(token).toMatchObject({
      profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/x',
      expiresAt: clock + 3600_000,
    })
    await provider.invalidate(token)
    expect(server.requests[1]?.body).toEqual({ refreshToken: 'rotated-refresh' })
  })
})
