import type {
  ChatMessage,
  ConversationState,
  JsonObject,
  KiroAgentTaskType,
  KiroRequest,
  KiroTool,
  UserInputMessage,
} from './kiro-types.js'

/** Everything of the body apart from the messages. */
export interface BodyFields {
  readonly conversationId: string
  readonly agentTaskType: KiroAgentTaskType | undefined
  readonly agentContinuationId: string | undefined
  readonly profileArn: string | undefined
  readonly additionalModelRequestFields: JsonObject | undefined
  readonly tools: readonly KiroTool[]
}

/** The system text in front of the first user message's own text (docs/protocol.md §3.4, option 1). */
export function foldSystem(prefix: string, own: string, empty: string): string {
  if (prefix === '') return own === '' ? empty : own
  return own === '' ? prefix : `${prefix}\n\n${own}`
}

/**
 * The request body (docs/protocol.md §3.1, §3.2) for `messages` (history, then the current user message):
 * tools go on the current message only; empty members are omitted, never sent as null.
 */
export function assembleBody(messages: readonly ChatMessage[], fields: BodyFields): KiroRequest {
  const last = messages[messages.length - 1] as { userInputMessage: UserInputMessage }
  let current = last.userInputMessage
  if (fields.tools.length > 0) {
    const results = current.userInputMessageContext?.toolResults
    current = {
      ...current,
      userInputMessageContext:
        results === undefined
          ? { tools: fields.tools as KiroTool[] }
          : { toolResults: results, tools: fields.tools as KiroTool[] },
    }
  }
  // Key order as the clients of docs/protocol.md §3.1 send it: trigger, id, task type, history, current.
  const state: Partial<ConversationState> = {
    chatTriggerType: 'MANUAL',
    conversationId: fields.conversationId,
  }
  if (fields.agentTaskType !== undefined) state.agentTaskType = fields.agentTaskType
  if (fields.agentContinuationId !== undefined) state.agentContinuationId = fields.agentContinuationId
  if (messages.length > 1) state.history = messages.slice(0, -1)
  state.currentMessage = { userInputMessage: current }
  const body: KiroRequest = { conversationState: state as ConversationState }
  if (fields.profileArn !== undefined) body.profileArn = fields.profileArn
  if (fields.additionalModelRequestFields !== undefined) {
    body.additionalModelRequestFields = fields.additionalModelRequestFields
  }
  return body
}
