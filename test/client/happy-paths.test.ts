import { describe, expect, it } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import { BadRequestError } from '../../src/errors/api-error.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { thinkingOrigin } from '../../src/mapper/thinking-signature.js'
import { ACCESS_TOKEN, collect, params, rejectionOf, setup } from './helpers.js'

const weatherTool = {
  name: 'get_weather',
  description: 'Weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
}

describe('KiroClient against the simulator', () => {
  it('streams text as Anthropic events and accumulates the same message', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: ['Hel', 'lo ', 'there'] }, { contextUsage: 2 }, { metering: 0.05 }])
    const stream = client.messages.stream(params)
    const events = await collect(stream)
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    const message = await stream.finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there', citations: null }])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.model).toBe('claude-sonnet-4-5')
    expect(message.usage.kiro_credits).toBe(0.05)
    expect(stream.request_id).toBe(sim.generateRequests[0]?.requestId)
  })

  it('sends the translated body with the protocol headers', async () => {
    const { sim, client } = await setup({
      profileArn: 'arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC',
    })
    sim.enqueue([{ text: 'ok' }])
    await client.messages.create(params)
    const [request] = sim.generateRequests
    expect(request?.shapeIssues).toEqual([])
    const { authorization } = request?.headers ?? {}
    expect(authorization).toBe('Bearer at-secret-5f1c2a')
    expect(request?.headers['amz-sdk-request']).toBe('attempt=1; max=4')
    expect(request?.headers['amz-sdk-invocation-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(request?.headers['user-agent']).toMatch(/KiroIDE-[\d.]+-[0-9a-f]{64}/)
    const body = request?.json as { profileArn: string; conversationState: { currentMessage: unknown } }
    expect(body.profileArn).toBe('arn:aws:codewhisperer:us-east-1:123456789012:profile/ABC')
    expect(JSON.stringify(body.conversationState.currentMessage)).toContain('claude-sonnet-4.5')
  })

  it('adds the profile ARN of the token when the client has none', async () => {
    const arn = 'arn:aws:codewhisperer:us-east-1:123456789012:profile/FROMTOKEN'
    const { sim, client } = await setup({
      credentials: { accessToken: 'abc', expiresAt: Date.now() + 3_600_000, profileArn: arn },
    })
    sim.enqueue([{ text: 'ok' }])
    await client.messages.create(params)
    expect((sim.generateRequests[0]!.json as { profileArn?: string }).profileArn).toBe(arn)
  })

  it('create() returns the message with its request id', async () => {
    const { sim, client } = await setup()
    sim.enqueue([
      { text: 'Hi' },
      { metadata: { uncachedInputTokens: 12, outputTokens: 3, cacheReadInputTokens: 40 } },
    ])
    const message = await client.messages.create(params)
    expect(message.content).toEqual([{ type: 'text', text: 'Hi', citations: null }])
    expect(message.usage.input_tokens).toBe(12)
    expect(message.usage.cache_read_input_tokens).toBe(40)
    expect(message.usage.output_tokens).toBe(3)
    expect(message._request_id).toBe(sim.generateRequests[0]?.requestId)
  })

  it('restores tool names and ends with tool_use', async () => {
    const { sim, client } = await setup()
    sim.enqueue([
      { text: 'Checking.' },
      { toolUse: { name: 'get_weather', input: { city: 'Paris' }, fragments: 3 } },
    ])
    const message = await client.messages.create({ ...params, tools: [weatherTool] })
    expect(message.stop_reason).toBe('tool_use')
    const tool = message.content[1]
    expect(tool?.type === 'tool_use' && tool.name).toBe('get_weather')
    expect(tool?.type === 'tool_use' && tool.input).toEqual({ city: 'Paris' })
  })

  it('maps a renamed tool back to the caller name', async () => {
    const { sim, client } = await setup()
    const longName = `mcp__server__${'x'.repeat(70)}`
    sim.setScript((request) => {
      const body = request.json as {
        conversationState: {
          currentMessage: {
            userInputMessage: {
              userInputMessageContext: { tools: Array<{ toolSpecification: { name: string } }> }
            }
          }
        }
      }
      const kiroName =
        body.conversationState.currentMessage.userInputMessage.userInputMessageContext.tools[0]!
          .toolSpecification.name
      return [{ toolUse: { name: kiroName, input: { a: 1 } } }]
    })
    const message = await client.messages.create({
      ...params,
      tools: [{ ...weatherTool, name: longName }],
    })
    const block = message.content[0]
    expect(block?.type === 'tool_use' && block.name).toBe(longName)
  })

  it('parses tag thinking when thinking is enabled', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: ['<think', 'ing>Let me see.</thinking>\n\nThe answer.'] }])
    const message = await client.messages.create({
      ...params,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    })
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'Let me see.' })
    expect(thinkingOrigin((message.content[0] as { signature: string }).signature)).toBe('tags')
    expect(message.content[1]).toMatchObject({ type: 'text', text: 'The answer.' })
    const sent = JSON.stringify(sim.generateRequests[0]?.json)
    expect(sent).toContain('<thinking_mode>enabled</thinking_mode>')
  })

  it('stops at a stop sequence split across events and closes the upstream', async () => {
    const { sim, client } = await setup()
    sim.enqueue([{ text: ['one two ST', 'OP three'] }, { delayMs: 5_000 }, { text: 'never' }])
    const message = await client.messages.create({ ...params, stop_sequences: ['STOP'] })
    expect(message.stop_reason).toBe('stop_sequence')
    expect(message.stop_sequence).toBe('STOP')
    expect(message.content).toEqual([{ type: 'text', text: 'one two ', citations: null }])
  })

  it('rejects a malformed request before sending anything', async () => {
    const { sim, client } = await setup()
    const error = await rejectionOf(
      client.messages.create({
        ...params,
        messages: [{ role: 'user', content: [{ type: 'tool_result' }] }],
      } as never),
    )
    expect(error).toBeInstanceOf(BadRequestError)
    expect(error.message).toMatch(/messages\.0\.content\.0/)
    expect(sim.generateRequests).toHaveLength(0)
  })

  it('estimates input tokens locally', async () => {
    const { sim, client } = await setup()
    const small = await client.messages.countTokens(params)
    const large = await client.messages.countTokens({
      ...params,
      messages: [{ role: 'user', content: 'word '.repeat(2000) }],
    })
    expect(small.input_tokens).toBeGreaterThan(0)
    expect(large.input_tokens).toBeGreaterThan(small.input_tokens * 50)
    expect(sim.requests).toHaveLength(0)
  })

  it('lists models from ListAvailableModels in the Anthropic shape', async () => {
    const { client } = await setup()
    const page = await client.models.list()
    expect(page.source).toBe('kiro')
    expect(page.data.map((model) => model.id)).toContain('claude-sonnet-4-5')
    expect(page.first_id).toBe(page.data[0]?.id)
  })

  it('falls back to the built-in table when the host does not serve ListAvailableModels', async () => {
    const { client } = await setup({
      fetch: async (input, init) => {
        if (String(input).includes('ListAvailableModels')) return new Response('not here', { status: 404 })
        return fetch(input, init)
      },
    })
    const page = await client.models.list()
    expect(page.source).toBe('builtin')
    expect(page.data.length).toBeGreaterThan(5)
  })
})

