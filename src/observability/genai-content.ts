import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'

// Conversation content in the GenAI conventions' message shape (`role` + `parts`), for the opt-in
// `gen_ai.input.messages`, `gen_ai.system_instructions` and `gen_ai.output.messages` attributes.
// Binary content (images, documents) is named by its type only, never copied in.

type Part = Record<string, unknown> & { type: string }

interface Block {
  type: string
  text?: unknown
  thinking?: unknown
  id?: unknown
  name?: unknown
  input?: unknown
  tool_use_id?: unknown
  content?: unknown
}

function partOf(block: Block): Part {
  switch (block.type) {
    case 'text':
      return { type: 'text', content: block.text }
    case 'thinking':
      return { type: 'reasoning', content: block.thinking }
    case 'tool_use':
    case 'server_tool_use':
      return { type: 'tool_call', id: block.id, name: block.name, arguments: block.input }
    case 'tool_result':
      return { type: 'tool_call_response', id: block.tool_use_id, response: block.content }
    default:
      return { type: block.type }
  }
}

function partsOf(content: string | readonly Block[]): Part[] {
  return typeof content === 'string' ? [{ type: 'text', content }] : content.map(partOf)
}

/** `gen_ai.input.messages` as JSON. */
export function inputMessages(params: MessageCreateParams): string {
  return JSON.stringify(
    params.messages.map((message) => ({
      role: message.role,
      parts: partsOf(message.content as string | readonly Block[]),
    })),
  )
}

/** `gen_ai.system_instructions` as JSON, when the request has a system prompt. */
export function systemInstructions(params: MessageCreateParams): string | undefined {
  const { system } = params
  if (system === undefined || system === null) return undefined
  return JSON.stringify(partsOf(system as string | readonly Block[]))
}

/** `gen_ai.output.messages` as JSON: the one answer, with its finish reason. */
export function outputMessages(message: Message): string {
  return JSON.stringify([
    {
      role: 'assistant',
      parts: partsOf(message.content as readonly Block[]),
      finish_reason: message.stop_reason ?? '',
    },
  ])
}
