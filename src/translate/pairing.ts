import type {
  AssistantResponseMessage,
  ChatMessage,
  KiroOrigin,
  ToolResult,
  ToolUse,
  UserInputMessage,
} from './kiro-types.js'
import {
  ASSISTANT_EMPTY,
  TOOL_RESULT_EMPTY,
  TOOL_RESULT_IMAGES_ONLY,
  TOOL_RESULT_MISSING,
  toolResultAsText,
  USER_CONTINUE,
  USER_CONVERSATION_START,
  USER_EMPTY,
  USER_IMAGES_ONLY,
  USER_TOOL_RESULTS_ONLY,
} from './placeholders.js'
import { toKiroToolUseId } from './tool-names.js'
import type { AssistantTurn, PendingResult, PendingUse, Turn, UserTurn } from './turn-types.js'

/** The conversation as Kiro messages, before the system text is folded in. */
export interface PairedConversation {
  /** History then, last, the current user message. Even indices are user messages. */
  readonly messages: ChatMessage[]
  /** Per user message: its own text ('' when it has none); '' for assistant messages. */
  readonly ownText: string[]
  /** Per user message: the placeholder used when it has no text. */
  readonly emptyText: string[]
  /** Kiro names of the tool calls kept in history. */
  readonly usedTools: Set<string>
  /** True when the conversation ended with an assistant message (a prefill). */
  readonly prefill: boolean
}

interface Slot {
  readonly use: PendingUse
  readonly toolUseId: string
  result: ToolResult | undefined
}

/**
 * Turns the merged turns into Kiro's shape (docs/protocol.md §3.5):
 * - a conversation that starts with the assistant gets a user turn in front;
 * - a trailing assistant message (prefill) stays in history and a user turn asking to continue follows;
 * - each tool result pairs with an unanswered call of the same id in the immediately preceding
 *   assistant turn; a second result for an already answered call is appended to the first; a result
 *   with no such call becomes text in its message; a call left without a result gets an error result;
 * - tool-use ids are made valid and unique across the conversation (a repeated id gets a suffix);
 * - empty contents get the placeholders of placeholders.ts.
 */
export function pairTurns(turns: readonly Turn[], modelId: string, origin: KiroOrigin): PairedConversation {
  const list: Turn[] = [...turns]
  const startsWithAssistant = list[0]?.role === 'assistant'
  if (startsWithAssistant) list.unshift({ role: 'user', parts: [], images: [] })
  const prefill = list[list.length - 1]?.role === 'assistant'
  if (prefill) list.push({ role: 'user', parts: [USER_CONTINUE], images: [] })

  const out: PairedConversation = { messages: [], ownText: [], emptyText: [], usedTools: new Set(), prefill }
  const usedIds = new Set<string>()
  let slots: Slot[] = []
  for (let k = 0; k < list.length; k++) {
    const turn = list[k] as Turn
    if (turn.role === 'assistant') {
      slots = assignIds(turn, usedIds)
      for (const use of turn.uses) out.usedTools.add(use.name)
      out.messages.push({ assistantResponseMessage: assistantMessage(turn, slots) })
      out.ownText.push('')
      out.emptyText.push('')
    } else {
      const { message, own, empty } = userMessage(
        turn,
        slots,
        modelId,
        origin,
        k === 0 && startsWithAssistant,
      )
      out.messages.push({ userInputMessage: message })
      out.ownText.push(own)
      out.emptyText.push(empty)
      slots = []
    }
  }
  return out
}

function assignIds(turn: AssistantTurn, usedIds: Set<string>): Slot[] {
  const slots: Slot[] = []
  for (const use of turn.uses) {
    let toolUseId = toKiroToolUseId(use.id)
    for (let n = 2; usedIds.has(toolUseId); n++) toolUseId = `${toKiroToolUseId(use.id).slice(0, 56)}_dup${n}`
    usedIds.add(toolUseId)
    slots.push({ use, toolUseId, result: undefined })
  }
  return slots
}

function assistantMessage(turn: AssistantTurn, slots: readonly Slot[]): AssistantResponseMessage {
  const content = turn.parts.join('\n\n')
  const message: AssistantResponseMessage = { content: content === '' ? ASSISTANT_EMPTY : content }
  if (slots.length > 0) {
    message.toolUses = slots.map(
      (s): ToolUse => ({ toolUseId: s.toolUseId, name: s.use.name, input: s.use.input }),
    )
  }
  // An assistant turn that would exist only to carry reasoning is refused by Kiro (docs/protocol.md §3.9): the
  // blob rides only on a turn with text (not just whitespace) or tool calls.
  if (turn.reasoning !== undefined && (content.trim() !== '' || slots.length > 0))
    message.reasoningContent = turn.reasoning
  return message
}

function resultText(part: PendingResult): string {
  if (part.text !== '') return part.text
  return part.imagesOnly ? TOOL_RESULT_IMAGES_ONLY : TOOL_RESULT_EMPTY
}

function userMessage(
  turn: UserTurn,
  slots: Slot[],
  modelId: string,
  origin: KiroOrigin,
  syntheticStart: boolean,
): { message: UserInputMessage; own: string; empty: string } {
  const texts: string[] = []
  const results: ToolResult[] = []
  for (const part of turn.parts) {
    if (typeof part === 'string') {
      texts.push(part)
      continue
    }
    const text = resultText(part)
    const open = slots.find((s) => s.use.id === part.id && s.result === undefined)
    if (open !== undefined) {
      open.result = {
        toolUseId: open.toolUseId,
        content: [{ text }],
        status: part.isError ? 'error' : 'success',
      }
      results.push(open.result)
      continue
    }
    const answered = slots.find((s) => s.use.id === part.id)
    if (answered?.result !== undefined) answered.result.content.push({ text })
    else texts.push(toolResultAsText(part.id, part.isError, text))
  }
  for (const slot of slots) {
    if (slot.result !== undefined) continue
    slot.result = { toolUseId: slot.toolUseId, content: [{ text: TOOL_RESULT_MISSING }], status: 'error' }
    results.push(slot.result)
  }
  const own = texts.join('\n\n')
  const empty =
    results.length > 0
      ? USER_TOOL_RESULTS_ONLY
      : turn.images.length > 0
        ? USER_IMAGES_ONLY
        : syntheticStart
          ? USER_CONVERSATION_START
          : USER_EMPTY
  const message: UserInputMessage = { content: own === '' ? empty : own, modelId, origin }
  if (turn.images.length > 0) message.images = turn.images
  if (results.length > 0) message.userInputMessageContext = { toolResults: results }
  return { message, own, empty }
}
