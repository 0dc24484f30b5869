/**
 * The Anthropic Messages API request, as this library accepts it: both API dialects (2023-06-01,
 * sent by Claude Code and `@anthropic-ai/sdk` 0.x; 2026-10-21, sent by 1.x). Lenient by design:
 * every field either dialect defines is accepted, and params typed with either SDK line are
 * assignable to these types. Our own declarations, so the library never imports the SDK.
 */

/** `{ type: 'ephemeral' }` cache marker. Accepted anywhere; Kiro has no prompt caching API. */
export interface CacheControlEphemeral {
  type: 'ephemeral'
  ttl?: '5m' | '1h' | null | undefined
}

type CacheControl = CacheControlEphemeral | null | undefined

/** A text block. */
export interface TextBlockParam {
  type: 'text'
  text: string
  cache_control?: CacheControl
  citations?: readonly unknown[] | null | undefined
}

/** An image: base64 is the only source Kiro can take. */
export interface ImageBlockParam {
  type: 'image'
  source: Base64ImageSource | URLImageSource | FileSource
  cache_control?: CacheControl
  transformations?: unknown
}

export interface Base64ImageSource {
  type: 'base64'
  media_type: 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp'
  data: string
}

export interface URLImageSource {
  type: 'url'
  url: string
}

export interface FileSource {
  type: 'file'
  file_id: string
}

/** A document. Plain-text and `content` sources are sent as text; PDFs are not supported by Kiro. */
export interface DocumentBlockParam {
  type: 'document'
  source: Base64PDFSource | PlainTextSource | ContentBlockSource | URLPDFSource | FileSource
  title?: string | null | undefined
  context?: string | null | undefined
  citations?: unknown
  cache_control?: CacheControl
}

export interface Base64PDFSource {
  type: 'base64'
  media_type: 'application/pdf'
  data: string
}

export interface PlainTextSource {
  type: 'text'
  media_type: 'text/plain'
  data: string
}

export interface ContentBlockSource {
  type: 'content'
  content: string | ReadonlyArray<TextBlockParam | ImageBlockParam>
}

export interface URLPDFSource {
  type: 'url'
  url: string
}

/** A search result (sent as text). */
export interface SearchResultBlockParam {
  type: 'search_result'
  source: string
  title: string
  content: readonly TextBlockParam[]
  citations?: unknown
  cache_control?: CacheControl
}

/** A thinking block from an earlier answer, passed back unchanged. */
export interface ThinkingBlockParam {
  type: 'thinking'
  thinking: string
  signature: string
}

/** A redacted thinking block from an earlier answer, passed back unchanged. */
export interface RedactedThinkingBlockParam {
  type: 'redacted_thinking'
  data: string
}

/** A tool call from an earlier answer. */
export interface ToolUseBlockParam {
  type: 'tool_use'
  id: string
  name: string
  input: unknown
  cache_control?: CacheControl
  caller?: unknown
}

/** A tool reference inside a tool result (tool search). */
export interface ToolReferenceBlockParam {
  type: 'tool_reference'
  tool_name: string
  cache_control?: CacheControl
}

/** The result of a tool call, in the user turn right after the call. */
export interface ToolResultBlockParam {
  type: 'tool_result'
  tool_use_id: string
  content?:
    | string
    | ReadonlyArray<
        | TextBlockParam
        | ImageBlockParam
        | SearchResultBlockParam
        | DocumentBlockParam
        | ToolReferenceBlockParam
        | BrowserStateBlockParam
      >
  is_error?: boolean | undefined
  cache_control?: CacheControl
  toolset_name?: string | null | undefined
}

/** Browser state (1.x); sent as JSON text. */
export interface BrowserStateBlockParam {
  type: 'browser_state'
  tabs: readonly unknown[]
  cache_control?: CacheControl
}

/** A call of an Anthropic server tool (web search, code execution, ...) from an earlier answer. */
export interface ServerToolUseBlockParam {
  type: 'server_tool_use'
  id: string
  name: string
  input: unknown
  cache_control?: CacheControl
  caller?: unknown
}

/** The result of an Anthropic server tool from an earlier answer. */
export interface ServerToolResultBlockParam {
  type:
    | 'web_search_tool_result'
    | 'web_fetch_tool_result'
    | 'code_execution_tool_result'
    | 'bash_code_execution_tool_result'
    | 'text_editor_code_execution_tool_result'
    | 'tool_search_tool_result'
  tool_use_id: string
  content: unknown
  cache_control?: CacheControl
  caller?: unknown
}

/** A file uploaded to a code-execution container. */
export interface ContainerUploadBlockParam {
  type: 'container_upload'
  file_id: string
  cache_control?: CacheControl
}

/** Any content block of a request message. */
export type ContentBlockParam =
  | TextBlockParam
  | ImageBlockParam
  | DocumentBlockParam
  | SearchResultBlockParam
  | ThinkingBlockParam
  | RedactedThinkingBlockParam
  | ToolUseBlockParam
  | ToolResultBlockParam
  | ServerToolUseBlockParam
  | ServerToolResultBlockParam
  | ContainerUploadBlockParam

