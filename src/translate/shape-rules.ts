/** The per-message rules of the Kiro shape checker (shape-checker.ts has the overview). */
import { isBase64 } from './images.js'
import type { ShapeRule } from './shape-rule-ids.js'
import { KIRO_NAME_PATTERN } from './tool-names.js'

/** The members of a Kiro body the checker reads, each `unknown` until checked. */
export interface Obj {
  readonly conversationState?: unknown
  readonly profileArn?: unknown
  readonly chatTriggerType?: unknown
  readonly conversationId?: unknown
  readonly agentTaskType?: unknown
  readonly history?: unknown
  readonly currentMessage?: unknown
  readonly userInputMessage?: unknown
  readonly content?: unknown
  readonly userInputMessageContext?: unknown
  readonly tools?: unknown
  readonly toolResults?: unknown
  readonly toolSpecification?: unknown
  readonly cachePoint?: unknown
  readonly name?: unknown
  readonly description?: unknown
  readonly inputSchema?: unknown
  readonly json?: unknown
  readonly toolUses?: unknown
  readonly toolUseId?: unknown
  readonly input?: unknown
  readonly reasoningContent?: unknown
  readonly text?: unknown
  readonly images?: unknown
  readonly format?: unknown
  readonly source?: unknown
  readonly bytes?: unknown
  readonly origin?: unknown
  readonly modelId?: unknown
  readonly status?: unknown
}
export type Report = (path: string, message: string, rule: ShapeRule) => void

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
export const member = (o: Obj, key: string): unknown => (o as Record<string, unknown>)[key]
const FORMATS = new Set(['png', 'jpeg', 'gif', 'webp'])
const ORIGINS = new Set(
  'AI_EDITOR CHATBOT CLI CONSOLE DOCUMENTATION GITLAB IDE INLINE_CHAT KIRO_CLI MARKETING MD MD_CE MD_IDE MOBILE OPENSEARCH_DASHBOARD Q_DEV_BEXT SAGE_MAKER SERVICE_INTERNAL SM_AI_STUDIO_IDE UNIFIED_SEARCH UNKNOWN'.split(
    ' ',
  ),
)

/** Checks an assistant message; returns its tool-use ids (id → path) awaiting results. */
export function checkAssistant(
  message: Obj,
  path: string,
  seenIds: Set<string>,
  declared: ReadonlySet<string>,
  add: Report,
): Map<string, string> {
  const open = new Map<string, string>()
  const uses = message.toolUses
  if (uses !== undefined && !Array.isArray(uses)) add(`${path}.toolUses`, 'must be an array', 'structure')
  if (Array.isArray(uses)) {
    for (let j = 0; j < uses.length; j++) {
      const use: unknown = uses[j]
      const at = `${path}.toolUses.${j}`
      if (!isObj(use)) {
        add(at, 'must be an object', 'structure')
        continue
      }
      const id = use.toolUseId
      if (typeof id !== 'string' || !KIRO_NAME_PATTERN.test(id))
        add(`${at}.toolUseId`, 'must match ^[a-zA-Z0-9_-]{1,64}$', 'tool-use-id')
      else if (seenIds.has(id)) add(`${at}.toolUseId`, `duplicate tool use id ${id}`, 'tool-use-id')
      else {
        seenIds.add(id)
        open.set(id, at)
      }
      const name = use.name
      if (typeof name !== 'string' || !KIRO_NAME_PATTERN.test(name))
        add(`${at}.name`, 'must match ^[a-zA-Z0-9_-]{1,64}$', 'tool-name')
      else if (declared.size > 0 && !declared.has(name.toLowerCase()))
        add(`${at}.name`, `tool ${name} is not declared in the current message's tools`, 'tools-declared')
      if (!isObj(use.input)) add(`${at}.input`, 'must be a JSON object', 'tool-input')
      else findEmptyKeys(use.input, `${at}.input`, add)
    }
  }
  const reasoning = message.reasoningContent
  if (reasoning !== undefined) {
    checkReasoning(reasoning, `${path}.reasoningContent`, add)
    // docs/protocol.md §3.9: an assistant message that exists only to carry reasoning is refused
    // (REQUEST_BODY_INVALID); a whitespace placeholder is no content of its own.
    const content = message.content
    const hasUses = Array.isArray(uses) && uses.length > 0
    if (!hasUses && (typeof content !== 'string' || content.trim() === '')) {
      add(
        `${path}.reasoningContent`,
        'reasoning only on an assistant message with text or tool uses',
        'reasoning',
      )
    }
  }
  return open
}

function checkReasoning(reasoning: unknown, path: string, add: Report): void {
  const keys = isObj(reasoning) ? Object.keys(reasoning) : []
  const key = keys[0]
  const value = isObj(reasoning) && key !== undefined ? member(reasoning, key) : undefined
  const ok =
    keys.length === 1 &&
    ((key === 'signature' && typeof value === 'string' && value !== '') ||
      (key === 'redactedContent' && typeof value === 'string' && isBase64(value)) ||
      (key === 'reasoningText' && isObj(value) && typeof value.text === 'string'))
  if (!ok)
    add(
      path,
      'must be exactly one of { signature }, { redactedContent: <base64> } or { reasoningText }',
      'reasoning',
    )
}

