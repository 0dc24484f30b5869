import { afterEach, describe, expect, it, vi } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import { ConfigurationError, NotFoundError } from '../../src/errors/index.js'
import { MemoryState } from '../../src/state/memory.js'
import type { RecordedRequest } from '../../src/testing/index.js'
import { startConnectProxy } from '../transport/connect-proxy.js'
import {
  accountOf,
  type Behaviour,
  conversation,
  HELLO,
  httpError,
  params,
  setupPool,
  usageFixture,
  usageResettingAt,
} from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

/** The most requests that overlapped on each account, from the fake Kiro's own timings. */
function peakOverlap(requests: readonly RecordedRequest[]): Map<string, number> {
  const points: Array<{ account: string; at: number; delta: number }> = []
  for (const request of requests) {
    const account = accountOf(request) ?? '?'
    points.push({ account, at: request.receivedAt, delta: 1 })
    points.push({ account, at: request.response.endedAt ?? Number.POSITIVE_INFINITY, delta: -1 })
  }
  points.sort((a, b) => a.at - b.at || a.delta - b.delta)
  const current = new Map<string, number>()
  const peak = new Map<string, number>()
  for (const point of points) {
    const value = (current.get(point.account) ?? 0) + point.delta
    current.set(point.account, value)
    peak.set(point.account, Math.max(peak.get(point.account) ?? 0, value))
  }
  return peak
}