/**
 * One message. `role: 'system'` (2026-10-21, also sent by Claude Code under 2023-06-01) carries
 * instructions at that point of the conversation.
 */
export interface MessageParam {
  role: 'user' | 'assistant' | 'system'
  content: string | readonly ContentBlockParam[]
}

/** A tool the caller defines. */
export interface Tool {
  name: string
  description?: string | undefined
  input_schema: ToolInputSchema
  type?: 'custom' | null | undefined
  cache_control?: CacheControl
  strict?: boolean | undefined
  defer_loading?: boolean | undefined
  eager_input_streaming?: boolean | null | undefined
  input_examples?: readonly unknown[] | undefined
  allowed_callers?: readonly string[] | undefined
}

/** JSON Schema of a tool's input (any draft; cleaned before it is sent). */
export interface ToolInputSchema {
  type: 'object'
  properties?: unknown
  required?: readonly string[] | null | undefined
  [key: string]: unknown
}

/**
 * Anthropic's web search tool (`web_search_20250305`, `web_search_20260209`, ...): the library runs
 * the searches through Kiro's `/mcp` endpoint (docs/protocol.md §9.5).
 */
export interface WebSearchTool {
  type: `web_search_${string}`
  name: 'web_search'
  /** The most searches for the whole request. */
  max_uses?: number | null | undefined
  /** Results only from these domains (and their subdomains). Not with `blocked_domains`. */
  allowed_domains?: string[] | null | undefined
  /** Results never from these domains. Not with `allowed_domains`. */
  blocked_domains?: string[] | null | undefined
  /** Accepted; Kiro's search takes no location. */
  user_location?: unknown
  cache_control?: CacheControl
}

/**
 * Another Anthropic-defined tool (`code_execution_*`, `bash_20250124`, `text_editor_*`, ...).
 * Kiro cannot run these: they are dropped and reported.
 */
export interface ServerTool {
  type: string
  /** Absent on toolsets (`browser_toolset_*`, `computer_toolset_*`). */
  name?: string | undefined
  cache_control?: CacheControl
}

/** A tool definition of either kind. */
export type ToolUnion = Tool | WebSearchTool | ServerTool

export type ToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean | undefined }
  | { type: 'any'; disable_parallel_tool_use?: boolean | undefined }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean | undefined }
  | { type: 'none' }

/** Extended thinking. */
export type ThinkingConfigParam =
  | { type: 'enabled'; budget_tokens: number; display?: 'summarized' | 'omitted' | null | undefined }
  | { type: 'adaptive'; display?: 'summarized' | 'omitted' | null | undefined }
  | { type: 'disabled' }
  | { type: 'between_tools' }

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max'

/** `output_config` (2026-10-21; Claude Code sends `effort` under both dialects). */
export interface OutputConfig {
  effort?: Effort | null | undefined
  format?: unknown
}

/** Claude Code puts a JSON string with `session_id` in `user_id`. */
export interface Metadata {
  user_id?: string | null | undefined
}

/** The body of `POST /v1/messages`, either dialect. */
export interface MessageCreateParams {
  model: string
  messages: readonly MessageParam[]
  /** Required by Anthropic; Kiro has no such field, so it is accepted and reported as ignored. */
  max_tokens?: number | undefined
  system?: string | readonly TextBlockParam[] | undefined
  tools?: readonly ToolUnion[] | undefined
  tool_choice?: ToolChoice | undefined
  thinking?: ThinkingConfigParam | undefined
  output_config?: OutputConfig | undefined
  metadata?: Metadata | undefined
  stop_sequences?: readonly string[] | undefined
  stream?: boolean | undefined
  /** 2023-06-01 only. */
  temperature?: number | undefined
  /** 2023-06-01 only. */
  top_p?: number | undefined
  /** 2023-06-01 only. */
  top_k?: number | undefined
  cache_control?: CacheControl
  container?: unknown
  context_management?: unknown
  diagnostics?: unknown
  inference_geo?: string | null | undefined
  mcp_servers?: unknown
  service_tier?: 'auto' | 'standard_only' | undefined
  speed?: 'standard' | 'fast' | null | undefined
  user_profile_id?: string | undefined
  workspace_id?: string | undefined
  betas?: readonly string[] | undefined
  /** Claude Code's auto-mode safeguards request; accepted and listed in `ignored` (docs/claude-code.md). */
  safeguards?: unknown
}

/** `MessageCreateParams` for `create()` resolving with a whole `Message`. */
export interface MessageCreateParamsNonStreaming extends MessageCreateParams {
  stream?: false | undefined
}

/** `MessageCreateParams` for a streamed answer (`create({ stream: true })` returns a `MessageStream`). */
export interface MessageCreateParamsStreaming extends MessageCreateParams {
  stream: true
}

/** The body of `POST /v1/messages/count_tokens`. */
export type MessageCountTokensParams = Pick<
  MessageCreateParams,
  'model' | 'messages' | 'system' | 'tools' | 'tool_choice' | 'thinking' | 'output_config'
>
