import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKiroSimulator, defaultAssistant, type KiroSimulator } from '../../src/testing/index.js'
import { type Frame, kiroBody, post, readFrames } from './kiro-fixtures.js'

let sim: KiroSimulator

beforeAll(async () => {
  sim = await createKiroSimulator()
})
afterAll(() => sim.close())

const text = (frames: Frame[]) =>
  frames
    .filter((f) => f.type === 'assistantResponseEvent')
    .map((f) => (f.json as { content: string }).content)
    .join('')

const weatherTool = {
  toolSpecification: {
    name: 'get_weather',
    description: 'Weather for a city',
    inputSchema: {
      json: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
        required: ['city', 'unit'],
      },
    },
  },
}

describe('the default scripted assistant', () => {
  it('streams a reply about the prompt in several chunks, then metering and context usage', async () => {
    const { frames, error } = await readFrames(
      await post(sim.url, kiroBody('System text.\n\nWhat is a monad?')),
    )
    expect(error).toBeUndefined()
    expect(frames.filter((f) => f.type === 'assistantResponseEvent').length).toBeGreaterThan(3)
    expect(text(frames)).toContain('"What is a monad?"')
    expect(text(frames)).not.toContain('System text')
    expect(frames.slice(-2).map((f) => f.type)).toEqual(['meteringEvent', 'contextUsageEvent'])
    const pct = (frames.at(-1)!.json as { contextUsagePercentage: number }).contextUsagePercentage
    expect(pct).toBeGreaterThan(0)
    expect(pct).toBeLessThan(1)
  })

  it('answers text, and calls no tool, when tools are offered but not asked for', async () => {
    const body = kiroBody('Weather in Oslo?', { tools: [weatherTool] })
    const { frames } = await readFrames(await post(sim.url, body))
    expect(frames.some((f) => f.type === 'toolUseEvent')).toBe(false)
    expect(text(frames)).toContain('"Weather in Oslo?"')
  })

  it('calls a tool asked for by name on a line of its own, with an input built from its schema', async () => {
    const body = kiroBody('Weather in Oslo?\ncall get_weather', { tools: [weatherTool] })
    const { frames } = await readFrames(await post(sim.url, body))
    expect(text(frames)).toContain('get_weather')
    const tool = frames
      .filter((f) => f.type === 'toolUseEvent')
      .map((f) => f.json as { name: string; input?: string; stop?: boolean })
    expect(tool.at(-1)).toMatchObject({ name: 'get_weather', stop: true })
    const input = JSON.parse(tool.map((t) => t.input ?? '').join(''))
    // The `call` line is not part of the prompt the strings are built from.
    expect(input).toEqual({ city: 'Weather in Oslo?', unit: 'celsius' })
  })

  it('takes the input given as JSON after the name', () => {
    const turn = defaultAssistant(
      kiroBody('call get_weather {"city":"Bergen","unit":"fahrenheit"}', { tools: [weatherTool] }),
      100,
    )
    expect(turn).toContainEqual({
      toolUse: { name: 'get_weather', input: { city: 'Bergen', unit: 'fahrenheit' } },
    })
  })

  it.each([
    ['prose naming the tool', 'Please use get_weather to check Oslo.'],
    ['the name in another case', 'call GET_WEATHER'],
    ['a tool that is not offered', 'call get_time'],
    ['a call line inside a system reminder', '<system-reminder>\ncall get_weather\n</system-reminder>\nHi'],
  ])('calls nothing for %s', (_name, content) => {
    const turn = defaultAssistant(kiroBody(content, { tools: [weatherTool] }), 100)
    expect(turn.some((step) => 'toolUse' in step)).toBe(false)
  })

  it('never calls the same tool with the same input twice in a row', () => {
    const body = kiroBody('call get_weather {"city":"Oslo","unit":"celsius"}', {
      tools: [weatherTool],
    }) as { conversationState: { history?: unknown[] } }
    body.conversationState.history = [
      { userInputMessage: { content: 'call get_weather {"city":"Oslo","unit":"celsius"}' } },
      {
        assistantResponseMessage: {
          content: 'Calling.',
          toolUses: [
            { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Oslo', unit: 'celsius' } },
          ],
        },
      },
    ]
    const again = defaultAssistant(body, 100)
    expect(again.some((step) => 'toolUse' in step)).toBe(false)
    expect((again[0] as { text: string[] }).text.join('')).toContain('will not call it again')
    // Another input is a different call.
    ;(
      body as unknown as { conversationState: { currentMessage: { userInputMessage: { content: string } } } }
    ).conversationState.currentMessage.userInputMessage.content = 'call get_weather {"city":"Bergen"}'
    expect(defaultAssistant(body, 100)).toContainEqual({
      toolUse: { name: 'get_weather', input: { city: 'Bergen' } },
    })
  })

  it("reads the user's words, not Claude Code's reminders around them", () => {
    const content = [
      '<system-reminder>\nThe Agent tool is available. Use ToolSearch for more.\n</system-reminder>',
      'What does this repo do?',
      '<system-reminder>\nToday is Thursday.\n</system-reminder>',
    ].join('\n\n')
    const turn = defaultAssistant(kiroBody(content, { tools: [weatherTool] }), 100)
    const said = (turn[0] as { text: string[] }).text.join('')
    expect(said).toContain('You said: "What does this repo do?"')
    expect(turn.some((step) => 'toolUse' in step)).toBe(false)
  })

  it('sums up tool results instead of calling again', async () => {
    const body = kiroBody('Tool results provided.', {
      tools: [weatherTool],
      toolResults: [{ toolUseId: 'tooluse_1', status: 'success', content: [{ text: 'Sunny, 21 degrees' }] }],
    }) as { conversationState: { history?: unknown[] } }
    body.conversationState.history = [
      {
        userInputMessage: { content: 'Weather in Oslo?', modelId: 'claude-sonnet-4.5', origin: 'AI_EDITOR' },
      },
      {
        assistantResponseMessage: {
          content: 'Calling.',
          toolUses: [
            { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Oslo', unit: 'celsius' } },
          ],
        },
      },
    ]
    const response = await post(sim.url, body)
    expect(response.status).toBe(200)
    const { frames } = await readFrames(response)
    expect(frames.some((f) => f.type === 'toolUseEvent')).toBe(false)
    expect(text(frames)).toContain('Sunny, 21 degrees')
  })

  it('thinks in tags first when the prompt enables thinking', () => {
    const turn = defaultAssistant(
      kiroBody('<thinking_mode>enabled</thinking_mode><max_thinking_length>4000</max_thinking_length>\nHi'),
      500,
    )
    const first = turn[0] as { text: string[] }
    const joined = first.text.join('')
    expect(joined.startsWith('<thinking>')).toBe(true)
    expect(joined).toMatch(/<\/thinking>\n\n/)
    expect(joined).not.toContain('thinking_mode')
  })

  it('ignores the placeholder tool of tool-less requests', () => {
    const placeholder = {
      toolSpecification: { name: 'no_tool_available', description: 'x', inputSchema: { json: {} } },
    }
    const turn = defaultAssistant(kiroBody('Hello', { tools: [placeholder] }), 100)
    expect(turn.some((step) => 'toolUse' in step)).toBe(false)
  })
})
