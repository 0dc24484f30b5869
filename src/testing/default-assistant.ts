import type { ScriptedTurn, ScriptStep } from './script.js'
import { readUserText } from './user-text.js'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function field(value: unknown, ...path: string[]): unknown {
  let current = value
  for (const key of path) current = isObject(current) ? current[key] : undefined
  return current
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/** The last paragraph of the user's text, which is what the user just asked. */
function promptOf(text: string): string {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
  return clip(paragraphs.at(-1) ?? '', 80) || 'an empty message'
}

/** Streams text as Kiro does: a few words per event. */
function words(text: string): string[] {
  const tokens = text.match(/\S+\s*/g) ?? [text]
  const out: string[] = []
  for (let i = 0; i < tokens.length; i += 3) out.push(tokens.slice(i, i + 3).join(''))
  return out
}

interface SchemaLike {
  enum?: unknown
  type?: unknown
  properties?: unknown
  required?: unknown
}

/** A plausible value for a JSON Schema: required properties filled, the prompt as the string. */
function sampleFor(input: unknown, prompt: string, depth = 0): unknown {
  if (!isObject(input) || depth > 4) return {}
  const schema: SchemaLike = input
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0]
  switch (schema.type) {
    case 'string':
      return prompt
    case 'number':
    case 'integer':
      return 1
    case 'boolean':
      return true
    case 'array':
      return []
  }
  const properties = isObject(schema.properties) ? schema.properties : {}
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : Object.keys(properties).slice(0, 1)
  const out: Json = {}
  for (const name of required) out[name] = sampleFor(properties[name], prompt, depth + 1)
  return out
}

interface OfferedTool {
  name: string
  schema: unknown
}

function offeredTools(context: unknown): OfferedTool[] {
  const tools = field(context, 'tools')
  if (!Array.isArray(tools)) return []
  const out: OfferedTool[] = []
  for (const tool of tools) {
    const name = field(tool, 'toolSpecification', 'name')
    // A2A's placeholder for "no tools" (docs/protocol.md §3.5 item 6) is not a tool to call.
    if (typeof name === 'string' && name !== 'no_tool_available') {
      out.push({ name, schema: field(tool, 'toolSpecification', 'inputSchema', 'json') })
    }
  }
  return out
}

function resultText(context: unknown): string | undefined {
  const results = field(context, 'toolResults')
  if (!Array.isArray(results) || results.length === 0) return undefined
  const texts: string[] = []
  for (const result of results) {
    const content = field(result, 'content')
    if (!Array.isArray(content)) continue
    for (const block of content) {
      const text = field(block, 'text')
      texts.push(typeof text === 'string' ? text : JSON.stringify(field(block, 'json') ?? null))
    }
  }
  return texts.join(' ')
}

/** The tool calls of the last assistant message in the history, if any. */
function lastCalls(body: unknown): Array<{ name: unknown; input: unknown }> {
  const history = field(body, 'conversationState', 'history')
  if (!Array.isArray(history)) return []
  for (let i = history.length - 1; i >= 0; i--) {
    const message = field(history[i], 'assistantResponseMessage')
    if (message === undefined) continue
    const uses = field(message, 'toolUses')
    return Array.isArray(uses)
      ? uses.map((use) => ({ name: field(use, 'name'), input: field(use, 'input') }))
      : []
  }
  return []
}

/**
 * The simulator's stand-in model, so that a demo, `serve --simulate` and Claude Code pointed at it
 * have something sensible to talk to:
 * - it calls a tool only when the user's text asks for one by name, on a line of its own:
 *   `call ToolName`, or `call ToolName {"some":"input"}` (README, "The simulator"); without an
 *   input it builds one from the tool's schema. It never calls the same tool with the same input
 *   twice in a row.
 * - when tool results come back it sums them up and ends the turn;
 * - otherwise it answers text about the prompt.
 * The user's text leaves out Claude Code's `<system-reminder>` blocks, which name its tools. With
 * thinking tags in the prompt it thinks first, in `<thinking>` tags. Every turn ends with the
 * metering and context-usage events of the `q.*` endpoint.
 *
 * @param body - the parsed request body
 * @param bodyBytes - its size, for the context-usage figure (about 4 bytes per token, 200k window)
 */
export function defaultAssistant(body: unknown, bodyBytes: number): ScriptedTurn {
  const message = field(body, 'conversationState', 'currentMessage', 'userInputMessage')
  const content = field(message, 'content')
  const context = field(message, 'userInputMessageContext')
  const tools = offeredTools(context)
  const user = readUserText(typeof content === 'string' ? content : '', new Set(tools.map((t) => t.name)))
  const prompt = promptOf(user.text)
  const thinking = typeof content === 'string' && /<thinking_mode>(enabled|adaptive)</.test(content)
  const steps: ScriptStep[] = []

  let answer: string
  let call: { name: string; input: Record<string, unknown> } | undefined
  const results = resultText(context)
  const asked = results === undefined ? user.tool : undefined
  if (asked !== undefined) {
    const schema = tools.find((t) => t.name === asked.name)?.schema
    const sampled = sampleFor(schema, prompt)
    const input = asked.input ?? (isObject(sampled) ? sampled : { value: sampled })
    const repeated = lastCalls(body).some(
      (last) => last.name === asked.name && JSON.stringify(last.input) === JSON.stringify(input),
    )
    if (repeated) {
      answer = `I called ${asked.name} with that input just before; I will not call it again in a row.`
    } else {
      call = { name: asked.name, input }
      answer = `I will call ${asked.name} as you asked.`
    }
  } else if (results !== undefined) {
    answer = `The tool answered: "${clip(results, 120)}". That settles it; nothing more to call.`
  } else {
    answer =
      `You said: "${prompt}". This is the Kiro simulator's scripted assistant: a canned reply, ` +
      'streamed over the real Kiro event-stream protocol, a few words at a time.'
  }
  const text = thinking
    ? `<thinking>\nThe user wrote "${prompt}". A short, direct reply fits.\n</thinking>\n\n${answer}`
    : answer
  steps.push({ text: words(text) })
  if (call !== undefined) steps.push({ toolUse: call })
  const percentage = Math.min(100, Math.round((bodyBytes / 4 / 200_000) * 100 * 1000) / 1000)
  steps.push({ metering: 0.01 }, { contextUsage: percentage })
  return steps
}
