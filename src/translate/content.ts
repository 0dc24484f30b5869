import { kiroSignatureOf, thinkingOrigin } from '../mapper/thinking-signature.js'
import { isBase64, toKiroImage } from './images.js'
import { type Fields, invalid, isObject } from './invalid.js'
import type { JsonObject } from './kiro-types.js'
import {
  TOOL_RESULT_EMPTY,
  TOOL_RESULT_IMAGES_ONLY,
  toolResultAsText,
  toolUseAsText,
} from './placeholders.js'
import {
  documentText,
  SERVER_BLOCK_TYPES,
  searchResultText,
  serverBlockText,
  textOf,
  toolResultText,
} from './text-forms.js'
import { sanitizeToolInput } from './tool-input.js'
import type { AssistantTurn, BlockContext, UserTurn } from './turn-types.js'

function blocksOf(content: unknown, path: string): unknown[] | string {
  if (typeof content === 'string' || Array.isArray(content)) return content
  throw invalid(path, content === undefined ? 'Field required' : 'Input should be a valid string or list')
}

function blockAt(content: unknown[], i: number, path: string): Fields {
  const block = content[i]
  if (!isObject(block)) throw invalid(`${path}.${i}`, 'Input should be a valid dictionary')
  if (typeof block.type !== 'string') throw invalid(`${path}.${i}.type`, 'Field required')
  return block
}

function requiredString(block: Fields, key: 'tool_use_id' | 'id' | 'name', path: string): string {
  const value = block[key]
  if (typeof value === 'string' && value !== '') return value
  throw invalid(
    `${path}.${key}`,
    value === undefined ? 'Field required' : 'Input should be a non-empty string',
  )
}

/** A `role: "system"` message: text only, folded into the user side at its position. */
export function addSystemContent(turn: UserTurn, content: unknown, path: string): void {
  const blocks = blocksOf(content, path)
  if (typeof blocks === 'string') {
    if (blocks !== '') turn.parts.push(blocks)
    return
  }
  for (let i = 0; i < blocks.length; i++) {
    const block = blockAt(blocks, i, path)
    if (block.type !== 'text') throw invalid(`${path}.${i}.type`, "System messages take only 'text' blocks")
    const text = textOf(block, `${path}.${i}`)
    if (text !== '') turn.parts.push(text)
  }
}

/** The blocks of a user message (docs/protocol.md §3.6). */
export function addUserContent(turn: UserTurn, content: unknown, path: string, ctx: BlockContext): void {
  const blocks = blocksOf(content, path)
  if (typeof blocks === 'string') {
    if (blocks !== '') turn.parts.push(blocks)
    return
  }
  for (let i = 0; i < blocks.length; i++) {
    const block = blockAt(blocks, i, path)
    const type = block.type as string
    const at = `${path}.${i}`
    switch (type) {
      case 'text': {
        const text = textOf(block, at)
        if (text !== '') turn.parts.push(text)
        break
      }
      case 'image':
        turn.images.push(toKiroImage(block, at))
        break
      case 'document':
        turn.parts.push(documentText(block, at, turn.images))
        break
      case 'search_result':
        turn.parts.push(searchResultText(block, at))
        break
      case 'tool_result': {
        const id = requiredString(block, 'tool_use_id', at)
        const isError = block.is_error
        if (isError !== undefined && isError !== null && typeof isError !== 'boolean') {
          throw invalid(`${at}.is_error`, 'Input should be a valid boolean')
        }
        const { text, imagesOnly } = toolResultText(block.content, `${at}.content`, turn.images)
        if (ctx.flattenTools) {
          const shown = text !== '' ? text : imagesOnly ? TOOL_RESULT_IMAGES_ONLY : TOOL_RESULT_EMPTY
          turn.parts.push(toolResultAsText(id, isError === true, shown))
        } else turn.parts.push({ id, isError: isError === true, text, imagesOnly })
        break
      }
      case 'thinking':
      case 'redacted_thinking':
      case 'tool_use':
        throw invalid(`${at}.type`, `'${type}' blocks are only allowed in assistant messages`)
      default:
        if (!SERVER_BLOCK_TYPES.has(type))
          throw invalid(`${at}.type`, `Unsupported content block type '${type}'`)
        turn.parts.push(serverBlockText(block))
    }
  }
}

/** The blocks of an assistant message (docs/protocol.md §3.6, §3.8, §3.9). */
export function addAssistantContent(
  turn: AssistantTurn,
  content: unknown,
  path: string,
  ctx: BlockContext,
): void {
  const blocks = blocksOf(content, path)
  if (typeof blocks === 'string') {
    if (blocks !== '') turn.parts.push(blocks)
    return
  }
  for (let i = 0; i < blocks.length; i++) {
    const block = blockAt(blocks, i, path)
    const type = block.type as string
    const at = `${path}.${i}`
    switch (type) {
      case 'text': {
        const text = textOf(block, at)
        if (text !== '') turn.parts.push(text)
        break
      }
      case 'thinking':
        addThinking(turn, block, at)
        break
      case 'redacted_thinking': {
        const data = block.data
        if (typeof data !== 'string') throw invalid(`${at}.data`, 'Field required')
        // Kiro validates the blob as base64 (docs/protocol.md §3.9); anything else would turn the request into a 400.
        if (isBase64(data)) turn.reasoning = { redactedContent: data }
        break
      }
      case 'tool_use': {
        const id = requiredString(block, 'id', at)
        const name = requiredString(block, 'name', at)
        const input = block.input
        if (!isObject(input)) {
          throw invalid(
            `${at}.input`,
            input === undefined ? 'Field required' : 'Input should be a valid dictionary',
          )
        }
        if (ctx.flattenTools) turn.parts.push(toolUseAsText(name, id, input))
        else
          turn.uses.push({
            id,
            name: ctx.names.kiroName(name),
            input: sanitizeToolInput(input as JsonObject),
          })
        break
      }
      case 'image':
      case 'document':
      case 'search_result':
      case 'tool_result':
        throw invalid(`${at}.type`, `'${type}' blocks are only allowed in user messages`)
      default:
        if (!SERVER_BLOCK_TYPES.has(type))
          throw invalid(`${at}.type`, `Unsupported content block type '${type}'`)
        turn.parts.push(serverBlockText(block))
    }
  }
}

/**
 * A thinking block goes back the way the response side produced it (src/thinking-signature.ts):
 * native reasoning as `reasoningContent.signature` with Kiro's blob; tag-parsed thinking, and
 * thinking from elsewhere (e.g. Anthropic), as `<thinking>…</thinking>` text in front of the rest.
 */
function addThinking(turn: AssistantTurn, block: Fields, at: string): void {
  const thinking = block.thinking
  if (typeof thinking !== 'string') throw invalid(`${at}.thinking`, 'Field required')
  const signature = block.signature
  const sig = typeof signature === 'string' ? signature : undefined
  if (thinkingOrigin(sig) === 'native') {
    const blob = kiroSignatureOf(sig)
    if (blob !== undefined && blob !== '') turn.reasoning = { signature: blob }
    return
  }
  if (thinking !== '') turn.parts.push(`<thinking>${thinking}</thinking>`)
}
