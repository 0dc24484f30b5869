import { describe, expect, it } from 'vitest'
import { params, setup } from '../client/helpers.js'

interface SentBody {
  additionalModelRequestFields?: { max_tokens?: number; [key: string]: unknown }
  conversationState: { currentMessage: { userInputMessage: { modelId?: string } } }
}
type Sent = { sim: Awaited<ReturnType<typeof setup>>['sim'] }
const sent = ({ sim }: Sent, i = 0) => sim.generateRequests[i]?.json as SentBody

describe('what each model is sent (docs/protocol.md §11)', () => {
  it('GPT models get reasoning.effort alone: never output_config, thinking or max_tokens', async () => {
    const ctx = await setup()
    const asks = [
      { thinking: { type: 'adaptive' as const }, output_config: { effort: 'xhigh' as const } },
      { thinking: { type: 'enabled' as const, budget_tokens: 30_000 } },
      { output_config: { effort: 'low' as const } },
      {},
    ]
    for (const extra of asks) {
      await ctx.client.messages.create({ ...params, model: 'gpt-5.6-terra', max_tokens: 50_000, ...extra })
    }
    const fields = asks.map((_, i) => sent(ctx, i).additionalModelRequestFields)
    expect(fields).toEqual([
      // Terra takes no xhigh: the level below.
      { reasoning: { effort: 'high' } },
      { reasoning: { effort: 'high' } },
      { reasoning: { effort: 'low' } },
      undefined,
    ])
    for (let i = 0; i < asks.length; i++) {
      expect(sent(ctx, i).conversationState.currentMessage.userInputMessage.modelId).toBe('gpt-5.6-terra')
    }
  })

  it("Claude Code's [1m] suffix and the -1m ids select the million-token model", async () => {
    const ctx = await setup()
    const names = [
      'claude-sonnet-4-5[1m]',
      'claude-sonnet-4-5-1m',
      'claude-opus-4-6[1m]',
      'claude-sonnet-4-6-1m',
    ]
    for (const model of names) await ctx.client.messages.create({ ...params, model })
    expect(
      names.map((_, i) => sent(ctx, i).conversationState.currentMessage.userInputMessage.modelId),
    ).toEqual(['claude-sonnet-4.5-1m', 'claude-sonnet-4.5-1m', 'claude-opus-4.6', 'claude-sonnet-4.6-1m'])
  })

  it("max_tokens goes to the models that take it, bounded by the table's cap, never a global 8k", async () => {
    const ctx = await setup()
    const asks: Array<[string, number]> = [
      ['claude-opus-4-8', 200_000],
      ['claude-opus-4-8', 100_000],
      ['claude-sonnet-4-6', 100_000],
      ['claude-opus-4-6', 500],
      ['claude-sonnet-4-5', 100_000],
    ]
    for (const [model, max_tokens] of asks) await ctx.client.messages.create({ ...params, model, max_tokens })
    expect(asks.map((_, i) => sent(ctx, i).additionalModelRequestFields?.max_tokens)).toEqual([
      128_000,
      100_000,
      64_000,
      1024,
      // No native field on Sonnet 4.5: Kiro takes no max_tokens there.
      undefined,
    ])
  })
})
