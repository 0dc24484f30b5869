import type Anthropic from '@anthropic-ai/sdk'
import type Anthropic0 from 'anthropic-sdk-0x'
import { describe, expect, expectTypeOf, it } from 'vitest'
import type { APIPromise, WithResponse } from '../../src/client/api-promise.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import type { ModelInfo } from '../../src/client/models.js'
import type { MessageStream } from '../../src/stream/message-stream.js'
import type { BetaMessageCountTokensParams, BetaMessageCreateParams } from '../../src/types/beta-request.js'

// Checked by `tsc --noEmit` (the tsconfig includes test/): KiroClient's methods take what the SDK's
// take and give what code typed against either SDK line expects, without a cast.

/** Never called: its body only has to type-check. */
function usedAsTheSdkIs(client: KiroClient, p: Anthropic.MessageCreateParamsNonStreaming) {
  const message: Promise<Anthropic.Message> = client.messages.create(p)
  const message0: Promise<Anthropic0.Message> = client.messages.create(
    p as Anthropic0.MessageCreateParamsNonStreaming,
  )
  const withResponse: Promise<{
    data: Anthropic.Message
    response: Response
    request_id: string | null | undefined
  }> = client.messages.create(p).withResponse()
  const asResponse: Promise<Response> = client.messages.create(p).asResponse()
  const streamed: Promise<AsyncIterable<Anthropic.RawMessageStreamEvent>> = client.messages.create({
    ...p,
    stream: true,
  })
  const beta: Promise<Anthropic.Message> = client.beta.messages.create(
    p as unknown as Anthropic.Beta.Messages.MessageCreateParamsNonStreaming,
  )
  const model: Promise<Anthropic.ModelInfo> = client.models.retrieve('claude-sonnet-4-5')
  const models: AsyncIterable<Anthropic.ModelInfo> = client.models.list()
  return [message, message0, withResponse, asResponse, streamed, beta, model, models]
}

describe('the client surface types', () => {
  it('match the SDK (checked by tsc)', () => {
    expectTypeOf(usedAsTheSdkIs).returns.toBeArray()
    expectTypeOf<Anthropic.Beta.Messages.MessageCreateParamsNonStreaming>().toExtend<BetaMessageCreateParams>()
    expectTypeOf<Anthropic.Beta.Messages.MessageCreateParamsStreaming>().toExtend<BetaMessageCreateParams>()
    expectTypeOf<Anthropic0.Beta.Messages.MessageCreateParamsNonStreaming>().toExtend<BetaMessageCreateParams>()
    expectTypeOf<Anthropic.Beta.Messages.MessageCountTokensParams>().toExtend<BetaMessageCountTokensParams>()
    expectTypeOf<Anthropic0.Beta.Messages.MessageCountTokensParams>().toExtend<BetaMessageCountTokensParams>()
    expectTypeOf<ModelInfo>().toExtend<Anthropic.ModelInfo>()
    expectTypeOf<ModelInfo>().toExtend<Anthropic0.ModelInfo>()
    expectTypeOf<KiroClient['messages']['create']>().returns.toExtend<
      APIPromise<unknown> | APIPromise<MessageStream>
    >()
    expectTypeOf<WithResponse<string>>().toHaveProperty('request_id')
  })

  it('are the runtime shapes too: APIPromise is a promise with the two helpers', async () => {
    const client = new KiroClient({ credentials: { accessToken: 'unused' }, baseURL: 'http://127.0.0.1:9' })
    const promise = client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [] })
    expect(await promise).toEqual({ input_tokens: 0 })
    const created = client.messages.create(
      { model: 'claude-sonnet-4-5', messages: [] },
      { signal: AbortSignal.abort() },
    )
    expect(typeof created.then).toBe('function')
    expect(typeof created.withResponse).toBe('function')
    expect(typeof created.asResponse).toBe('function')
    expect(String(created)).toBe('[object APIPromise]')
    await created.catch(() => {})
    client.close()
  })
})
