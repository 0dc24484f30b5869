import { snippetOf } from '../websearch/search-results.js'
import { toKiroImage } from './images.js'
import { asText, type Fields, invalid, isObject } from './invalid.js'
import type { ImageBlock } from './kiro-types.js'
import { serverToolResultAsText, serverToolUseAsText } from './placeholders.js'

/** The `text` of a text block, validated. */
export function textOf(block: Fields, path: string): string {
  const text = block.text
  if (typeof text !== 'string')
    throw invalid(`${path}.text`, text === undefined ? 'Field required' : 'Input should be a valid string')
  return text
}

/**
 * A document as text: plain-text and `content` sources are flattened (images inside a `content`
 * source go to the message's `images`); title and context, when given, lead. PDF, URL and file
 * sources are rejected: Kiro has no document input.
 */
export function documentText(block: Fields, path: string, images: ImageBlock[]): string {
  const source = block.source
  if (!isObject(source))
    throw invalid(
      `${path}.source`,
      source === undefined ? 'Field required' : 'Input should be a valid dictionary',
    )
  let body: string
  switch (source.type) {
    case 'text': {
      const data = source.data
      if (typeof data !== 'string') throw invalid(`${path}.source.data`, 'Field required')
      body = data
      break
    }
    case 'content':
      body = contentSourceText(source.content, `${path}.source.content`, images)
      break
    case 'base64':
      throw invalid(
        `${path}.source`,
        'PDF documents are not supported by Kiro; extract the text and send it as a text document',
      )
    case 'url':
    case 'file':
      throw invalid(
        `${path}.source.type`,
        `${source.type} document sources are not supported by Kiro; send the text`,
      )
    default:
      throw invalid(`${path}.source.type`, "Input should be 'text', 'content', 'base64', 'url' or 'file'")
  }
  const head: string[] = []
  const title = block.title
  if (typeof title === 'string' && title !== '') head.push(`Document: ${title}`)
  const context = block.context
  if (typeof context === 'string' && context !== '') head.push(context)
  return head.length === 0 ? body : `${head.join('\n')}\n\n${body}`
}

function contentSourceText(content: unknown, path: string, images: ImageBlock[]): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) throw invalid(path, 'Input should be a valid string or list')
  const texts: string[] = []
  for (let i = 0; i < content.length; i++) {
    const block: unknown = content[i]
    const at = `${path}.${i}`
    if (!isObject(block)) throw invalid(at, 'Input should be a valid dictionary')
    if (block.type === 'text') texts.push(textOf(block, at))
    else if (block.type === 'image') images.push(toKiroImage(block, at))
    else throw invalid(`${at}.type`, "Input should be 'text' or 'image'")
  }
  return texts.join('\n\n')
}

/** A search result as text: title, source, then its text blocks. */
export function searchResultText(block: Fields, path: string): string {
  const content = block.content
  const texts: string[] = [`Search result: ${asText(block.title)} (${asText(block.source)})`]
  if (Array.isArray(content)) {
    for (let i = 0; i < content.length; i++) {
      const item: unknown = content[i]
      if (isObject(item)) texts.push(textOf(item, `${path}.content.${i}`))
    }
  }
  return texts.join('\n\n')
}

/**
 * The content of a `tool_result` flattened to one text (Kiro's result content is text or JSON,
 * no images): text blocks, documents and search results as text; images moved to the message's
 * `images`; tool references as a line; any other block as its JSON.
 */
export function toolResultText(
  content: unknown,
  path: string,
  images: ImageBlock[],
): { text: string; imagesOnly: boolean } {
  if (content === undefined || content === null) return { text: '', imagesOnly: false }
  if (typeof content === 'string') return { text: content, imagesOnly: false }
  if (!Array.isArray(content)) throw invalid(path, 'Input should be a valid string or list')
  const texts: string[] = []
  let moved = 0
  for (let i = 0; i < content.length; i++) {
    const block: unknown = content[i]
    const at = `${path}.${i}`
    if (!isObject(block)) throw invalid(at, 'Input should be a valid dictionary')
    switch (block.type) {
      case 'text':
        texts.push(textOf(block, at))
        break
      case 'image':
        images.push(toKiroImage(block, at))
        moved++
        break
      case 'document':
        texts.push(documentText(block, at, images))
        break
      case 'search_result':
        texts.push(searchResultText(block, at))
        break
      case 'tool_reference':
        texts.push(`Tool reference: ${asText(block.tool_name)}`)
        break
      default:
        texts.push(JSON.stringify(block))
    }
  }
  const text = texts.join('\n\n')
  return { text, imagesOnly: moved > 0 && text === '' }
}

/**
 * An Anthropic server-tool block (a call or a result of web search, web fetch, code execution,
 * ...) as text: Kiro cannot run these tools, but what they did is part of the conversation.
 * Web search results become a list of titles and URLs (their encrypted page content is useless
 * to another model); other results keep their JSON.
 */
export function serverBlockText(block: Fields): string {
  const id = asText(block.id ?? block.tool_use_id)
  if (block.type === 'server_tool_use') return serverToolUseAsText(asText(block.name), id, block.input ?? {})
  if (block.type === 'container_upload')
    return `[File uploaded to the code-execution container: ${asText(block.file_id)}]`
  const content = block.content
  if (block.type === 'web_search_tool_result') {
    if (Array.isArray(content)) {
      // Results this library produced carry their snippet (docs/protocol.md §9.5): the model sees it again.
      const lines = content.map((r: unknown) => {
        if (!isObject(r)) return `- ${JSON.stringify(r)}`
        const snippet = snippetOf((r as { encrypted_content?: unknown }).encrypted_content)
        return `- ${asText(r.title)}: ${asText(r.url)}${snippet ? `\n  ${snippet}` : ''}`
      })
      return serverToolResultAsText(id, lines.join('\n'))
    }
    if (isObject(content) && typeof content.error_code === 'string') {
      return serverToolResultAsText(id, `Error: ${content.error_code}`)
    }
  }
  return serverToolResultAsText(id, JSON.stringify(content ?? null))
}

/** The block types {@link serverBlockText} handles. */
export const SERVER_BLOCK_TYPES: ReadonlySet<string> = new Set([
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
])