describe('a pooled client', () => {
  it('never exceeds an account’s maxConcurrency under 50 concurrent requests, and serves them all', async () => {
    // The first nine answers wait until nine requests are in: as many as the caps allow at once.
    let arrived = 0
    let open: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      open = resolve
    })
    const held: Behaviour = () => [{ delayMs: 5 }, ...HELLO]
    const { client, sim } = await setupPool(
      [
        { id: 'alice', maxConcurrency: 2 },
        { id: 'bob', maxConcurrency: 3 },
        { id: 'carol', maxConcurrency: 4 },
      ],
      { alice: held, bob: held, carol: held },
      { accountSelection: 'least-loaded' },
      {
        script: async () => {
          arrived += 1
          if (arrived === 9) open()
          if (arrived <= 9) await gate
          return held({} as RecordedRequest)
        },
      },
    )
    const results = await Promise.all(Array.from({ length: 50 }, () => client.messages.create(params)))
    expect(results).toHaveLength(50)
    expect(results.every((message) => message.stop_reason === 'end_turn')).toBe(true)
    const peak = peakOverlap(sim.generateRequests)
    // Every cap was reached (the nine held answers) and none was passed.
    expect(Object.fromEntries(peak)).toEqual({ alice: 2, bob: 3, carol: 4 })
    expect((await client.accounts.list()).every((account) => account.inFlight === 0)).toBe(true)
  })

  it('answers 529 with retry-after once the wait queue is full', async () => {
    const { client } = await setupPool(
      [{ id: 'alice', maxConcurrency: 1 }],
      { alice: () => [{ delayMs: 200 }, ...HELLO] },
      { maxQueuedRequests: 2 },
    )
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => client.messages.create(params)))
    const rejected = settled.filter((result) => result.status === 'rejected')
    expect(settled.filter((result) => result.status === 'fulfilled')).toHaveLength(3)
    expect(rejected).toHaveLength(2)
    for (const result of rejected) {
      const error = (result as PromiseRejectedResult).reason as { status: number; headers: Headers }
      expect(error.status).toBe(529)
      expect(error.headers.get('retry-after')).toBe('1')
    }
  })

  it('keeps each conversation on one account while others come and go', async () => {
    const { client, sim } = await setupPool(['alice', 'bob', 'carol'])
    for (let turn = 1; turn <= 4; turn++) {
      for (const name of ['billing', 'search', 'deploy', 'docs']) {
        await client.messages.create(conversation(name, turn))
      }
    }
    const byConversation = new Map<string, Set<string>>()
    for (const request of sim.generateRequests) {
      const state = (request.json as { conversationState: { conversationId: string } }).conversationState
      const set = byConversation.get(state.conversationId) ?? new Set()
      set.add(accountOf(request) ?? '?')
      byConversation.set(state.conversationId, set)
    }
    expect(byConversation.size).toBe(4)
    for (const accounts of byConversation.values()) expect(accounts.size).toBe(1)
    // And the conversations were spread over more than one account.
    expect(new Set([...byConversation.values()].map((set) => [...set][0])).size).toBeGreaterThan(1)
  })

  it('brings a parked account back at its reset time (fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-05-14T12:00:00Z'))
    const reset = Date.parse('2026-06-01T00:00:00Z')
    let aliceOutOfQuota = true
    const { client, served } = await setupPool(
      ['alice', 'bob'],
      {
        alice: () =>
          aliceOutOfQuota
            ? httpError(429, {
                message: 'Maximum Request reached for this month.',
                reason: 'MONTHLY_REQUEST_COUNT',
              })
            : HELLO,
      },
      { accountSelection: 'round-robin' },
      { usageLimits: () => usageResettingAt('free-tier', reset) },
    )
    await client.messages.create(params)
    expect(served()).toEqual(['alice', 'bob'])
    expect((await client.accounts.list())[0]).toMatchObject({ state: 'exhausted', until: reset })
    for (let i = 0; i < 3; i++) await client.messages.create(params)
    expect(served().slice(2)).toEqual(['bob', 'bob', 'bob'])
    vi.setSystemTime(reset - 1)
    await client.messages.create(params)
    expect(served().at(-1)).toBe('bob')
    aliceOutOfQuota = false
    vi.setSystemTime(reset)
    expect((await client.accounts.list())[0]?.state).toBe('ready')
    await client.messages.create(params)
    await client.messages.create(params)
    expect(served().slice(-2).sort()).toEqual(['alice', 'bob'])
  })

  it('reads usage per account from GetUsageLimits, with the profile ARN of an enterprise login', async () => {
    const bodies: Record<string, unknown> = {
      free: usageFixture('free-tier'),
      paid: usageFixture('paid-overage'),
      trial: usageFixture('free-trial'),
    }
    const arn = 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ENTERPRISE'
    const { client, sim } = await setupPool(
      ['free', { id: 'paid', profileArn: arn }, 'trial'],
      {},
      {},
      { usageLimits: (request: RecordedRequest) => bodies[accountOf(request) ?? ''] },
    )
    const free = await client.usage({ account: 'free' })
    expect(free).toMatchObject({
      account: 'free',
      plan: { title: 'KIRO FREE' },
      credits: { used: 12.37, limit: 50 },
    })
    const paid = await client.usage({ account: 'paid' })
    expect(paid).toMatchObject({ overage: { enabled: true, used: 310.75 }, credits: { remaining: 0 } })
    const trial = await client.usage({ account: 'trial' })
    expect(trial.freeTrial?.status).toBe('ACTIVE')
    const queries = sim.requests
      .filter((request) => request.kind === 'usage')
      .map((request) => new URL(request.path, sim.url))
    expect(queries.map((url) => url.searchParams.get('profileArn'))).toEqual([null, arn, null])
    expect(queries[0]?.searchParams.get('resourceType')).toBe('AGENTIC_REQUEST')
    // Remembered for the status list.
    const listed = await client.accounts.list()
    expect(listed.find((account) => account.id === 'paid')?.usage?.plan?.title).toBe('KIRO PRO+')
    await expect(client.usage()).rejects.toBeInstanceOf(ConfigurationError)
    await expect(client.usage({ account: 'nobody' })).rejects.toBeInstanceOf(NotFoundError)
  })

  it('lists the union of the accounts’ models, each with the accounts serving it, and routes by it', async () => {
    const model = (modelId: string) => ({ modelId, modelName: modelId })
    const { client, served } = await setupPool(
      ['alice', 'bob'],
      {},
      {},
      {
        models: (request: RecordedRequest) =>
          accountOf(request) === 'alice'
            ? [model('claude-sonnet-4.5'), model('claude-haiku-4.5')]
            : [model('claude-haiku-4.5')],
      },
    )
    const page = await client.models.list()
    expect(page.source).toBe('kiro')
    expect(page.data.map((entry) => [entry.id, entry.accounts])).toEqual([
      ['claude-sonnet-4-5', ['alice']],
      ['claude-haiku-4-5', ['alice', 'bob']],
    ])
    for (let i = 0; i < 3; i++) await client.messages.create(params)
    expect(served()).toEqual(['alice', 'alice', 'alice'])
  })

  it('rejects credentials and accounts together, and bad account options by field', () => {
    expect(
      () =>
        new KiroClient({
          credentials: { accessToken: 'x' },
          accounts: [{ id: 'a', credentials: { accessToken: 'y' } }],
        }),
    ).toThrow(/either credentials/)
    expect(() => new KiroClient({ accounts: [] })).toThrow(ConfigurationError)
    expect(() => new KiroClient({ accounts: [{ id: 'a b', credentials: { accessToken: 'x' } }] })).toThrow(
      /accounts\[0\]\.id/,
    )
    expect(
      () =>
        new KiroClient({
          accounts: [
            { id: 'a', credentials: { accessToken: 'x' } },
            { id: 'b', credentials: { accessToken: 'y' }, maxConcurrency: 0 },
          ],
        }),
    ).toThrow(/accounts\[1\]\.maxConcurrency/)
    expect(
      () =>
        new KiroClient({
          accounts: [{ id: 'a', credentials: { accessToken: 'x' }, proxy: 'socks5://user:pw@proxy:1080' }],
        }),
    ).toThrow(/accounts\[0\]\.proxy/)
    expect(
      () =>
        new KiroClient({
          accounts: [{ id: 'a', credentials: { accessToken: 'x' }, proxy: 'socks5://proxy:1080' }],
        }),
    ).toThrow(/accounts\[0\]\.proxy: a SOCKS proxy needs accounts\[0\]\.fetch/)
    expect(
      () =>
        new KiroClient({
          accounts: [{ id: 'a', credentials: { accessToken: 'x' } }],
          accountSelection: 'random' as never,
        }),
    ).toThrow(/accountSelection/)
    expect(
      () => new KiroClient({ accounts: [{ id: 'a', credentials: { access_token: 'x' } as never }] }),
    ).toThrow(/accounts\[0\]\.credentials\.access_token: unknown field \(did you mean accessToken\?\)/)
  })

  it('takes an external identity provider login as plain credentials, as a single login does', async () => {
    const credentials = {
      accessToken: 'x',
      expiresAt: Date.now() + 3_600_000,
      refreshToken: 'r',
      authMethod: 'external_idp',
      clientId: 'c',
      tokenEndpoint: 'https://login.example.com/oauth2/v2.0/token',
      scopes: 'api://kiro/.default offline_access',
    }
    const pooled = new KiroClient({ accounts: [{ id: 'a', credentials }] })
    const single = new KiroClient({ credentials })
    for (const client of [pooled, single]) {
      await client.credentials.getToken()
      expect(client.credentials.describe().authMethod).toBe('external_idp')
    }
    pooled.close()
    single.close()
  })

  it('sends each account through its own proxy', async () => {
    const relay = await startConnectProxy()
    try {
      const { client, sim } = await setupPool(
        [{ id: 'alice', proxy: relay.url }, 'bob'],
        {},
        { accountSelection: 'round-robin' },
      )
      for (let i = 0; i < 2; i++) await client.messages.create(params)
      expect(sim.generateRequests.map(accountOf)).toEqual(['alice', 'bob'])
      expect(relay.targets).toEqual([new URL(sim.url).host])
      const [alice, bob] = await client.accounts.list()
      expect(alice?.proxy).toBe(relay.url)
      expect(bob?.proxy).toBeUndefined()
      // With the proxy gone, alice cannot reach Kiro and bob still can: only alice used it.
      await relay.close()
      await expect(client.messages.create(params)).rejects.toMatchObject({ account: 'alice' })
      await expect(client.messages.create(params)).resolves.toMatchObject({ type: 'message' })
      expect(sim.generateRequests.map(accountOf)).toEqual(['alice', 'bob', 'bob'])
    } finally {
      await relay.close()
    }
  })

  it('shares one state between clients: a parked account is parked for both', async () => {
    const state = new MemoryState()
    const { client, sim } = await setupPool(
      ['alice', 'bob'],
      { alice: () => httpError(403, { message: 'suspended', reason: 'TEMPORARILY_SUSPENDED' }) },
      { state, accountSelection: 'round-robin' },
    )
    await client.messages.create(params)
    const other = new KiroClient({
      baseURL: sim.url,
      state,
      accounts: [
        { id: 'alice', credentials: { accessToken: 'secret-access-alice' } },
        { id: 'bob', credentials: { accessToken: 'secret-access-bob' } },
      ],
    })
    try {
      expect((await other.accounts.list())[0]?.state).toBe('suspended')
    } finally {
      other.close()
    }
  })

  it('gives a single login one account, named default, that cannot be managed', async () => {
    const client = new KiroClient({ credentials: { accessToken: 'x' } })
    try {
      expect(await client.accounts.list()).toMatchObject([{ id: 'default', state: 'ready', inFlight: 0 }])
      await expect(client.accounts.disable('default')).rejects.toBeInstanceOf(ConfigurationError)
    } finally {
      client.close()
    }
  })
})
