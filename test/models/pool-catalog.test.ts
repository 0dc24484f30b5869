import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RecordedRequest, SimulatedModel } from '../../src/testing/index.js'
import { accountOf, params, setupPool } from '../accounts/helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

const model = (modelId: string, maxOutputTokens?: number): SimulatedModel =>
  ({
    modelId,
    modelName: modelId,
    ...(maxOutputTokens ? { tokenLimits: { maxInputTokens: 1_000_000, maxOutputTokens } } : {}),
  }) as SimulatedModel

describe('models.list() of a pool (docs/protocol.md §11.2)', () => {
  it('the union of the accounts, each model with its accounts, each list kept an hour', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let bobAnswers = false
    const { sim, client } = await setupPool(
      ['alice', 'bob'],
      {},
      {},
      {
        models: (request: RecordedRequest) => {
          if (accountOf(request) === 'alice')
            return [model('claude-opus-4.8', 96_000), model('claude-haiku-4.5')]
          // Until told otherwise bob answers without a list: it counts as serving the built-in table.
          return (bobAnswers ? [model('claude-haiku-4.5')] : 'unavailable') as unknown as SimulatedModel[]
        },
      },
    )
    const asked = () =>
      sim.requests
        .filter((r) => r.kind === 'models')
        .map((r) => accountOf(r) ?? '?')
        .sort()

    const first = await client.models.list()
    expect(first.source).toBe('kiro')
    const opus = first.data.find((m) => m.id === 'claude-opus-4-8')
    expect(opus).toMatchObject({
      accounts: ['alice', 'bob'],
      max_tokens: 96_000,
      kiro_native_effort: expect.any(Array),
    })
    expect(first.data.find((m) => m.id === 'claude-haiku-4-5')?.accounts).toEqual(['alice', 'bob'])
    // Models only the table knows come from bob's fallback alone.
    expect(first.data.find((m) => m.id === 'claude-sonnet-4-5')?.accounts).toEqual(['bob'])
    expect(asked()).toEqual(['alice', 'bob'])

    // Within the hour: nobody is asked again (bob's failure waits its retry delay).
    await client.models.list()
    expect(asked()).toEqual(['alice', 'bob'])

    // An hour later both are asked again; bob's answer now narrows its models.
    bobAnswers = true
    vi.setSystemTime(Date.now() + 3_600_001)
    const later = await client.models.list()
    expect(asked()).toEqual(['alice', 'alice', 'bob', 'bob'])
    expect(later.data.map((m) => [m.id, m.accounts])).toEqual([
      ['claude-opus-4-8', ['alice']],
      ['claude-haiku-4-5', ['alice', 'bob']],
    ])
  })

  it("requests are bounded by the smallest output cap the accounts' lists give", async () => {
    const { sim, client } = await setupPool(
      ['big', 'small'],
      {},
      {},
      {
        models: (request: RecordedRequest) => [
          model('claude-opus-4.6', accountOf(request) === 'small' ? 20_000 : 48_000),
        ],
      },
    )
    const ask = {
      ...params,
      model: 'claude-opus-4-6',
      max_tokens: 64_000,
      thinking: { type: 'adaptive' as const },
    }
    await client.messages.create(ask)
    await client.models.list()
    await client.messages.create(ask)
    const sent = sim.generateRequests.map(
      (r) =>
        (r.json as { additionalModelRequestFields?: { max_tokens?: number } }).additionalModelRequestFields
          ?.max_tokens,
    )
    // Before any list: the table's cap; after: the smallest account cap.
    expect(sent).toEqual([64_000, 20_000])
  })

  it('no account answering: the built-in table, source builtin', async () => {
    const { client } = await setupPool(
      ['solo'],
      {},
      {},
      {
        models: () => 'down' as unknown as SimulatedModel[],
      },
    )
    const page = await client.models.list()
    expect(page.source).toBe('builtin')
    expect(page.data.find((m) => m.id === 'claude-sonnet-4-5-1m')).toMatchObject({
      max_input_tokens: 1_000_000,
      accounts: ['solo'],
    })
  })
})
