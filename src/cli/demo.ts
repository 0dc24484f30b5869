import type { ScriptedTurn } from '../testing/script.js'
import type { MessageParam, Tool, ToolResultBlockParam } from '../types/anthropic-request.js'
import { reportFailure, streamAnswer } from './chat.js'
import { bold, type CliIo, dim } from './io.js'
import { openClient } from './open-client.js'

/** The tool the demo offers; it runs here, in the CLI, when the model calls it. */
const WEATHER_TOOL: Tool = {
  name: 'get_weather',
  description: 'The current weather in a city.',
  input_schema: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name, e.g. "Paris"' } },
    required: ['city'],
  },
}

const DEMO_TURNS: ScriptedTurn[] = [
  [
    {
      reasoning: {
        text: ['The user wants ', 'the weather now; ', 'get_weather can tell.'],
        signature: 'demo',
      },
    },
    { text: ["I'll look up ", 'the current weather ', 'in Paris.'] },
    { toolUse: { name: 'get_weather', input: { city: 'Paris' }, fragments: 3 } },
    { metering: 0.01 },
    { contextUsage: 0.2 },
  ],
  [
    { text: ['It is clear ', 'in Paris right now, ', 'at 21 °C: a good day ', 'for a walk.'] },
    { metering: 0.01 },
    { contextUsage: 0.3 },
  ],
]

function runWeatherTool(input: unknown): string {
  const city = typeof input === 'object' && input !== null ? (input as { city?: unknown }).city : undefined
  return JSON.stringify({ city: typeof city === 'string' ? city : 'unknown', sky: 'clear', celsius: 21 })
}

/**
 * `kiro-client demo`: a local Kiro simulator and a two-turn tool-use conversation through the
 * real client code (translator, binary decoder, event mapper, MessageStream), with no account.
 */
export async function demo(io: CliIo, model: string): Promise<number> {
  io.out(`${bold(io, 'kiro-client demo')}\n`)
  io.out(
    dim(
      io,
      'A local Kiro simulator answers over the real binary event-stream protocol; everything else is\n' +
        'the real KiroClient. No account needed, nothing leaves this machine.\n\n',
    ),
  )
  const opened = await openClient({ simulate: true })
  // A scripted conversation, so the demo reads well; the bytes still go through the real protocol.
  opened.simulator?.enqueue(...DEMO_TURNS)
  try {
    const question = "What's the weather in Paris right now?"
    const messages: MessageParam[] = [{ role: 'user', content: question }]
    const params = {
      model,
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 } as const,
      tools: [WEATHER_TOOL],
    }

    io.out(`${bold(io, 'you:')} ${question}\n`)
    const first = await streamAnswer(io, opened.client, { ...params, messages }, `${bold(io, 'assistant:')} `)

    const results: ToolResultBlockParam[] = []
    for (const block of first.content) {
      if (block.type !== 'tool_use') continue
      const output = runWeatherTool(block.input)
      io.out(dim(io, `  ← ${block.name} returned ${output}\n`))
      results.push({ type: 'tool_result', tool_use_id: block.id, content: output })
    }
    if (results.length > 0) {
      messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: results })
      await streamAnswer(io, opened.client, { ...params, messages }, `${bold(io, 'assistant:')} `)
    }

    io.out(
      dim(
        io,
        '\nWith a Kiro login on this machine:\n' +
          '  kiro-client whoami                 which login is used, and when it expires\n' +
          '  kiro-client chat "Hello"           one streamed answer\n' +
          '  kiro-client serve                  an Anthropic-compatible proxy for Claude Code and the SDKs\n',
      ),
    )
    return 0
  } catch (error) {
    return reportFailure(io, error, 'kiro-client demo')
  } finally {
    await opened.close()
  }
}
