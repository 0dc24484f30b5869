import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { KiroToken } from '../../src/auth/types.js'
import { createKiroSimulator } from '../../src/testing/index.js'
import { lookupProfileArn, profileRegions } from '../../src/transport/list-available-profiles.js'
import { ACCESS_TOKEN, params, setup } from './helpers.js'

const ARN = 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ENTERPRISE1'
const EU_ARN = 'arn:aws:codewhisperer:eu-central-1:123456789012:profile/EUPROFILE1'
const idc = {
  accessToken: ACCESS_TOKEN,
  authMethod: 'idc',
  region: 'us-east-1',
  expiresAt: Date.now() + 3_600_000,
}

describe('client.models.list() (docs/protocol.md §1.5)', () => {
  it("lists the account's models with window, output cap and native efforts, fetched once", async () => {
    const { sim, client } = await setup(
      {},
      {
        models: [
          { modelId: 'claude-opus-4.6', tokenLimits: { maxInputTokens: 1_000_000, maxOutputTokens: 20_000 } },
          { modelId: 'claude-haiku-4.5', modelName: 'Haiku' },
        ],
      },
    )
    const page = await client.models.list()
    expect(page).toMatchObject({
      data: [
        {
          type: 'model',
          id: 'claude-opus-4-6',
          display_name: 'Claude Opus 4.6',
          line: 'opus',
          capabilities: null,
          created_at: '1970-01-01T00:00:00Z',
          max_input_tokens: 1_000_000,
          max_tokens: 20_000,
          kiro_model_id: 'claude-opus-4.6',
          kiro_native_effort: ['low', 'medium', 'high', 'max'],
        },
        {
          type: 'model',
          id: 'claude-haiku-4-5',
          display_name: 'Haiku',
          created_at: '1970-01-01T00:00:00Z',
          max_input_tokens: 200_000,
          max_tokens: 64_000,
          kiro_model_id: 'claude-haiku-4.5',
          kiro_native_effort: null,
        },
      ],
      has_more: false,
      first_id: 'claude-opus-4-6',
      last_id: 'claude-haiku-4-5',
      source: 'kiro',
    })
    await client.models.list()
    expect(sim.requests.filter((r) => r.kind === 'models')).toHaveLength(1)

    // The account's output cap now bounds max_tokens sent to that model.
    await client.messages.create({
      ...params,
      model: 'claude-opus-4-6',
      max_tokens: 64_000,
      thinking: { type: 'adaptive' },
    })
    const body = sim.generateRequests[0]?.json as { additionalModelRequestFields?: unknown } | undefined
    expect(body?.additionalModelRequestFields).toEqual({
      thinking: { type: 'adaptive', display: 'summarized' },
      output_config: { effort: 'high' },
      max_tokens: 20_000,
    })
  })

  it('falls back to the built-in table when Kiro does not serve the list', async () => {
    const { client } = await setup(
      { credentials: { accessToken: 'not-the-simulated-one-1234' } },
      {
        tokens: { accessToken: 'simulated-access-5678', refreshToken: 'r' },
      },
    )
    const page = await client.models.list()
    expect(page.source).toBe('builtin')
    expect(page.data.find((m) => m.id === 'claude-opus-4-8')?.max_tokens).toBe(128_000)
  })
})

