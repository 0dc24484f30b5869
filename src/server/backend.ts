import type { AccountStatus } from '../accounts/account-status.js'
import type { RetryScope } from '../retry/retry-policy.js'
import type { MessageStream } from '../stream/message-stream.js'
import type { MessageCountTokensParams, MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import type { ModelPage } from './models-page.js'

/**
 * The per-request options the server passes on: the signal that ends with the client's
 * connection, and with named client keys who the caller is and the accounts it is pinned to.
 */
export interface BackendRequestOptions {
  /** Ends with the client's connection. */
  signal?: AbortSignal
  member?: string | undefined
  accounts?: readonly string[] | undefined
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
  /** The account pool, for the `/admin` routes (docs/accounts.md); `KiroClient` has one. */
  accounts?: {
    list(): Promise<readonly AccountStatus[]>
    enable(id: string): Promise<void>
    disable(id: string): Promise<void>
  }
}
