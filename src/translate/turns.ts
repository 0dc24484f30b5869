import { addAssistantContent, addSystemContent, addUserContent } from './content.js'
import { invalid, isObject } from './invalid.js'
import type { AssistantTurn, BlockContext, Turn, UserTurn } from './turn-types.js'

/**
 * The messages as alternating turns (docs/protocol.md §3.5 rule 3): consecutive messages of the same side are
 * merged, and `role: "system"` messages join the user side at their position (so an instruction
 * sent between a tool call and its result does not split the pair).
 */
export function buildTurns(messages: unknown, ctx: BlockContext): Turn[] {
  if (messages === undefined) throw invalid('messages', 'Field required')
  if (!Array.isArray(messages)) throw invalid('messages', 'Input should be a valid list')
  if (messages.length === 0) throw invalid('messages', 'At least one message is required')
  const turns: Turn[] = []
  let last: Turn | undefined
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i]
    const path = `messages.${i}`
    if (!isObject(message)) throw invalid(path, 'Input should be a valid dictionary')
    const role = message.role
    if (role === 'assistant') {
      if (last?.role !== 'assistant') {
        last = { role: 'assistant', parts: [], uses: [], reasoning: undefined } satisfies AssistantTurn
        turns.push(last)
      }
      addAssistantContent(last, message.content, `${path}.content`, ctx)
    } else if (role === 'user' || role === 'system') {
      if (last?.role !== 'user') {
        last = { role: 'user', parts: [], images: [] } satisfies UserTurn
        turns.push(last)
      }
      if (role === 'user') addUserContent(last, message.content, `${path}.content`, ctx)
      else addSystemContent(last, message.content, `${path}.content`)
    } else {
      throw invalid(
        `${path}.role`,
        role === undefined ? 'Field required' : "Input should be 'user', 'assistant' or 'system'",
      )
    }
  }
  return turns
}
