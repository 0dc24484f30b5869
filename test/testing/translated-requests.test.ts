import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'
import { toKiroRequest } from '../../src/translate/to-kiro-request.js'
import { post, readFrames } from './kiro-fixtures.js'

let sim: KiroSimulator

beforeAll(async () => {
  sim = await createKiroSimulator()
})
afterAll(() => sim.close())

const tools = [
  {
    name: 'get_weather',
    description: 'Weather for a city',
    input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
  },
]

describe('the simulator with the translator', () => {
  it('accepts what toKiroRequest sends and plays a tool round trip with the default assistant', async () => {
    const question = { role: 'user' as const, content: 'Weather in Oslo?\ncall get_weather' }
    const first = toKiroRequest({ model: 'claude-sonnet-4-5', max_tokens: 512, tools, messages: [question] })
    const one = await post(sim.url, first.serialized)
    expect(one.status).toBe(200)
    const { frames } = await readFrames(one)
    const calls = frames
      .filter((f) => f.type === 'toolUseEvent')
      .map((f) => f.json as { toolUseId: string; input?: string })
    const id = calls[0]!.toolUseId
    const input = JSON.parse(calls.map((c) => c.input ?? '').join('')) as object

    const second = toKiroRequest({
      model: 'claude-sonnet-4-5',
      max_tokens: 512,
      tools,
      messages: [
        question,
        { role: 'assistant', content: [{ type: 'tool_use', id, name: 'get_weather', input }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: 'Sunny, 21 degrees' }] },
      ],
    })
    const two = await post(sim.url, second.serialized)
    expect(two.status).toBe(200)
    const reply = await readFrames(two)
    expect(reply.frames.some((f) => f.type === 'toolUseEvent')).toBe(false)
    expect(JSON.stringify(reply.frames)).toContain('Sunny, 21 degrees')
    expect(sim.requests.every((r) => r.shapeIssues.length === 0)).toBe(true)
  })

  it('accepts a thinking request and thinks in tags', async () => {
    const translated = toKiroRequest({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Why is the sky blue?' }],
    })
    expect(translated.thinking).toBe('tags')
    const { frames } = await readFrames(await post(sim.url, translated.serialized))
    const text = frames
      .filter((f) => f.type === 'assistantResponseEvent')
      .map((f) => (f.json as { content: string }).content)
      .join('')
    expect(text.startsWith('<thinking>')).toBe(true)
    expect(text).toContain('Why is the sky blue?')
  })
})
