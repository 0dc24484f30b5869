import { assembleBody, type BodyFields, foldSystem } from './body.js'
import { overflowByBytes, promptTooLongMessage } from './context-limit.js'
import { invalid } from './invalid.js'
import type { ChatMessage, KiroRequest, ToolResult, UserInputMessage } from './kiro-types.js'
import type { PairedConversation } from './pairing.js'
import { toolResultAsText } from './placeholders.js'
import { fitsInBytes, utf8Length } from './size.js'

export interface Sized {
  body: KiroRequest
  serialized: string
  /** History messages dropped to fit. */
  dropped: number
}

/** What a size refusal reports in tokens (docs/claude-code.md, "Long sessions"). */
export interface SizeContext {
  /** The request's estimated input tokens. */
  estimate: () => number
  /** The model's context window, in tokens. */
  contextWindow: number
}

/**
 * The error for a body over the limit, in the Anthropic API's words (`prompt is too long: N tokens >
 * M maximum`, which Claude Code answers by compacting), followed by the sizes in bytes.
 */
export function tooLarge(bytes: number, max: number, trimmed: boolean, size: SizeContext): Error {
  const what = trimmed ? `${bytes} bytes even with all history dropped` : `${bytes} bytes`
  const advice = trimmed
    ? 'Shorten the current message or its tool results.'
    : 'Compact or shorten the conversation, or pass trimHistory: true to drop the oldest turns.'
  const overflow = overflowByBytes(size.estimate(), bytes, max, size.contextWindow)
  return invalid(
    '',
    promptTooLongMessage(
      overflow,
      `The request is too large for Kiro: ${what}, over the limit of ${max} bytes. ${advice}`,
    ),
  )
}

function resultAsText(result: ToolResult): string {
  const text = result.content.map((c) => ('text' in c ? c.text : JSON.stringify(c.json))).join('\n\n')
  return toolResultAsText(result.toolUseId, result.status === 'error', text)
}

/**
 * The conversation from message `start` on, with the system text folded into its (new) first
 * user message. Tool results in that message answer a dropped call: they become text.
 */
function cutAt(conversation: PairedConversation, prefix: string, start: number): ChatMessage[] {
  const first = (conversation.messages[start] as { userInputMessage: UserInputMessage }).userInputMessage
  const results = first.userInputMessageContext?.toolResults
  let own = conversation.ownText[start] as string
  if (results !== undefined) own = [...results.map(resultAsText), ...(own === '' ? [] : [own])].join('\n\n')
  const copy: UserInputMessage = {
    ...first,
    content: foldSystem(prefix, own, conversation.emptyText[start] as string),
  }
  if (results !== undefined) delete copy.userInputMessageContext
  return [{ userInputMessage: copy }, ...conversation.messages.slice(start + 1)]
}

/**
 * Drops the oldest whole turns until the body fits (`trimHistory`). A cut is made only in front
 * of a user message, so every remaining call keeps its result; cuts in front of a user message
 * without tool results come first (no tool pair is split). Only when no such cut fits is a cut
 * made in front of tool results, which then become text. The current message is never dropped.
 */
export function trimToFit(
  conversation: PairedConversation,
  prefix: string,
  fields: BodyFields,
  serializedBytes: number,
  maxBytes: number,
  size: SizeContext,
): Sized {
  const messages = conversation.messages
  const last = messages.length - 1
  // Estimated body size for each cut, from the size of each message: one stringify per message.
  const prefixBytes = utf8Length(JSON.stringify(prefix)) + 2
  const dropBytes: number[] = [0]
  for (let i = 0; i < last; i++) {
    const bytes = utf8Length(JSON.stringify(messages[i])) + 1
    dropBytes.push((dropBytes[i] as number) + bytes)
  }
  const estimate = (start: number) => serializedBytes - (dropBytes[start] as number) + prefixBytes
  const tryCut = (start: number): Sized | undefined => {
    const body = assembleBody(cutAt(conversation, prefix, start), fields)
    const serialized = JSON.stringify(body)
    return fitsInBytes(serialized, maxBytes) ? { body, serialized, dropped: start } : undefined
  }
  const hasResults = (i: number) =>
    (messages[i] as { userInputMessage: UserInputMessage }).userInputMessage.userInputMessageContext
      ?.toolResults !== undefined
  // The estimate ignores the few bytes a cut adds or removes around the first message; the slack
  // keeps it from skipping a cut that fits, and every candidate is measured for real.
  const slack = 256
  for (const splitPairs of [false, true]) {
    for (let start = 2; start <= last; start += 2) {
      if (hasResults(start) !== splitPairs || estimate(start) > maxBytes + slack) continue
      const sized = tryCut(start)
      if (sized !== undefined) return sized
    }
  }
  const minimal = JSON.stringify(assembleBody(cutAt(conversation, prefix, last), fields))
  throw tooLarge(utf8Length(minimal), maxBytes, true, size)
}
