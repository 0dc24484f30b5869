import { afterEach, describe, expect, it } from 'vitest'
import type { KiroToken } from '../../src/auth/types.js'
import { KiroError } from '../../src/errors/kiro-error.js'
import { fetchAccountModels, toAccountModel } from '../../src/models/account-models.js'
import { managementRegions } from '../../src/models/management-regions.js'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'

const token: KiroToken = { accessToken: 'account-token-8f3a', kind: 'bearer', authMethod: 'idc' }
const MACHINE = 'a'.repeat(64)
let sim: KiroSimulator | undefined

afterEach(async () => {
  await sim?.close()
  sim = undefined
})

/** A fetch that answers from a table of URL prefixes and records the URLs asked. */
function fakeFetch(answers: Array<[prefix: string, status: number, body: unknown]>) {
  const asked: Array<{ url: string; headers: Record<string, string> }> = []
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input)
    asked.push({ url, headers: init?.headers as Record<string, string> })
    const answer = answers.find(([prefix]) => url.startsWith(prefix))
    if (!answer) return new Response('{"message":"no route"}', { status: 404 })
    const [, status, body] = answer
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }
  return { fetch, asked }
}

describe('fetchAccountModels (docs/protocol.md §1.5)', () => {
  it('joins the account list with the table: its limits win, the table supplies ids and native efforts', async () => {
    sim = await createKiroSimulator({
      models: [
        {
          modelId: 'claude-opus-4.6',
          modelName: 'Opus (account)',
          tokenLimits: { maxInputTokens: 500_000, maxOutputTokens: 32_000 },
        },
        { modelId: 'claude-sonnet-4.5' },
        { modelId: 'brand-new-model', tokenLimits: { maxInputTokens: 300_000 }, rateMultiplier: 0.5 },
      ],
    })
    const models = await fetchAccountModels({
      token,
      region: 'us-east-1',
      profileArn: 'arn:aws:codewhisperer:us-east-1:123456789012:profile/P1',
      baseURL: sim.url,
      machineId: MACHINE,
    })
    expect(models).toEqual([
      {
        id: 'claude-opus-4-6',
        kiroId: 'claude-opus-4.6',
        displayName: 'Opus (account)',
        contextWindow: 500_000,
        maxOutputTokens: 32_000,
        nativeEffort: ['low', 'medium', 'high', 'max'],
      },
      {
        id: 'claude-sonnet-4-5',
        kiroId: 'claude-sonnet-4.5',
        displayName: 'Claude Sonnet 4.5',
        contextWindow: 200_000,
        maxOutputTokens: 64_000,
        nativeEffort: null,
      },
      {
        id: 'brand-new-model',
        kiroId: 'brand-new-model',
        displayName: 'brand-new-model',
        contextWindow: 300_000,
        maxOutputTokens: 8_192,
        nativeEffort: null,
        rateMultiplier: 0.5,
      },
    ])
    const [request] = sim.requests
    expect(request?.path).toBe(
      '/ListAvailableModels?origin=AI_EDITOR&profileArn=arn%3Aaws%3Acodewhisperer%3Aus-east-1%3A123456789012%3Aprofile%2FP1',
    )
    expect(request?.headers['authorization']).toBe(`Bearer ${token.accessToken}`)
  })

  it('follows nextToken, and moves to the other management region on a 403', async () => {
    const { fetch, asked } = fakeFetch([
      ['https://q.us-east-1.amazonaws.com/', 403, { message: 'Invalid token' }],
      [
        'https://q.eu-central-1.amazonaws.com/ListAvailableModels?origin=AI_EDITOR&nextToken=p2',
        200,
        { models: [{ modelId: 'claude-haiku-4.5' }, { modelId: 'claude-opus-4.6' }] },
      ],
      [
        'https://q.eu-central-1.amazonaws.com/',
        200,
        { models: [{ modelId: 'claude-opus-4.6' }], nextToken: 'p2' },
      ],
    ])
    const models = await fetchAccountModels({ token, region: 'ap-southeast-2', fetch, machineId: MACHINE })
    expect(models.map((m) => m.kiroId)).toEqual(['claude-opus-4.6', 'claude-haiku-4.5'])
    expect(asked.map((a) => new URL(a.url).host)).toEqual([
      'q.us-east-1.amazonaws.com',
      'q.eu-central-1.amazonaws.com',
      'q.eu-central-1.amazonaws.com',
    ])
  })

  it('throws a typed error for any other failure or an answer without a list', async () => {
    const throttled = fakeFetch([['https://q.us-east-1', 429, { message: 'slow down' }]])
    await expect(
      fetchAccountModels({ token, region: 'us-east-1', fetch: throttled.fetch, machineId: MACHINE }),
    ).rejects.toMatchObject({
      status: 429,
    })
    const odd = fakeFetch([['https://q.us-east-1', 200, { nope: true }]])
    await expect(
      fetchAccountModels({ token, region: 'us-east-1', fetch: odd.fetch, machineId: MACHINE }),
    ).rejects.toBeInstanceOf(KiroError)
  })

  it('sends tokentype EXTERNAL_IDP for an external identity provider login', async () => {
    const { fetch, asked } = fakeFetch([['https://q.', 200, { models: [{ modelId: 'auto' }] }]])
    await fetchAccountModels({
      token: { ...token, authMethod: 'external_idp' },
      region: 'us-east-1',
      fetch,
      machineId: MACHINE,
    })
    expect(asked[0]?.headers['tokentype']).toBe('EXTERNAL_IDP')
  })

  it('skips entries without a model id; ignores limits that are not positive integers', () => {
    expect(toAccountModel({ modelName: 'x' })).toBeUndefined()
    expect(
      toAccountModel({
        modelId: 'claude-opus-4.8',
        tokenLimits: { maxInputTokens: -5, maxOutputTokens: 'big' },
      }),
    ).toMatchObject({
      contextWindow: 1_000_000,
      maxOutputTokens: 128_000,
    })
  })

  it('management regions: eu-* accounts start in Frankfurt', () => {
    expect(managementRegions('eu-west-1')).toEqual(['eu-central-1', 'us-east-1'])
    expect(managementRegions('us-west-2')).toEqual(['us-east-1', 'eu-central-1'])
    expect(managementRegions(undefined)).toEqual(['us-east-1', 'eu-central-1'])
  })
})
