/**
 * The bodies the 400 diagnosis sends (docs/protocol.md §10): shorter versions of a refused
 * `generateAssistantResponse` body. Pure: each is built from the refused body, which is never changed.
 */

interface Context {
  tools?: unknown[]
  [member: string]: unknown
}
interface UserMessage {
  userInputMessageContext?: Context
  [member: string]: unknown
}
interface Entry {
  userInputMessage?: UserMessage
  assistantResponseMessage?: unknown
}
interface State {
  history?: Entry[]
  currentMessage: { userInputMessage: UserMessage }
  [member: string]: unknown
}
/** A `generateAssistantResponse` body, as far as the diagnosis reads it. */
export interface ProbedBody {
  conversationState: State
  [member: string]: unknown
}

/** The conversation as one list: the history, then the current message. */
function entries(body: ProbedBody): Entry[] {
  const state = body.conversationState
  return [...(state.history ?? []), state.currentMessage]
}

function toolsOf(body: ProbedBody): unknown[] {
  return body.conversationState.currentMessage.userInputMessage.userInputMessageContext?.tools ?? []
}

/** The positions (in history-then-current order) of the user messages: where a shorter conversation can end. */
export function userPositions(body: ProbedBody): number[] {
  const positions: number[] = []
  entries(body).forEach((entry, i) => {
    if (entry.userInputMessage !== undefined) positions.push(i)
  })
  return positions
}

/**
 * The conversation cut after the user message at `position`, which becomes the current message
 * (keeping its own tool results, which answer the calls just before it) and takes the refused
 * body's tools: a body Kiro should accept unless the refused part is in it. `tools` keeps only
 * that many of the tools.
 */
export function prefixBody(body: ProbedBody, position: number, tools?: number): ProbedBody {
  const all = entries(body)
  const user = all[position]?.userInputMessage ?? { content: '' }
  const declared = toolsOf(body)
  const kept = tools === undefined ? declared : declared.slice(0, tools)
  const context: Context = { ...user.userInputMessageContext }
  delete context.tools
  if (kept.length > 0) context.tools = kept
  const current: UserMessage = { ...user }
  if (Object.keys(context).length > 0) current.userInputMessageContext = context
  else delete current.userInputMessageContext
  const state: State = { ...body.conversationState, currentMessage: { userInputMessage: current } }
  const history = all.slice(0, position)
  if (history.length > 0) state.history = history
  else delete state.history
  return { ...body, conversationState: state }
}

/** How many tools the refused body declares. */
export function toolCount(body: ProbedBody): number {
  return toolsOf(body).length
}

/** The path and Kiro name of a declared tool. */
export function toolAt(body: ProbedBody, index: number): { path: string; name: string } {
  const tool = toolsOf(body)[index] as { toolSpecification?: { name?: unknown } } | undefined
  const name = tool?.toolSpecification?.name
  return {
    path: `conversationState.currentMessage.userInputMessageContext.tools.${index}`,
    name: typeof name === 'string' ? name : '(unnamed)',
  }
}

/** The body path of an entry of the conversation list. */
export function entryPath(body: ProbedBody, position: number): string {
  const history = body.conversationState.history ?? []
  return position < history.length
    ? `conversationState.history.${position}`
    : 'conversationState.currentMessage'
}