describe('hooks', () => {
  it('reports request, response, first event and end, with no secret in any payload', async () => {
    const seen: Array<[string, unknown]> = []
    const { sim, client } = await setup({
      hooks: {
        onRequest: (event) => seen.push(['request', event]),
        onResponse: (event) => seen.push(['response', event]),
        onFirstEvent: (event) => seen.push(['firstEvent', event]),
        onEnd: (event) => seen.push(['end', event]),
      },
    })
    sim.enqueue([{ text: 'Hi' }, { metadata: { uncachedInputTokens: 5, outputTokens: 2 } }])
    await client.messages.create(params)
    expect(seen.map(([name]) => name)).toEqual(['request', 'response', 'firstEvent', 'end'])
    const end = seen[3]?.[1] as {
      usage: { output_tokens: number }
      stopReason: string
      bytes: number
      attempts: number
    }
    expect(end.usage.output_tokens).toBe(2)
    expect(end.stopReason).toBe('end_turn')
    expect(end.bytes).toBeGreaterThan(0)
    expect(end.attempts).toBe(1)
    expect((seen[1]![1] as { status: number }).status).toBe(200)
    expect(JSON.stringify(seen)).not.toContain(ACCESS_TOKEN)
  })

  it('a throwing hook never breaks the request', async () => {
    const { sim, client } = await setup({
      hooks: {
        onRequest: () => {
          throw new Error('hook bug')
        },
        onEnd: () => {
          throw new Error('hook bug')
        },
      },
    })
    sim.enqueue([{ text: 'fine' }])
    const message = await client.messages.create(params)
    expect(message.content[0]).toMatchObject({ text: 'fine' })
  })

  it('reports a failed request to onEnd', async () => {
    const ends: Array<{ error?: { status?: number | undefined } | undefined }> = []
    const { sim, client } = await setup({ maxRetries: 0, hooks: { onEnd: (event) => ends.push(event) } })
    sim.enqueue([{ error: { status: 400, body: { message: 'Improperly formed request.' } } }])
    await rejectionOf(client.messages.create(params))
    expect(ends).toHaveLength(1)
    expect(ends[0]?.error?.status).toBe(400)
  })
})

