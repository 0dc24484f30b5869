import { describe, expect, it } from 'vitest'
import { accountOf, params, setupPool, tokenOf, usageFixture } from './helpers.js'

const ARN = 'arn:aws:codewhisperer:us-east-1:123456789012:profile/TEAMPROFILE'

/** An enterprise (IdC) login that carries no profile ARN, as its refresh answers do. */
const idc = (id: string) => ({
  id,
  credentials: {
    accessToken: tokenOf(id),
    authMethod: 'idc',
    region: 'us-east-1',
    expiresAt: Date.now() + 3_600_000,
  },
})

describe('profile ARN of a pool account (docs/protocol.md §9.1)', () => {
  it('looks up the profile of an IdC account without one, once, and sends it with its calls only', async () => {
    const { client, sim } = await setupPool(
      [idc('alice'), 'bob', { ...idc('carol'), profileArn: ARN.replace('TEAMPROFILE', 'CAROL') }],
      {},
      { accountSelection: 'round-robin' },
      { profiles: [{ arn: ARN }] },
    )
    // Concurrent requests share one lookup; sequential ones go round the three accounts.
    await Promise.all(Array.from({ length: 4 }, () => client.messages.create(params)))
    for (let i = 0; i < 3; i++) await client.messages.create(params)
    const lookups = sim.requests.filter((request) => request.kind === 'profiles')
    // Alice's login was looked up, once, with her own token; bob (social) and carol (configured) never.
    expect(lookups.map(accountOf)).toEqual(['alice'])
    const sent = sim.generateRequests.map((request) => ({
      account: accountOf(request),
      profileArn: (request.json as { profileArn?: string }).profileArn,
    }))
    const arnsOf = (account: string) =>
      new Set(sent.filter((r) => r.account === account).map((r) => r.profileArn))
    expect(sent).toHaveLength(7)
    expect(arnsOf('alice')).toEqual(new Set([ARN]))
    expect(arnsOf('bob')).toEqual(new Set([undefined]))
    expect(arnsOf('carol')).toEqual(new Set([ARN.replace('TEAMPROFILE', 'CAROL')]))
    const [alice] = await client.accounts.list()
    expect(alice).toMatchObject({ id: 'alice', profileArn: ARN })
  })

  it('sends the looked-up profile with usage() and the models list of that account', async () => {
    const { client, sim } = await setupPool(
      [idc('alice'), 'bob'],
      {},
      {},
      { profiles: [{ arn: ARN }], usageLimits: usageFixture('free-tier') },
    )
    await client.usage({ account: 'alice' })
    const usage = sim.requests.filter((request) => request.kind === 'usage')
    expect(usage.map(accountOf)).toEqual(['alice'])
    expect(usage[0]?.path).toContain(encodeURIComponent(ARN))
    await client.models.list()
    const models = sim.requests.filter((request) => request.kind === 'models')
    expect(models.find((request) => accountOf(request) === 'alice')?.path).toContain(encodeURIComponent(ARN))
    expect(models.find((request) => accountOf(request) === 'bob')?.path).not.toContain('profileArn')
    expect(sim.requests.filter((request) => request.kind === 'profiles')).toHaveLength(1)
  })
})
