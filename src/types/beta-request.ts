/**
 * The parameters of `client.beta.messages`, loose enough that the params of `@anthropic-ai/sdk`'s
 * `client.beta.messages` (0.x and 1.x) are accepted as they are (checked by
 * test/client/types.test.ts). The translator checks each field at run time as it does for
 * `client.messages`; beta-only fields Kiro has no use for are listed in `ignored`.
 */

/** A message of a beta request: the roles and contents of either SDK line. */
export interface BetaMessageParam {
  role: 'user' | 'assistant' | 'system'
  /** Optional only on `role: "system"` messages of the 1.x beta. */
  content?: string | readonly unknown[] | undefined
  /** 1.x beta `role: "system"` messages. */
  clear_at?: unknown
  output_config?: unknown
}

/** `client.beta.messages.create()` / `stream()` params. */
export interface BetaMessageCreateParams {
  model: string
  messages: readonly BetaMessageParam[]
  max_tokens?: number | undefined
  stream?: boolean | undefined
  /** Sent as the `anthropic-beta` header by the SDK; accepted and listed in `ignored` here. */
  betas?: readonly string[] | undefined
  system?: unknown
  tools?: unknown
  tool_choice?: unknown
  thinking?: unknown
  output_config?: unknown
  output_format?: unknown
  metadata?: unknown
  stop_sequences?: unknown
  temperature?: unknown
  top_p?: unknown
  top_k?: unknown
  cache_control?: unknown
  compaction?: unknown
  container?: unknown
  context_management?: unknown
  diagnostics?: unknown
  fallback_credit_token?: unknown
  fallbacks?: unknown
  inference_geo?: unknown
  mcp_servers?: unknown
  service_tier?: unknown
  speed?: unknown
  thread?: unknown
  billing_policy?: unknown
  /** Claude Code's auto-mode safeguards (beta `dangerous-tool-use-2026-09-03`); see docs/claude-code.md. */
  safeguards?: unknown
  user_profile_id?: unknown
  workspace_id?: unknown
}

/** `client.beta.messages.countTokens()` params. */
export type BetaMessageCountTokensParams = Omit<
  BetaMessageCreateParams,
  | 'max_tokens'
  | 'stream'
  | 'metadata'
  | 'stop_sequences'
  | 'temperature'
  | 'top_p'
  | 'top_k'
  | 'container'
  | 'diagnostics'
  | 'fallback_credit_token'
  | 'fallbacks'
  | 'inference_geo'
  | 'service_tier'
  | 'thread'
>