describe('KiroClient options', () => {
  it('rejects a region that is not an AWS region name', () => {
    expect(() => new KiroClient({ region: 'evil.com/x', credentials: { apiKey: 'ksk_x' } })).toThrow(
      ConfigurationError,
    )
    expect(() => new KiroClient({ region: 'us-east-1', credentials: { apiKey: 'ksk_x' } })).not.toThrow()
  })

  it('rejects bad numeric options at construction, naming the field', () => {
    const credentials = { apiKey: 'ksk_x' }
    expect(() => new KiroClient({ credentials, timeout: { idle: 0 } })).toThrow(/timeout\.idle/)
    expect(() => new KiroClient({ credentials, timeout: { total: -5 } })).toThrow(/timeout\.total/)
    expect(() => new KiroClient({ credentials, maxRetryAfterMs: Number.NaN })).toThrow(/maxRetryAfterMs/)
    expect(() => new KiroClient({ credentials, maxBodyBytes: 10.5 })).toThrow(/maxBodyBytes/)
    expect(() => new KiroClient({ credentials, maxRetries: -1 })).toThrow(ConfigurationError)
    expect(
      () =>
        new KiroClient({ credentials, timeout: { total: 1_000 }, maxRetryAfterMs: 0, maxBodyBytes: 100_000 }),
    ).not.toThrow()
  })

  it('allows plain http only for loopback hosts', () => {
    expect(() => new KiroClient({ baseURL: 'http://example.com', credentials: { apiKey: 'ksk_x' } })).toThrow(
      /baseURL/,
    )
    expect(
      () => new KiroClient({ baseURL: 'http://127.0.0.1:9', credentials: { apiKey: 'ksk_x' } }),
    ).not.toThrow()
    expect(
      () => new KiroClient({ baseURL: 'https://example.com', credentials: { apiKey: 'ksk_x' } }),
    ).not.toThrow()
    const withPassword = () =>
      new KiroClient({ baseURL: 'https://me:pw-SECRET@example.com', credentials: { apiKey: 'ksk_x' } })
    expect(withPassword).toThrow(ConfigurationError)
    expect(withPassword).not.toThrow(/pw-SECRET/)
  })
})
