import type { MessageCountTokensParams } from '../types/anthropic-request.js'
import { asText, type Fields, isObject } from './invalid.js'
import { estimateTokens } from './tokens.js'

/**
 * Tokens counted for each image. Claude's own formula is width × height / 750, capped near 1,600
 * for an image at the recommended maximum size; the bytes are not decoded here, so every image
 * counts as that maximum (an over-estimate for small images, never an under-estimate for large ones).
 */
export const IMAGE_TOKENS = 1600

const NON_ASCII = /[\u0080-\uffff]/

/** `estimateTokens`, with a native-speed path for pure-ASCII text (the result is identical). */
function tokens(text: string): number {
  if (text.length === 0) return 0
  return NON_ASCII.test(text) ? estimateTokens(text) : Math.ceil(text.length / 3.6)
}

function blockTokens(block: unknown): number {
  if (typeof block === 'string') return tokens(block)
  if (Array.isArray(block)) {
    let sum = 0
    for (const item of block) sum += blockTokens(item)
    return sum
  }
  if (!isObject(block)) return 0
  switch (block.type) {
    case 'text':
      return tokens(asText(block.text))
    case 'image':
      return IMAGE_TOKENS
    case 'thinking':
      return tokens(asText(block.thinking))
    case 'redacted_thinking':
      return 0
    case 'tool_use':
    case 'server_tool_use':
      return tokens(asText(block.name)) + tokens(JSON.stringify(block.input ?? {}))
    case 'tool_result':
      return blockTokens(block.content)
    case 'document': {
      const source = block.source
      if (!isObject(source)) return 0
      if (source.type === 'text') return tokens(asText(source.data))
      if (source.type === 'content') return blockTokens(source.content)
      return 0
    }
    case 'search_result':
      return tokens(asText(block.title)) + blockTokens(block.content)
    default:
      return tokens(JSON.stringify(block.content ?? ''))
  }
}

/**
 * A local estimate of a request's input tokens (for `countTokens` and for usage before Kiro
 * reports any): the system prompt, every message's text, thinking, tool calls (name and JSON
 * input) and tool results, each tool definition (name, description, JSON schema), and
 * {@link IMAGE_TOKENS} per image. Uses `estimateTokens` (src/translate/tokens.ts) per piece; never throws.
 */
export function estimateInputTokens(params: MessageCountTokensParams): number {
  const p = params as unknown as Fields
  let total = blockTokens(p.system)
  const messages = p.messages
  if (Array.isArray(messages)) {
    for (const message of messages) if (isObject(message)) total += blockTokens(message.content)
  }
  const tools = p.tools
  if (Array.isArray(tools)) {
    for (const tool of tools) {
      if (!isObject(tool)) continue
      total += tokens(asText(tool.name)) + tokens(asText(tool.description))
      if (tool.input_schema !== undefined) total += tokens(JSON.stringify(tool.input_schema))
    }
  }
  return total
}
