/**
 * The body of Kiro's `generateAssistantResponse` (docs/protocol.md §3.1), as this library sends it.
 * Only the members Claude-to-Kiro translation uses are declared.
 */

import type { Effort } from '../types/anthropic-request.js'

/** A JSON object (tool inputs, JSON Schemas). */
export type JsonObject = { [key: string]: unknown }

/** `userInputMessage.origin`; `AI_EDITOR` is what the Kiro IDE sends. */
export type KiroOrigin =
  | 'AI_EDITOR'
  | 'CHATBOT'
  | 'CLI'
  | 'CONSOLE'
  | 'DOCUMENTATION'
  | 'GITLAB'
  | 'IDE'
  | 'INLINE_CHAT'
  | 'KIRO_CLI'
  | 'MARKETING'
  | 'MD'
  | 'MD_CE'
  | 'MD_IDE'
  | 'MOBILE'
  | 'OPENSEARCH_DASHBOARD'
  | 'Q_DEV_BEXT'
  | 'SAGE_MAKER'
  | 'SERVICE_INTERNAL'
  | 'SM_AI_STUDIO_IDE'
  | 'UNIFIED_SEARCH'
  | 'UNKNOWN'

export type KiroAgentTaskType = 'vibe' | 'spectask'

/** The request body. */
export interface KiroRequest {
  conversationState: ConversationState
  profileArn?: string
  /** Native reasoning effort for the models that take it (docs/protocol.md §3.9). */
  additionalModelRequestFields?: AdditionalModelRequestFields
}

/**
 * The model fields Kiro passes through (docs/protocol.md §3.9): Claude models take `thinking`,
 * `output_config` and `max_tokens` (kiro.dev/docs/cli/chat/effort); GPT models `reasoning` only.
 */
export type AdditionalModelRequestFields = {
  thinking?: { type: 'adaptive'; display: 'summarized' | 'omitted' } | { type: 'disabled' }
  output_config?: { effort: Effort }
  max_tokens?: number
  reasoning?: { effort: Effort }
}

export interface ConversationState {
  chatTriggerType: 'MANUAL' | 'DIAGNOSTIC' | 'INLINE_CHAT'
  conversationId?: string
  agentTaskType?: KiroAgentTaskType
  agentContinuationId?: string
  history?: ChatMessage[]
  currentMessage: { userInputMessage: UserInputMessage }
}

/** One history entry: exactly one of the two keys. */
export type ChatMessage =
  | { userInputMessage: UserInputMessage }
  | { assistantResponseMessage: AssistantResponseMessage }

export interface UserInputMessage {
  content: string
  modelId?: string
  origin?: KiroOrigin
  images?: ImageBlock[]
  userInputMessageContext?: UserInputMessageContext
}

export interface UserInputMessageContext {
  toolResults?: ToolResult[]
  tools?: KiroTool[]
}

export type KiroTool = { toolSpecification: ToolSpecification } | { cachePoint: { type: 'default' } }

export interface ToolSpecification {
  name: string
  description: string
  inputSchema: { json: JsonObject }
}

export interface ToolResult {
  toolUseId: string
  content: ToolResultContentBlock[]
  status?: 'success' | 'error'
}

export type ToolResultContentBlock = { text: string } | { json: unknown }

export interface AssistantResponseMessage {
  content: string
  messageId?: string
  toolUses?: ToolUse[]
  reasoningContent?: ReasoningContent
}

export interface ToolUse {
  toolUseId: string
  name: string
  input: JsonObject
}

/**
 * Kiro's reasoning blob, replayed on the field it arrived on (docs/protocol.md §3.9, the form OCX verified live:
 * `signature` at the top level, not the generated model's `reasoningText`).
 */
export type ReasoningContent = { signature: string } | { redactedContent: string }

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp'

export interface ImageBlock {
  format: ImageFormat
  source: { bytes: string }
}
