// The tool-use loop: call the model, run the tools it asks for, send the results back, until it is done.
import { KiroClient, type MessageParam, type Tool, type ToolResultBlockParam } from 'kiro-client'
import { createKiroSimulator } from 'kiro-client/testing'

const tools: Tool[] = [
  {
    name: 'get_weather',
    description: 'The current weather in a city.',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
]

function runTool(name: string, input: unknown): string {
  if (name === 'get_weather') {
    const { city } = input as { city?: string }
    return JSON.stringify({ city, sky: 'clear', celsius: 21 })
  }
  throw new Error(`unknown tool ${name}`)
}

// A local Kiro simulator (its scripted assistant calls a tool when a line of the prompt says
// `call <name>`, then sums up the result); with a Kiro login, use `new KiroClient()`.
const kiro = await createKiroSimulator()
const client = new KiroClient({ baseURL: kiro.url, credentials: { accessToken: 'simulated' } })

const messages: MessageParam[] = [
  { role: 'user', content: 'Is it a good day for a walk in Paris?\ncall get_weather' },
]
for (let turn = 1; turn <= 5; turn++) {
  const message = await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: 2048,
    tools,
    messages,
  })
  messages.push({ role: 'assistant', content: message.content })
  for (const block of message.content) {
    if (block.type === 'text') console.log(`assistant: ${block.text}`)
  }
  if (message.stop_reason !== 'tool_use') break

  const results: ToolResultBlockParam[] = []
  for (const block of message.content) {
    if (block.type !== 'tool_use') continue
    const output = runTool(block.name, block.input)
    console.log(`tool ${block.name}(${JSON.stringify(block.input)}) -> ${output}`)
    results.push({ type: 'tool_result', tool_use_id: block.id, content: output })
  }
  messages.push({ role: 'user', content: results })
}

client.close()
await kiro.close()
