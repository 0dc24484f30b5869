import type { RetryScope } from '../retry/retry-policy.js'

/** Options of {@link createAnthropicHandler}, {@link createNodeHandler} and {@link createAnthropicFetch}. */
export interface AnthropicHandlerOptions {
  /**
   * A key clients must present, as `x-api-key` or `Authorization: Bearer` (Claude Code's
   * `ANTHROPIC_API_KEY` or `ANTHROPIC_AUTH_TOKEN`). Compared in constant time. Without it, any key
   * (or none) is accepted: fine on 127.0.0.1, not on a shared network.
   */
  apiKey?: string | undefined
  /**
   * The largest request body accepted, in bytes; a larger one gets 413 `request_too_large`.
   * @defaultValue 20 MB (20 * 1024 * 1024)
   */
  maxRequestBytes?: number | undefined
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

export const DEFAULT_MAX_REQUEST_BYTES = 20 * 1024 * 1024
