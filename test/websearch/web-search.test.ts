import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, it } from 'vitest'
import { createAnthropicFetch } from '../../src/server/anthropic-fetch.js'
import type { ToolUnion } from '../../src/types/anthropic-request.js'
import type { Message } from '../../src/types/anthropic-response.js'
import { setup } from '../client/helpers.js'

const WEB_SEARCH = { type: 'web_search_20250305', name: 'web_search' } as const
const ask = (tools: readonly ToolUnion[], content = 'What is new with Kiro?') => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  tools,
  messages: [{ role: 'user' as const, content }],
})
const search = (query: string, id?: string) => ({
  toolUse: { name: 'web_search', input: { query }, ...(id ? { id } : {}) },
})

interface KiroBody {
  conversationState: {
    history?: Array<{
      userInputMessage?: {
        content: string
        userInputMessageContext?: {
          toolResults?: Array<{ toolUseId: string; content: Array<{ text: string }>; status?: string }>
        }
      }
      assistantResponseMessage?: {
        content: string
        toolUses?: Array<{ toolUseId: string; name: string; input: unknown }>
      }
    }>
    currentMessage: {
      userInputMessage: {
        userInputMessageContext?: {
          tools?: Array<{ toolSpecification: { name: string } }>
          toolResults?: Array<{ toolUseId: string; content: Array<{ text: string }>; status?: string }>
        }
      }
    }
  }
}

