/**
 * The Anthropic Messages API response shapes this library produces (docs/compatibility.md §2.3).
 *
 * Declared here rather than imported from `@anthropic-ai/sdk` so the package has no runtime or type
 * dependency on it. Each type is assignable to the SDK's type of the same name (checked by
 * test/stream/types.test.ts against both the 0.x and the 1.x SDK). Nullable fields that Kiro never
 * fills (`container`, `stop_details`, `citations`, ...) are typed as `null`.
 */

/** Why the model stopped. Kiro answers only ever produce the first four. */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'

/** A text block of the answer. */
export interface TextBlock {
  type: 'text'
  text: string
  citations: null
}

/** A tool call. `input` is the parsed JSON object the model wrote. */
export interface ToolUseBlock {
  type: 'tool_use'
  id: string
  /** The caller's tool name (Kiro-side shortened names are mapped back). */
  name: string
  input: unknown
  caller: { type: 'direct' }
}

/**
 * A thinking block. `signature` says where it came from (see `thinking-signature.ts`): tag-parsed
 * thinking or Kiro's native reasoning. Pass it back unchanged.
 */
export interface ThinkingBlock {
  type: 'thinking'
  thinking: string
  signature: string
}

/** Reasoning Kiro returned only in encrypted form (`redactedContent`, base64). */
export interface RedactedThinkingBlock {
  type: 'redacted_thinking'
  data: string
}

/** A server tool call (web search, run by the library through Kiro's `/mcp`; docs/protocol.md §9.5). */
export interface ServerToolUseBlock {
  type: 'server_tool_use'
  /** `srvtoolu_…` */
  id: string
  name: 'web_search'
  input: unknown
  caller: { type: 'direct' }
}

/** One web search result. `encrypted_content` is opaque: pass it back unchanged. */
export interface WebSearchResultBlock {
  type: 'web_search_result'
  url: string
  title: string
  encrypted_content: string
  page_age: string | null
}

/** Why a web search gave no results. */
export type WebSearchToolResultErrorCode =
  | 'invalid_tool_input'
  | 'unavailable'
  | 'max_uses_exceeded'
  | 'too_many_requests'
  | 'query_too_long'
  | 'request_too_large'

/** The results of a `server_tool_use` web search, or its error. */
export interface WebSearchToolResultBlock {
  type: 'web_search_tool_result'
  tool_use_id: string
  content:
    | WebSearchResultBlock[]
    | { type: 'web_search_tool_result_error'; error_code: WebSearchToolResultErrorCode }
  caller: { type: 'direct' }
}

export type ContentBlock =
  | TextBlock
  | ToolUseBlock
  | ThinkingBlock
  | RedactedThinkingBlock
  | ServerToolUseBlock
  | WebSearchToolResultBlock

/** Server tools the library ran for the request. */
export interface ServerToolUsage {
  web_search_requests: number
  web_fetch_requests: number
}

/**
 * Token usage, with Anthropic's meaning of each field: `input_tokens` is the uncached input only.
 */
export interface Usage {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number | null
  cache_read_input_tokens: number | null
  cache_creation: null
  /** Set when the library ran web searches for the request (docs/protocol.md §9.5). */
  server_tool_use: ServerToolUsage | null
  service_tier: 'standard' | null
  inference_geo: null
  output_tokens_details: null
  speed: null
  /** Extension: Kiro credits the request consumed (`meteringEvent.usage`), when Kiro reported them. */
  kiro_credits?: number
}

/** The cumulative usage carried by `message_delta`. */
export interface MessageDeltaUsage {
  input_tokens: number | null
  output_tokens: number
  cache_creation_input_tokens: number | null
  cache_read_input_tokens: number | null
  server_tool_use: ServerToolUsage | null
  output_tokens_details: null
  /** Extension: Kiro credits the request consumed, when Kiro reported them. */
  kiro_credits?: number
}

/**
 * Extension: Kiro cut off a tool call's input (it never finished, or its fragments are not valid
 * JSON). The answer then stops with `max_tokens` at that block; the call must not be executed.
 */
