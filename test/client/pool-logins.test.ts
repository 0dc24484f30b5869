import { describe, expect, it } from 'vitest'
import { accountOf, params, setupPool, tokenOf, usageFixture } from '../accounts/helpers.js'

const ARN = 'arn:aws:codewhisperer:us-east-1:123456789012:profile/POOLCORP1'

describe('pool accounts: enterprise logins and web search (docs/protocol.md §13, §14)', () => {
  it('an IdC account without a profile ARN has it looked up once, for messages, models and usage', async () => {
    const { sim, client } = await setupPool(
      [
        {
          id: 'corp',
          credentials: {
            accessToken: tokenOf('corp'),
            authMethod: 'idc',
            region: 'us-east-1',
            expiresAt: Date.now() + 3_600_000,
          },
        },
      ],
      {},
      {},
      { profiles: [{ arn: ARN }], requireProfileArn: ARN, usageLimits: usageFixture('free-tier') },
    )
    // Kiro refuses all three without the profile (the simulator as Kiro does).
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ type: 'text' })
    const page = await client.models.list()
    expect(page.source).toBe('kiro')
    const usage = await client.usage({ account: 'corp' })
    expect(usage.credits).toMatchObject({ limit: 50 })

    expect((sim.generateRequests[0]?.json as { profileArn?: string } | undefined)?.profileArn).toBe(ARN)
    const models = sim.requests.find((r) => r.kind === 'models')
    expect(new URL(models?.path ?? '', sim.url).searchParams.get('profileArn')).toBe(ARN)
    const usageCall = sim.requests.find((r) => r.kind === 'usage')
    expect(new URL(usageCall?.path ?? '', sim.url).searchParams.get('profileArn')).toBe(ARN)
    expect(sim.requests.filter((r) => r.kind === 'profiles')).toHaveLength(1)
  })

  it('a web search runs with a pool account that can serve, not with the first one configured', async () => {
    let turns = 0
    const { sim, client } = await setupPool(['first', 'second'], {
      second: () =>
        turns++ === 0
          ? [{ toolUse: { name: 'web_search', input: { query: 'pool' } } }]
          : [{ text: 'Answered.' }],
    })
    await client.accounts.disable('first')
    const message = await client.messages.create({
      ...params,
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
    })
    expect(message.content.map((b) => b.type)).toEqual(['server_tool_use', 'web_search_tool_result', 'text'])
    expect(sim.generateRequests.map(accountOf)).toEqual(['second', 'second'])
    expect(sim.mcpRequests.map(accountOf)).toEqual(['second'])
  })
})