describe('profile ARN lookup for enterprise logins (docs/protocol.md §9.1)', () => {
  it('an IdC login without a profile ARN looks it up once and sends it', async () => {
    const { sim, client } = await setup(
      { credentials: idc },
      { profiles: [{ arn: ARN }], requireProfileArn: ARN },
    )
    await Promise.all([client.messages.create(params), client.messages.create(params)])
    const lookups = sim.requests.filter((r) => r.kind === 'profiles')
    expect(lookups).toHaveLength(1)
    expect(lookups[0]?.headers['x-amz-target']).toBe('AmazonCodeWhispererService.ListAvailableProfiles')
    expect(lookups[0]?.json).toEqual({ maxResults: 10 })
    for (const request of sim.generateRequests)
      expect((request.json as { profileArn?: string }).profileArn).toBe(ARN)
    await client.messages.create(params)
    expect(sim.requests.filter((r) => r.kind === 'profiles')).toHaveLength(1)
    // The models list goes with the same profile.
    await client.models.list()
    expect(sim.requests.find((r) => r.kind === 'models')?.path).toContain(encodeURIComponent(ARN))
  })

  it('GetUsageLimits of an IdC login carries the looked-up profile ARN (it fails without one)', async () => {
    const usageLimits = JSON.parse(
      readFileSync(new URL('../fixtures/usage-limits/free-tier.json', import.meta.url), 'utf8'),
    ) as unknown
    const { sim, client } = await setup(
      { credentials: idc },
      { profiles: [{ arn: ARN }], requireProfileArn: ARN, usageLimits },
    )
    // Asked first, before any message: the lookup happens for usage too.
    const usage = await client.usage()
    expect(usage.credits).toMatchObject({ limit: 50 })
    const [query] = sim.requests.filter((r) => r.kind === 'usage').map((r) => new URL(r.path, sim.url))
    expect(query?.searchParams.get('profileArn')).toBe(ARN)
    expect(sim.requests.filter((r) => r.kind === 'profiles')).toHaveLength(1)
    // A social login without a profile gets Kiro's refusal, typed.
    const other = await setup(
      { credentials: { ...idc, authMethod: 'social' } },
      { requireProfileArn: ARN, usageLimits },
    )
    await expect(other.client.usage()).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('profileArn is required'),
    })
  })

  it('without the lookup Kiro would refuse the request', async () => {
    const { client } = await setup(
      { credentials: { ...idc, authMethod: 'social' } },
      { requireProfileArn: ARN },
    )
    await expect(client.messages.create(params)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('profileArn is required'),
    })
  })

  it('a login with no profile (Builder ID) goes on without one, and is not asked again at once', async () => {
    const { sim, client } = await setup({ credentials: idc }, { profiles: [] })
    await client.messages.create(params)
    await client.messages.create(params)
    expect(sim.requests.filter((r) => r.kind === 'profiles')).toHaveLength(1)
    expect((sim.generateRequests[0]?.json as { profileArn?: string } | undefined)?.profileArn).toBeUndefined()
  })

  it('social logins and logins with a profile ARN are never looked up', async () => {
    const { sim, client } = await setup(
      { credentials: { ...idc, profileArn: ARN } },
      { profiles: [{ arn: EU_ARN }] },
    )
    await client.messages.create(params)
    expect(sim.requests.filter((r) => r.kind === 'profiles')).toHaveLength(0)
    expect((sim.generateRequests[0]?.json as { profileArn?: string } | undefined)?.profileArn).toBe(ARN)
  })

  it('a client-level profileArn is used as it is: no lookup for messages, models or usage', async () => {
    const usageLimits = JSON.parse(
      readFileSync(new URL('../fixtures/usage-limits/free-tier.json', import.meta.url), 'utf8'),
    ) as unknown
    const { sim, client } = await setup(
      { credentials: idc, profileArn: ARN },
      { profiles: [{ arn: EU_ARN }], requireProfileArn: ARN, usageLimits },
    )
    await client.models.list()
    await client.usage()
    await client.messages.create(params)
    expect(sim.requests.filter((r) => r.kind === 'profiles')).toHaveLength(0)
    expect(sim.requests.find((r) => r.kind === 'models')?.path).toContain(encodeURIComponent(ARN))
    expect((sim.generateRequests[0]?.json as { profileArn?: string } | undefined)?.profileArn).toBe(ARN)
  })

  it('asks the login region, then us-east-1, then eu-central-1, past failures and empty answers', async () => {
    expect(profileRegions('ap-south-1')).toEqual(['ap-south-1', 'us-east-1', 'eu-central-1'])
    expect(profileRegions('eu-central-1')).toEqual(['eu-central-1', 'us-east-1'])
    expect(profileRegions(undefined)).toEqual(['us-east-1', 'eu-central-1'])
    // Each region's host is a loopback simulator of its own; ap-south-1 is unreachable.
    const us = await createKiroSimulator({ tokens: { accessToken: 't-123456789', refreshToken: 'r' } })
    const eu = await createKiroSimulator({
      tokens: { accessToken: 't-123456789', refreshToken: 'r' },
      profiles: [{ arn: 'not-an-arn' }, { arn: EU_ARN }],
    })
    const hosts: Record<string, string> = {
      'q.us-east-1.amazonaws.com': us.url,
      'q.eu-central-1.amazonaws.com': eu.url,
    }
    const asked: string[] = []
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(String(input))
      asked.push(url.host)
      const target = hosts[url.host]
      if (target === undefined) throw new TypeError('fetch failed')
      return globalThis.fetch(`${target}${url.pathname}${url.search}`, init)
    }
    const token: KiroToken = { accessToken: 't-123456789', kind: 'bearer', authMethod: 'idc' }
    try {
      expect(await lookupProfileArn({ token, region: 'ap-south-1', fetch, machineId: 'a'.repeat(64) })).toBe(
        EU_ARN,
      )
    } finally {
      await us.close()
      await eu.close()
    }
    expect(asked).toEqual([
      'q.ap-south-1.amazonaws.com',
      'q.us-east-1.amazonaws.com',
      'q.eu-central-1.amazonaws.com',
    ])
    // Both regions that answered were asked with the awsJson target.
    expect(us.requests.map((r) => r.kind)).toEqual(['profiles'])
    expect(eu.requests.map((r) => r.kind)).toEqual(['profiles'])
  })

  it('every region failing is an error; the next request tries again', async () => {
    let calls = 0
    const fetch: typeof globalThis.fetch = async () => {
      calls++
      return new Response('{"message":"nope"}', { status: 500 })
    }
    const token: KiroToken = { accessToken: 't-123456789', kind: 'bearer', authMethod: 'idc' }
    await expect(
      lookupProfileArn({ token, region: 'us-east-1', fetch, machineId: 'a'.repeat(64) }),
    ).rejects.toMatchObject({
      status: 500,
    })
    expect(calls).toBe(2)
  })
})
