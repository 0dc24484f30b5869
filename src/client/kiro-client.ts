import { resolveCredentials } from '../auth/resolve-credentials.js'
import type { CredentialsProvider } from '../auth/types.js'
import { MessageStream } from '../stream/message-stream.js'
import { DEFAULT_MAX_BODY_BYTES } from '../translate/size.js'
import { defaultMachineIdSeed, machineId as deriveMachineId } from '../transport/machine-id.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import { resolveEndpoint } from './endpoint.js'
import { type BetaMessages, type Messages, type MessageWithRequestId, messagesApi } from './messages-api.js'
import { listModels, type ModelInfo, type ModelsPage } from './models.js'
import { type Models, modelsApi } from './models-api.js'
import {
  type CheckedRequestOptions,
  checkClientOptions,
  checkRequestOptions,
  type KiroClientOptions,
  type RequestOptions,
} from './options.js'
import type { ClientSettings } from './request-context.js'
import { requestProducer } from './request-pipeline.js'

/**
 * A client for Kiro's model service that speaks the Anthropic Messages API.
 *
 * @example
 * ```ts
 * const client = new KiroClient()
 * const stream = client.messages.stream({
 *   model: 'claude-sonnet-4-5',
 *   max_tokens: 1024,
 *   messages: [{ role: 'user', content: 'Hello' }],
 * })
 * for await (const event of stream) console.log(event.type)
 * ```
 */
export class KiroClient {
  /** The credentials in use (`describe()` tells which, never a secret). */
  readonly credentials: CredentialsProvider
  /** `create`, `stream` and `countTokens`, as on `@anthropic-ai/sdk`'s client. */
  readonly messages: Messages
  /** The same methods, typed for the SDK's beta parameters (`client.beta.messages`). */
  readonly beta: { readonly messages: BetaMessages }
  /** `list` and `retrieve`, as on `@anthropic-ai/sdk`'s client. */
  readonly models: Models

  readonly #options: KiroClientOptions
  readonly #settings: ClientSettings

  /**
   * @throws ConfigurationError naming the option, for a bad or unknown option; CredentialsError
   *   (`invalid_credentials`) for bad `credentials` content. Nothing is read or sent yet.
   */
  constructor(options: KiroClientOptions = {}) {
    const checked = checkClientOptions(options)
    this.#options = options
    this.credentials = resolveCredentials(checked.credentials, {
      ...(checked.fetch ? { fetch: checked.fetch } : {}),
      ...(checked.hooks?.onTokenRefresh ? { onRefresh: checked.hooks.onTokenRefresh } : {}),
      ...(checked.refreshEndpoints ? { refreshEndpoints: checked.refreshEndpoints } : {}),
    })
    const endpointOptions = {
      region: checked.region,
      baseURL: checked.baseURL,
      profileArn: checked.profileArn,
    }
    const settings: ClientSettings = {
      credentials: this.credentials,
      endpoint: (token) => resolveEndpoint(endpointOptions, token),
      fetch: checked.fetch,
      machineId: deriveMachineId(checked.machineId ?? defaultMachineIdSeed()),
      hooks: checked.hooks ?? {},
      timeouts: checked.timeout ?? {},
      maxRetries: checked.maxRetries ?? 3,
      retryScope: checked.retryScope,
      maxRetryAfterMs: checked.maxRetryAfterMs,
      headers: checked.defaultHeaders,
      profileArn: checked.profileArn,
      modelMap: checked.modelMap,
      trimHistory: checked.trimHistory,
      trimImages: checked.trimImages,
      maxBodyBytes: checked.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }
    this.#settings = settings

    // Per-request options are checked when the call is made: `stream()` throws, the promises reject.
    const messages = messagesApi(
      (params, requestOptions) => this.#stream(params, checkRequestOptions(requestOptions)),
      (requestOptions) => {
        checkRequestOptions(requestOptions)
      },
    )
    this.messages = messages
    this.beta = { messages }
    this.models = modelsApi(async (requestOptions) =>
      listModels(settings, checkRequestOptions(requestOptions)),
    )
  }

  /**
   * A client with some options changed, sharing this one's credentials (and so its token and its
   * refresh): `client.withOptions({ maxRetries: 0 }).messages.create(...)`, as with the SDK.
   * Closing either client stops the shared refresh timer.
   */
  withOptions(options: Partial<KiroClientOptions>): KiroClient {
    const merged: KiroClientOptions = { ...this.#options, ...options }
    // The login is shared, whichever way it was given (`credentials` or `apiKey`).
    if (options.credentials === undefined && options.apiKey === undefined) {
      delete merged.apiKey
      merged.credentials = this.credentials
    }
    return new KiroClient(merged)
  }

  /** Stops background work (the proactive token refresh timer). Requests made later still work. */
  close(): void {
    this.credentials.close()
  }

  #stream(params: MessageCreateParams, requestOptions: CheckedRequestOptions): MessageStream {
    // Translated inside the producer so that a bad request surfaces through the stream (and
    // `onEnd`), like any other failure; it still happens before anything is sent.
    return new MessageStream(requestProducer(this.#settings, params, requestOptions, performance.now()), {
      signal: requestOptions.signal,
    })
  }
}

export type { KiroClientOptions, MessageWithRequestId, ModelInfo, ModelsPage, RequestOptions }
