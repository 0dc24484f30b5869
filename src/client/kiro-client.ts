import { resolveCredentials } from '../auth/resolve-credentials.js'
import type { CredentialsProvider } from '../auth/types.js'
import { fetchAccountModels } from '../models/account-models.js'
import { ModelCatalog } from '../models/model-catalog.js'
import { MessageStream } from '../stream/message-stream.js'
import { DEFAULT_MAX_BODY_BYTES } from '../translate/size.js'
import { estimateInputTokens } from '../translate/token-estimate.js'
import { defaultMachineIdSeed, machineId as deriveMachineId } from '../transport/machine-id.js'
import type { MessageCountTokensParams, MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import { hasWebSearchTool, webSearchProducer } from '../websearch/web-search-producer.js'
import { DEFAULT_REGION, regionOfProfileArn, resolveBaseURL, resolveEndpoint } from './endpoint.js'
import { type ModelInfo, type ModelsPage, toModelsPage } from './models.js'
import {
  type CheckedRequestOptions,
  checkClientOptions,
  checkRequestOptions,
  type KiroClientOptions,
  type RequestOptions,
} from './options.js'
import { ProfileResolver } from './profile-resolver.js'
import type { ClientSettings } from './request-context.js'
import { requestProducer } from './request-pipeline.js'

/** A `Message` as returned by `create()`, with the request id as the Anthropic SDK gives it. */
export type MessageWithRequestId = Message & { readonly _request_id?: string | null | undefined }

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
  readonly messages: {
    /** Streams a message: synchronous, like the Anthropic SDK's `messages.stream()`. */
    stream(params: MessageCreateParams, options?: RequestOptions): MessageStream
    /** Creates a message and resolves with it once complete (`stream: true` returns the stream instead). */
    create(
      params: MessageCreateParams & { stream?: false },
      options?: RequestOptions,
    ): Promise<MessageWithRequestId>
    create(params: MessageCreateParams & { stream: true }, options?: RequestOptions): MessageStream
    /** A local estimate of the request's input tokens (Kiro has no counting endpoint); see the README for its accuracy. */
    countTokens(params: MessageCountTokensParams, options?: RequestOptions): Promise<{ input_tokens: number }>
  }
  readonly models: {
    /**
     * The login's models from Kiro's `ListAvailableModels` (fetched once, kept for an hour), else the
     * built-in table; Anthropic list shape with each model's window, output cap and native efforts.
     */
    list(options?: RequestOptions): Promise<ModelsPage>
  }

  readonly #settings: ClientSettings

  /**
   * @throws ConfigurationError naming the option, for a bad or unknown option; CredentialsError
   *   (`invalid_credentials`) for bad `credentials` content. Nothing is read or sent yet.
   */
  constructor(options: KiroClientOptions = {}) {
    const checked = checkClientOptions(options)
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
    const machineId = deriveMachineId(checked.machineId ?? defaultMachineIdSeed())
    // With a fixed base URL every call goes there; otherwise the account services pick their regions.
    const fixedBaseURL =
      checked.baseURL === undefined ? undefined : resolveBaseURL(checked.baseURL, DEFAULT_REGION)
    const profiles = new ProfileResolver({
      baseURL: fixedBaseURL,
      fetch: checked.fetch,
      machineId,
      headers: checked.defaultHeaders,
      timeouts: checked.timeout ?? {},
    })
    const catalog = new ModelCatalog({
      load: async (signal) => {
        const token = await this.credentials.getToken({ signal })
        const endpoint = resolveEndpoint(endpointOptions, token, await profiles.profileArnFor(token, signal))
        return fetchAccountModels({
          token,
          region: checked.region ?? regionOfProfileArn(endpoint.profileArn) ?? DEFAULT_REGION,
          profileArn: endpoint.profileArn,
          baseURL: fixedBaseURL,
          fetch: checked.fetch,
          machineId,
          headers: checked.defaultHeaders,
          timeouts: checked.timeout,
          signal,
        })
      },
    })
    const settings: ClientSettings = {
      credentials: this.credentials,
      endpoint: (token, lookedUp) => resolveEndpoint(endpointOptions, token, lookedUp),
      profiles,
      modelLimits: (kiroModelId) => catalog.limits(kiroModelId),
      fetch: checked.fetch,
      machineId,
      hooks: checked.hooks ?? {},
      timeouts: checked.timeout ?? {},
      maxRetries: checked.maxRetries ?? 3,
      maxRetryAfterMs: checked.maxRetryAfterMs,
      headers: checked.defaultHeaders,
      profileArn: checked.profileArn,
      modelMap: checked.modelMap,
      trimHistory: checked.trimHistory,
      diagnose400: checked.diagnose400,
      maxBodyBytes: checked.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }
    this.#settings = settings

    // Per-request options are checked when the call is made: `stream()` throws, the promises reject.
    const stream = (params: MessageCreateParams, requestOptions?: RequestOptions): MessageStream =>
      this.#stream(params, checkRequestOptions(requestOptions))
    const create = ((params: MessageCreateParams, requestOptions?: RequestOptions) => {
      if (params.stream === true) return stream(params, requestOptions)
      let messageStream: MessageStream
      try {
        messageStream = stream(params, requestOptions)
      } catch (error) {
        return Promise.reject(error)
      }
      return messageStream.finalMessage().then((message) => {
        Object.defineProperty(message, '_request_id', { value: messageStream.request_id, enumerable: false })
        return message as MessageWithRequestId
      })
    }) as KiroClient['messages']['create']
    this.messages = {
      stream,
      create,
      countTokens: async (params, requestOptions) => {
        checkRequestOptions(requestOptions)
        return { input_tokens: estimateInputTokens(params) }
      },
    }
    this.models = {
      list: async (requestOptions) =>
        toModelsPage(await catalog.list(checkRequestOptions(requestOptions).signal)),
    }
  }

  /** Stops background work (the proactive token refresh timer). Requests made later still work. */
  close(): void {
    this.credentials.close()
  }

  #stream(params: MessageCreateParams, requestOptions: CheckedRequestOptions): MessageStream {
    // Translated inside the producer so that a bad request surfaces through the stream (and
    // `onEnd`), like any other failure; it still happens before anything is sent.
    // A web search tool turns one response into rounds of requests (docs/protocol.md §9.5).
    const producer = hasWebSearchTool(params.tools) ? webSearchProducer : requestProducer
    return new MessageStream(producer(this.#settings, params, requestOptions, performance.now()), {
      signal: requestOptions.signal,
    })
  }
}

export type { KiroClientOptions, ModelInfo, ModelsPage, RequestOptions }
