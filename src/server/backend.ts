import type { RetryScope } from '../retry/retry-policy.js'
import type { MessageStream } from '../stream/message-stream.js'
import type { MessageCountTokensParams, MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import type { ModelPage } from './models-page.js'

/** The per-request options the server passes on. */
export interface BackendRequestOptions {
  /** Ends with the client's connection. */
  signal?: AbortSignal
  /** Which upstream failures the backend retries itself (the handler's `retryScope`). */
  retryScope?: RetryScope
}

/**
 * What the server helpers need of a client: the `messages` and `models` surface of `KiroClient`,
 * declared structurally so the server depends on no concrete client (and tests can pass a fake).
 */
export interface AnthropicBackend {
  messages: {
    stream(params: MessageCreateParams, options?: BackendRequestOptions): MessageStream
    create(params: MessageCreateParams, options?: BackendRequestOptions): Promise<Message>
    countTokens(
      params: MessageCountTokensParams,
      options?: BackendRequestOptions,
    ): Promise<{ input_tokens: number }>
  }
  models: {
    list(options?: BackendRequestOptions): Promise<ModelPage>
  }
}
