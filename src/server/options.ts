import type { RetryScope } from '../retry/retry-policy.js'
import type { ClientKeys } from './client-keys.js'

/** Options of {@link createAnthropicHandler}, {@link createNodeHandler} and {@link createAnthropicFetch}. */
export interface AnthropicHandlerOptions {
  /**
   * A key clients must present, as `x-api-key` or `Authorization: Bearer` (Claude Code's
   * `ANTHROPIC_API_KEY` or `ANTHROPIC_AUTH_TOKEN`). Compared in constant time. Without it, any key
   * (or none) is accepted: fine on 127.0.0.1, not on a shared network.
   */
  apiKey?: string | undefined
  /**
   * Named keys of team members, stored hashed (docs/accounts.md "Client keys"): a request
   * presenting one is let in (as `apiKey` is), the member's name goes to the hooks, and a key
   * pinned to accounts is served by those only. `apiKey`, when also given, still lets its holder in.
   */
  clientKeys?: ClientKeys | undefined
  /**
   * The key of the `/admin/accounts` routes (docs/accounts.md "Admin routes"), compared in constant
   * time. Without it those routes are not served.
   */
  adminKey?: string | undefined
  /**
   * The largest request body accepted, in bytes; a larger one gets 413 `request_too_large`.
   * Kiro itself refuses a translated request over about 600 KB, so the default leaves room for a
   * long conversation whose older images the translator drops, and no more: a bigger body could
   * only fail upstream, after costing the parse (docs/security.md, "Request limits").
   * @defaultValue 4 MiB (4 * 1024 * 1024)
   */
  maxRequestBytes?: number | undefined
  /**
   * Host names this handler answers to, matched against the `Host` header (port ignored). Any
   * other host gets 421 before anything reaches Kiro: the defence against DNS rebinding, where a
   * web page's own name is made to resolve to 127.0.0.1. Off when absent, so the handler can be
   * mounted on any domain; `kiro-client serve` sets it (docs/security.md, "Browsers").
   */
  allowedHosts?: readonly string[] | undefined
  /**
   * Origins web pages may call this handler from (`https://app.example.com`). A request with any
   * other `Origin` header gets 403 before anything reaches Kiro; requests without one (CLIs, the
   * SDKs, Claude Code) pass. Off when absent; `kiro-client serve` sets it to the origins given
   * with `--allowed-origin` (none by default).
   */
  allowedOrigins?: readonly string[] | undefined
  /**
   * A path prefix to strip before routing, for a handler mounted below the root
   * (`'/api/anthropic'` serves `/api/anthropic/v1/messages`).
   * @defaultValue `''`
   */
  basePath?: string | undefined
  /**
   * Which upstream failures the client retries before answering. `transient`: only faults the HTTP
   * client cannot see (a connection lost before the first byte, a timeout, a 5xx); a throttled or
   * busy Kiro is answered at once with 429 (or 529) and `retry-after`, for the HTTP client to retry
   * (the Anthropic SDKs and Claude Code do). `all`: the client's own policy (its `maxRetries`) first.
   * `kiro-client serve` uses `transient` (docs/server.md, "Retries").
   * @defaultValue `'all'`
   */
  retryScope?: RetryScope | undefined
  /**
   * Abort it to shut the handler down gracefully: streams in progress end at once with an
   * `event: error` frame (`overloaded_error`, "shutting down"), which the SDKs retry, instead of
   * being cut mid-frame; new requests get 503. `kiro-client serve` aborts it when its shutdown
   * deadline passes (docs/security.md, "Shutting down").
   */
  closeSignal?: AbortSignal | undefined
  /**
   * Joins the consecutive text, thinking and tool-input deltas of one block that are written
   * together (those one network read from Kiro brought) into one `content_block_delta`: fewer,
   * larger SSE frames and less CPU per answer, the same text, tool input and final message for the
   * client (docs/server.md, "Streaming"). Off, the SSE events are exactly the `MessageStream`'s.
   * `kiro-client serve` turns it on (`--no-coalesce-deltas` turns it off).
   * @defaultValue false
   */
  coalesceDeltas?: boolean | undefined
  /**
   * Called with every error answered as an HTTP error or an `event: error` frame, and with errors of
   * the handler itself; the place to log them (the library never writes to the console).
   */
  onError?: ((error: unknown, context: HandlerErrorContext) => void) | undefined
}

/** What {@link AnthropicHandlerOptions.onError} learns about the failed request. */
export interface HandlerErrorContext {
  /** The `request-id` sent to the client. */
  requestId: string
  method: string
  path: string
  /** False when the failure happened before the response started (it was answered with an HTTP status). */
  streaming: boolean
}

export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024