describe('web search through Kiro /mcp (docs/protocol.md §9.5)', () => {
  it('answers with server_tool_use, web_search_tool_result, then the answer, in one message', async () => {
    const { sim, client } = await setup()
    sim.enqueue(
      [{ text: 'Let me look that up.' }, search('kiro news', 'tooluse_Search1'), { metering: 0.5 }],
      [{ text: 'Kiro shipped things [1].' }, { metering: 0.25 }],
    )
    const message = await client.messages.create(ask([WEB_SEARCH]))
    expect(message.content.map((b) => b.type)).toEqual([
      'text',
      'server_tool_use',
      'web_search_tool_result',
      'text',
    ])
    expect(message.content[1]).toEqual({
      type: 'server_tool_use',
      id: 'srvtoolu_Search1',
      name: 'web_search',
      input: { query: 'kiro news' },
      caller: { type: 'direct' },
    })
    const result = message.content[2] as Extract<
      Message['content'][number],
      { type: 'web_search_tool_result' }
    >
    expect(result.tool_use_id).toBe('srvtoolu_Search1')
    expect(Array.isArray(result.content) && result.content.map((r) => r.url)).toEqual([
      'https://docs.example.com/kiro-news',
      'https://blog.example.org/kiro-news',
      'https://news.example.net/kiro-news',
    ])
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 })
    expect(message.usage.kiro_credits).toBe(0.75)

    // The search: JSON-RPC tools/call, KiroIDE user agent, opted in.
    const [mcp] = sim.mcpRequests
    expect(mcp?.json).toMatchObject({
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'web_search', arguments: { query: 'kiro news' } },
    })
    expect(mcp?.headers['x-amzn-codewhisperer-optout']).toBe('false')
    expect(mcp?.headers['user-agent']).toContain('KiroIDE-')
    expect(mcp?.headers['content-type']).toBe('application/json')

    // Round 1 declared the search as a tool; round 2 carried the call and its results.
    const [first, second] = sim.generateRequests.map((r) => r.json as KiroBody)
    expect(first?.conversationState.currentMessage.userInputMessage.userInputMessageContext?.tools).toEqual([
      expect.objectContaining({ toolSpecification: expect.objectContaining({ name: 'web_search' }) }),
    ])
    const call = second?.conversationState.history?.at(-1)?.assistantResponseMessage
    expect(call?.toolUses).toEqual([
      { toolUseId: 'tooluse_Search1', name: 'web_search', input: { query: 'kiro news' } },
    ])
    const results =
      second?.conversationState.currentMessage.userInputMessage.userInputMessageContext?.toolResults
    expect(results?.[0]?.toolUseId).toBe('tooluse_Search1')
    expect(results?.[0]?.content[0]?.text).toContain('[1] kiro news (docs.example.com)')
    expect(results?.[0]?.content[0]?.text).toContain('Result 1 about kiro news.')
  })

  it('the official SDK, through the Anthropic fetch, accumulates the same message', async () => {
    const { sim, client } = await setup()
    sim.enqueue([search('weather berlin')], [{ text: 'Sunny.' }])
    const anthropic = new Anthropic({ apiKey: 'unused', fetch: createAnthropicFetch(client), maxRetries: 0 })
    const stream = anthropic.messages.stream(ask([WEB_SEARCH]) as Anthropic.MessageCreateParamsStreaming)
    const message = await stream.finalMessage()
    expect(message.content.map((b) => b.type)).toEqual(['server_tool_use', 'web_search_tool_result', 'text'])
    expect(message.content[0]).toMatchObject({ input: { query: 'weather berlin' } })
    expect(message.usage.server_tool_use?.web_search_requests).toBe(1)
    expect(message.stop_reason).toBe('end_turn')
  })

  it('allowed_domains and blocked_domains filter the results', async () => {
    const { sim, client } = await setup()
    sim.enqueue([search('a')], [{ text: 'ok' }], [search('b')], [{ text: 'ok' }])
    const urls = (m: Message) => {
      const block = m.content.find((b) => b.type === 'web_search_tool_result')
      return block?.type === 'web_search_tool_result' && Array.isArray(block.content)
        ? block.content.map((r) => new URL(r.url).host)
        : []
    }
    expect(
      urls(await client.messages.create(ask([{ ...WEB_SEARCH, allowed_domains: ['example.com'] }]))),
    ).toEqual(['docs.example.com'])
    expect(
      urls(await client.messages.create(ask([{ ...WEB_SEARCH, blocked_domains: ['https://example.org'] }]))),
    ).toEqual(['docs.example.com', 'news.example.net'])
    const text = (sim.generateRequests[1]!.json as KiroBody).conversationState.currentMessage.userInputMessage
      .userInputMessageContext?.toolResults?.[0]?.content[0]?.text
    expect(text).not.toContain('example.org')
  })

  it('max_uses: later calls get max_uses_exceeded, the model is told, no search runs', async () => {
    const { sim, client } = await setup()
    sim.enqueue([search('first')], [search('second')], [{ text: 'Done.' }])
    const message = await client.messages.create(ask([{ ...WEB_SEARCH, max_uses: 1 }]))
    const results = message.content.filter((b) => b.type === 'web_search_tool_result')
    expect(results.map((r) => (Array.isArray(r.content) ? 'results' : r.content.error_code))).toEqual([
      'results',
      'max_uses_exceeded',
    ])
    expect(sim.mcpRequests).toHaveLength(1)
    expect(message.usage.server_tool_use).toEqual({ web_search_requests: 1, web_fetch_requests: 0 })
    const told = (sim.generateRequests[2]!.json as KiroBody).conversationState.currentMessage.userInputMessage
      .userInputMessageContext?.toolResults?.[0]
    expect(told?.status).toBe('error')
    expect(told?.content[0]?.text).toContain('limit of 1 searches')
    expect(message.content.at(-1)).toMatchObject({ type: 'text', text: 'Done.' })
  })

  it('a round that also calls a client tool runs the search and stops for the client tool', async () => {
    const { sim, client } = await setup()
    sim.enqueue([search('x'), { toolUse: { name: 'get_time', input: { zone: 'UTC' } } }])
    const tools: ToolUnion[] = [
      WEB_SEARCH,
      { name: 'get_time', description: 'Time', input_schema: { type: 'object', properties: {} } },
    ]
    const message = await client.messages.create(ask(tools))
    expect(message.content.map((b) => b.type)).toEqual([
      'server_tool_use',
      'tool_use',
      'web_search_tool_result',
    ])
    expect(message.stop_reason).toBe('tool_use')
    expect(sim.generateRequests).toHaveLength(1)
    expect(sim.mcpRequests).toHaveLength(1)
  })

  it('search failures become error results the model can answer from', async () => {
    const { sim, client } = await setup(
      {},
      { webSearch: () => ({ httpError: { status: 429, body: { message: 'slow' } } }) },
    )
    sim.enqueue([search('x')], [{ text: 'Could not search.' }])
    const message = await client.messages.create(ask([WEB_SEARCH]))
    expect(message.content[1]).toMatchObject({
      type: 'web_search_tool_result',
      content: { type: 'web_search_tool_result_error', error_code: 'too_many_requests' },
    })
    const { sim: sim2, client: client2 } = await setup(
      {},
      { webSearch: () => ({ rpcError: { code: -32000, message: 'x' } }) },
    )
    sim2.enqueue([search('x')], [{ text: 'Could not search.' }])
    expect((await client2.messages.create(ask([WEB_SEARCH]))).content[1]).toMatchObject({
      content: { error_code: 'unavailable' },
    })
  })

  it('a model that keeps searching is paused after the round limit', async () => {
    const { sim, client } = await setup()
    sim.setScript(() => [search('again')])
    const message = await client.messages.create(ask([WEB_SEARCH]))
    expect(message.stop_reason).toBe('pause_turn')
    expect(sim.generateRequests).toHaveLength(9)
  })

  it('the newer tool versions the SDK knows run the same way', async () => {
    for (const type of ['web_search_20260209', 'web_search_20260318'] as const) {
      const { sim, client } = await setup()
      sim.enqueue([search('versions')], [{ text: 'Done.' }])
      const tool = { type, name: 'web_search', max_uses: 2 } as unknown as ToolUnion
      const message = await client.messages.create(ask([tool]))
      expect(message.content.map((b) => b.type)).toEqual([
        'server_tool_use',
        'web_search_tool_result',
        'text',
      ])
      expect(message.usage.server_tool_use?.web_search_requests).toBe(1)
      expect(sim.mcpRequests).toHaveLength(1)
    }
  })

  it('a continuation cut off after its first event is a stream error: nothing is sent again', async () => {
    const { sim, client } = await setup()
    sim.enqueue([search('cut')], [{ text: 'Partial answer' }, { reset: true }])
    const seen: string[] = []
    const failure = await (async () => {
      try {
        for await (const event of client.messages.stream(ask([WEB_SEARCH]))) {
          if (event.type === 'content_block_start') seen.push(event.content_block.type)
          if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
            seen.push(event.delta.text)
        }
      } catch (error) {
        return error
      }
      return undefined
    })()
    expect(failure).toBeInstanceOf(Error)
    expect(seen).toEqual(['server_tool_use', 'web_search_tool_result', 'text', 'Partial answer'])
    // The first round is never asked again, the search never run again, the cut round never retried.
    expect(sim.generateRequests).toHaveLength(2)
    expect(sim.mcpRequests).toHaveLength(1)
  })

  it('a continuation refused before its first event is retried as itself, not from the start', async () => {
    const { sim, client } = await setup()
    sim.enqueue([search('retry')], [{ error: { status: 500 } }], [{ text: 'Recovered.' }])
    const message = await client.messages.create(ask([WEB_SEARCH]))
    expect(message.content.map((b) => b.type)).toEqual(['server_tool_use', 'web_search_tool_result', 'text'])
    const bodies = sim.generateRequests.map((r) => r.body)
    expect(bodies).toHaveLength(3)
    expect(bodies[2]).toBe(bodies[1])
    expect(bodies[1]).not.toBe(bodies[0])
    expect(sim.mcpRequests).toHaveLength(1)
  })

  it('rejects both domain lists, and a second web search tool', async () => {
    const { client } = await setup()
    await expect(
      client.messages.create(
        ask([{ ...WEB_SEARCH, allowed_domains: ['a.com'], blocked_domains: ['b.com'] }]),
      ),
    ).rejects.toThrow('tools.0: Only one of allowed_domains and blocked_domains can be set')
    await expect(
      client.messages.create(ask([WEB_SEARCH, { ...WEB_SEARCH, type: 'web_search_20260209' }])),
    ).rejects.toThrow("Tool names must be unique; 'web_search' appears twice.")
  })

  it('a later turn sends the searches back as text, snippets included', async () => {
    const { sim, client } = await setup()
    sim.enqueue([search('kiro')], [{ text: 'Answer.' }], [{ text: 'Follow-up.' }])
    const first = await client.messages.create(ask([WEB_SEARCH]))
    await client.messages.create({
      ...ask([WEB_SEARCH]),
      messages: [
        { role: 'user', content: 'What is new with Kiro?' },
        { role: 'assistant', content: first.content as never },
        { role: 'user', content: 'Tell me more.' },
      ],
    })
    const history = (sim.generateRequests[2]!.json as KiroBody).conversationState.history ?? []
    const assistant = history.find((h) => h.assistantResponseMessage)?.assistantResponseMessage?.content ?? ''
    expect(assistant).toContain('https://docs.example.com/kiro')
    expect(assistant).toContain('Result 1 about kiro.')
  })
})
