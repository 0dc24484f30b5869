import type { ContentBlock, Message } from '../types/anthropic-response.js'

/** Members of a message the Anthropic API leaves out when they have no value. */
const MESSAGE_OPTIONAL = ['stop_details', 'container', 'diagnostics'] as const
/** Members of `usage` the Anthropic API leaves out when they have no value. */
const USAGE_OPTIONAL = [
  'cache_creation',
  'server_tool_use',
  'inference_geo',
  'output_tokens_details',
  'speed',
  'service_tier',
] as const

/**
 * A `Message` as the Anthropic API writes it in a non-streaming response body: members that have no
 * value are left out rather than sent as `null` (`citations` on a text block, `container`,
 * `stop_details`, ...). The SDK types declare them as nullable, but some clients validate the body
 * strictly: `@ai-sdk/anthropic` 3 (AI SDK 6) rejects `citations: null` and fails `generateText`
 * (docs/server.md, "Responses"). `stop_reason` and `stop_sequence` stay, `null` or not, as the API
 * sends them.
 */
export function wireMessage(message: Message): Record<string, unknown> {
  const usage: Record<string, unknown> = { ...message.usage }
  for (const key of USAGE_OPTIONAL) if (usage[key] === null || usage[key] === undefined) delete usage[key]
  const out: Record<string, unknown> = { ...message, content: message.content.map(wireBlock), usage }
  for (const key of MESSAGE_OPTIONAL) if (out[key] === null || out[key] === undefined) delete out[key]
  return out
}

function wireBlock(block: ContentBlock): ContentBlock | Record<string, unknown> {
  if (block.type !== 'text' || block.citations !== null) return block
  const { citations: _none, ...rest } = block
  return rest
}