export interface KiroToolInputTruncation {
  type: 'tool_input_truncated'
  /** `stream_ended`: the response ended before the call's `stop`; `invalid_json`: the input is not a JSON object. */
  reason: 'stream_ended' | 'invalid_json'
  tool_use_id: string
  name: string
  /** Index of the tool_use block in `content`. */
  index: number
  /** Characters of input received for the call. */
  received_chars: number
  message: string
}

/** An informational Kiro event (code references, web links, citations, ...) as it arrived. */
export interface KiroSideEvent {
  /** The `:event-type`, e.g. `supplementaryWebLinksEvent`. */
  type: string
  /** The event's JSON payload, unchanged. */
  payload: unknown
}

/**
 * Extension: what Kiro said about the response beyond the Anthropic fields (docs/protocol.md §4.2,
 * §9.4). Present on `message_delta` and on the accumulated `Message` when Kiro sent them.
 */
export interface KiroResponseInfo {
  /** `metadataEvent.stopReason` (or `messageStopEvent.stopReason`) as Kiro spelled it, e.g. `END_TURN`. */
  kiro_stop_reason?: string
  /** `assistantResponseEvent.modelId`: the model that answered (the router's choice for `auto`). */
  kiro_model_id?: string
  /** `messageMetadataEvent.conversationId`. */
  kiro_conversation_id?: string
  /** `messageMetadataEvent.utteranceId`. */
  kiro_utterance_id?: string
  /** The last `contextUsagePercentage` (0-100): how full the model's context window is after the answer. */
  kiro_context_usage_percentage?: number
  /** Informational events, in order (at most 100 of them, 64 KiB in all). */
  kiro_events?: KiroSideEvent[]
}

/** A complete assistant message. */
export interface Message extends KiroResponseInfo {
  id: string
  type: 'message'
  role: 'assistant'
  /** The model name the caller asked for. */
  model: string
  content: ContentBlock[]
  stop_reason: StopReason | null
  stop_sequence: string | null
  stop_details: null
  container: null
  diagnostics: null
  usage: Usage
  /** Extension: present when a tool call's input was cut off (then `stop_reason` is `max_tokens`). */
  kiro_truncation?: KiroToolInputTruncation
}

export interface TextDelta {
  type: 'text_delta'
  text: string
}

export interface InputJSONDelta {
  type: 'input_json_delta'
  partial_json: string
}

export interface ThinkingDelta {
  type: 'thinking_delta'
  thinking: string
}

export interface SignatureDelta {
  type: 'signature_delta'
  signature: string
}

export type RawContentBlockDelta = TextDelta | InputJSONDelta | ThinkingDelta | SignatureDelta

export interface RawMessageStartEvent {
  type: 'message_start'
  message: Message
}

export interface RawMessageDeltaEvent extends KiroResponseInfo {
  type: 'message_delta'
  delta: {
    stop_reason: StopReason | null
    stop_sequence: string | null
    stop_details: null
    container: null
  }
  usage: MessageDeltaUsage
  /** Extension: see {@link KiroToolInputTruncation}. */
  kiro_truncation?: KiroToolInputTruncation
}

export interface RawMessageStopEvent {
  type: 'message_stop'
}

export interface RawContentBlockStartEvent {
  type: 'content_block_start'
  index: number
  content_block: ContentBlock
}

export interface RawContentBlockDeltaEvent {
  type: 'content_block_delta'
  index: number
  delta: RawContentBlockDelta
}

export interface RawContentBlockStopEvent {
  type: 'content_block_stop'
  index: number
}

/** One event of an Anthropic message stream (ping and error frames are SSE-level, not events here). */
export type RawMessageStreamEvent =
  | RawMessageStartEvent
  | RawMessageDeltaEvent
  | RawMessageStopEvent
  | RawContentBlockStartEvent
  | RawContentBlockDeltaEvent
  | RawContentBlockStopEvent

/** Alias used by `@anthropic-ai/sdk`. */
export type MessageStreamEvent = RawMessageStreamEvent