/** Checks a user message against the calls it answers; true when it carries tool results. */
export function checkUser(message: Obj, path: string, open: Map<string, string>, add: Report): boolean {
  const images = message.images
  if (images !== undefined) {
    if (!Array.isArray(images)) add(`${path}.images`, 'must be an array', 'structure')
    else
      images.forEach((image: unknown, j) => {
        const source = isObj(image) ? image.source : undefined
        if (!isObj(image) || !FORMATS.has(image.format as string))
          add(`${path}.images.${j}.format`, 'must be png, jpeg, gif or webp', 'enum')
        if (!isObj(source) || typeof source.bytes !== 'string' || !isBase64(source.bytes)) {
          add(`${path}.images.${j}.source.bytes`, 'must be base64', 'base64')
        }
      })
  }
  const origin = message.origin
  if (origin !== undefined && !ORIGINS.has(origin as string)) add(`${path}.origin`, 'unknown origin', 'enum')
  if (message.modelId !== undefined && typeof message.modelId !== 'string')
    add(`${path}.modelId`, 'must be a string', 'structure')
  const context = message.userInputMessageContext
  if (context === undefined) return false
  if (!isObj(context)) {
    add(`${path}.userInputMessageContext`, 'must be an object', 'structure')
    return false
  }
  const results = context.toolResults
  if (results === undefined) return false
  if (!Array.isArray(results)) {
    add(`${path}.userInputMessageContext.toolResults`, 'must be an array', 'structure')
    return false
  }
  const content = message.content
  if (results.length > 0 && typeof content === 'string' && content.includes('<thinking_mode>')) {
    add(
      `${path}.content`,
      'thinking tags must not share a message with tool results',
      'thinking-tags-with-results',
    )
  }
  const seen = new Set<string>()
  for (let j = 0; j < results.length; j++) {
    const result: unknown = results[j]
    const at = `${path}.userInputMessageContext.toolResults.${j}`
    if (!isObj(result)) {
      add(at, 'must be an object', 'structure')
      continue
    }
    const id = result.toolUseId
    if (typeof id !== 'string' || !KIRO_NAME_PATTERN.test(id))
      add(`${at}.toolUseId`, 'must match ^[a-zA-Z0-9_-]{1,64}$', 'tool-use-id')
    else if (seen.has(id)) add(`${at}.toolUseId`, `duplicate result for tool use ${id}`, 'tool-pairing')
    else if (!open.has(id))
      add(
        `${at}.toolUseId`,
        `no tool use ${id} in the immediately preceding assistant message`,
        'tool-pairing',
      )
    else {
      seen.add(id)
      open.delete(id)
    }
    const status = result.status
    if (status !== undefined && status !== 'success' && status !== 'error')
      add(`${at}.status`, 'must be success or error', 'enum')
    const blocks = result.content
    const valid =
      Array.isArray(blocks) &&
      blocks.length > 0 &&
      blocks.every(
        (b: unknown) =>
          isObj(b) &&
          Object.keys(b).length === 1 &&
          ((typeof b.text === 'string' && b.text !== '') || b.json !== undefined),
      )
    if (!valid)
      add(
        `${at}.content`,
        'must be a non-empty array of { text: <non-empty> } or { json }',
        'non-empty-content',
      )
  }
  return results.length > 0
}

/** Reports every `null` in `value`. Paths are built only for the nulls found (a key stack otherwise). */
export function findNulls(value: unknown, add: Report): void {
  walkNulls(value, [], add)
}

function walkNulls(value: unknown, keys: Array<string | number>, add: Report): void {
  if (value === null) {
    add(keys.join('.'), 'null is not accepted; omit the member', 'no-null')
    return
  }
  if (typeof value !== 'object') return
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      if (item === null || typeof item === 'object') {
        keys.push(i)
        walkNulls(item, keys, add)
        keys.pop()
      }
    }
    return
  }
  for (const key in value) {
    const item = member(value as Obj, key)
    if (item === null || typeof item === 'object') {
      keys.push(key)
      walkNulls(item, keys, add)
      keys.pop()
    }
  }
}

/** Reports every object with an empty-string key inside a tool input. */
function findEmptyKeys(value: unknown, path: string, add: Report): void {
  if (typeof value !== 'object' || value === null) return
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] === 'object') findEmptyKeys(value[i], `${path}.${i}`, add)
    }
    return
  }
  for (const key in value) {
    if (key === '') add(path, 'tool input objects must not have an empty key', 'tool-input')
    const item = member(value as Obj, key)
    if (typeof item === 'object') findEmptyKeys(item, `${path}.${key}`, add)
  }
}
