import type { ShapeRule } from './shape-rule-ids.js'
import { checkAssistant, checkUser, findNulls, isObj, member, type Obj, type Report } from './shape-rules.js'
import { checkTools } from './shape-tools.js'
import { DEFAULT_MAX_BODY_BYTES, utf8Length } from './size.js'

/** One rule of Kiro's request shape that a body breaks. */
export interface KiroShapeIssue {
  /** Where, as a dotted path (`conversationState.history.3.assistantResponseMessage.content`). */
  path: string
  message: string
  /** The rule broken; `SHAPE_RULES` says what it protects against (docs/protocol.md §10). */
  rule: ShapeRule
}

export interface CheckKiroRequestOptions {
  /** @defaultValue 600_000 */
  maxBodyBytes?: number | undefined
  /** The body's size in bytes, when the caller already knows it (saves a serialization). */
  bodyBytes?: number | undefined
}

const TRIGGERS = new Set(['MANUAL', 'DIAGNOSTIC', 'INLINE_CHAT'])
const TASK_TYPES = new Set(['vibe', 'spectask'])

/**
 * Every rule Kiro is known to enforce on a `generateAssistantResponse` body (docs/protocol.md §3.1,
 * §3.5, §3.6, §3.9), each of which Kiro answers with 400 "Improperly formed request.": the enum values;
 * history starting with a user message, alternating, and ending with an assistant message before
 * the current (user) message; non-empty contents; every tool result answering a call of the
 * immediately preceding assistant message, once, and every call answered; unique tool-use ids;
 * tool history only with tools declared, and every called tool declared (case-insensitive);
 * thinking tags never next to tool results; tool names and ids `^[a-zA-Z0-9_-]{1,64}$`,
 * descriptions non-empty and at most 10,000 characters, schemas with `type` and `properties` and
 * no empty `required` (§3.6's safe subset); tool inputs objects without empty keys; images and
 * redacted reasoning valid base64; reasoning only on an assistant message with text or tool uses;
 * no `null` anywhere; and the size.
 *
 * @returns the issues found, empty when Kiro would accept the shape.
 */
export function checkKiroRequest(body: unknown, options: CheckKiroRequestOptions = {}): KiroShapeIssue[] {
  const issues: KiroShapeIssue[] = []
  const add: Report = (path, message, rule) => {
    issues.push({ path, message, rule })
  }
  if (!isObj(body)) {
    add('', 'the body must be a JSON object', 'structure')
    return issues
  }
  findNulls(body, add)
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const bytes = options.bodyBytes ?? utf8Length(JSON.stringify(body))
  if (bytes > max) add('', `the body is ${bytes} bytes, over the ${max}-byte limit`, 'size')
  if (body.profileArn !== undefined && typeof body.profileArn !== 'string')
    add('profileArn', 'must be a string', 'structure')
  const state = body.conversationState
  if (!isObj(state)) {
    add('conversationState', 'required object', 'structure')
    return issues
  }
  const at = (p: string) => `conversationState.${p}`
  if (!TRIGGERS.has(state.chatTriggerType as string))
    add(at('chatTriggerType'), 'must be MANUAL, DIAGNOSTIC or INLINE_CHAT', 'enum')
  const id = state.conversationId
  if (id !== undefined && (typeof id !== 'string' || id === '' || utf8Length(id) > 256)) {
    add(at('conversationId'), 'must be a non-empty string of at most 256 bytes', 'conversation-id')
  }
  const task = state.agentTaskType
  if (task !== undefined && !TASK_TYPES.has(task as string))
    add(at('agentTaskType'), 'must be vibe or spectask', 'enum')

  const history = state.history
  const entries: Array<{ path: string; role: 'user' | 'assistant'; message: Obj }> = []
  if (history !== undefined) {
    if (!Array.isArray(history)) add(at('history'), 'must be an array', 'structure')
    else for (let i = 0; i < history.length; i++) readEntry(history[i], at(`history.${i}`), entries, add)
  }
  const current = state.currentMessage
  const currentPath = at('currentMessage')
  if (!isObj(current) || Object.keys(current).length !== 1 || !isObj(current.userInputMessage)) {
    add(currentPath, 'must be exactly { userInputMessage }', 'structure')
    return issues
  }
  entries.push({
    path: `${currentPath}.userInputMessage`,
    role: 'user',
    message: current.userInputMessage,
  })
  checkConversation(entries, add)
  return issues
}

function readEntry(
  entry: unknown,
  path: string,
  entries: Array<{ path: string; role: 'user' | 'assistant'; message: Obj }>,
  add: Report,
): void {
  const keys = isObj(entry) ? Object.keys(entry) : []
  const key = keys[0]
  if (
    !isObj(entry) ||
    keys.length !== 1 ||
    (key !== 'userInputMessage' && key !== 'assistantResponseMessage')
  ) {
    add(path, 'must be exactly one of { userInputMessage } or { assistantResponseMessage }', 'structure')
    return
  }
  const message = member(entry, key)
  if (!isObj(message)) add(`${path}.${key}`, 'must be an object', 'structure')
  else
    entries.push({ path: `${path}.${key}`, role: key === 'userInputMessage' ? 'user' : 'assistant', message })
}

function checkConversation(
  entries: ReadonlyArray<{ path: string; role: 'user' | 'assistant'; message: Obj }>,
  add: Report,
): void {
  const current = entries[entries.length - 1]!
  const context = current.message.userInputMessageContext
  const tools = isObj(context) ? context.tools : undefined
  const declared = checkTools(tools, `${current.path}.userInputMessageContext.tools`, add)
  const seenIds = new Set<string>()
  let open = new Map<string, string>()
  let toolContent = false
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!
    const expected = i % 2 === 0 ? 'user' : 'assistant'
    if (entry.role !== expected) {
      add(
        entry.path,
        i === 0 ? 'history must start with a userInputMessage' : `roles must alternate: expected ${expected}`,
        'alternation',
      )
    }
    const content = entry.message.content
    if (typeof content !== 'string' || content === '')
      add(`${entry.path}.content`, 'must be a non-empty string', 'non-empty-content')
    if (entry.role === 'assistant') {
      for (const [useId, usePath] of open)
        add(usePath, `tool use ${useId} has no result in the next user message`, 'tool-pairing')
      open = checkAssistant(entry.message, entry.path, seenIds, declared, add)
      if (open.size > 0) toolContent = true
    } else {
      const answered = checkUser(entry.message, entry.path, open, add)
      if (answered) toolContent = true
      for (const [useId, usePath] of open)
        add(usePath, `tool use ${useId} has no result in the next user message`, 'tool-pairing')
      open = new Map()
    }
  }
  if (toolContent && declared.size === 0)
    add(
      `${current.path}.userInputMessageContext.tools`,
      'tool uses or results in the conversation need declared tools',
      'tools-declared',
    )
}
