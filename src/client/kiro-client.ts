import { resolveCredentials } from '../auth/resolve-credentials.js'
import type { CredentialsProvider } from '../auth/types.js'
import { Telemetry } from '../observability/telemetry.js'
import { MessageStream } from '../stream/message-stream.js'
import { DEFAULT_MAX_BODY_BYTES } from '../translate/size.js'
import { estimateInputTokens } from '../translate/token-estimate.js'
import { defaultMachineIdSeed, machineId as deriveMachineId } from '../transport/machine-id.js'
import type { MessageCountTokensParams, MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import { resolveEndpoint } from './endpoint.js'
import { listModels, type ModelsPage } from './models.js'
import {
  type CheckedRequestOptions,
  checkClientOptions,
  checkRequestOptions,
  type KiroClientOptions,
  type RequestOptions,
} from './options.js'
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
    /** Kiro's `ListAvailableModels` where the host serves it, otherwise the built-in table; Anthropic list shape. */
    list(options?: RequestOptions): Promise<ModelsPage>
  }

  readonly #settings: ClientSettings
  readonly #telemetry: Telemetry

  /**
   * @throws ConfigurationError naming the option, for a bad or unknown option; CredentialsError
   *   (`invalid_credentials`) for bad `credentials` content. Nothing is read or sent yet.
   */
  constructor(options: KiroClientOptions = {}) {
    const checked = checkClientOptions(options)
    // Logging and OpenTelemetry subscribe to the hooks (docs/observability.md).
    const telemetry = new Telemetry(checked)
    this.#telemetry = telemetry
    this.credentials = resolveCredentials(checked.credentials, {
      ...(checked.fetch ? { fetch: checked.fetch } : {}),
      ...(telemetry.onRefresh ? { onRefresh: telemetry.onRefresh } : {}),
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
      hooks: telemetry.userHooks,
      timeouts: checked.timeout ?? {},
      maxRetries: checked.maxRetries ?? 3,
      maxRetryAfterMs: checked.maxRetryAfterMs,
      headers: checked.defaultHeaders,
      profileArn: checked.profileArn,
      modelMap: checked.modelMap,
      trimHistory: checked.trimHistory,
      maxBodyBytes: checked.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    }
    this.#settings = settings

    // Per-request options are checked when the call is made: `stream()` throws, the promises reject.
    const stream = (params: MessageCreateParams, requestOptions?: RequestOptions): MessageStream =>
      this.#stream(params, checkRequestOptions(requestOptions), true)
    const create = ((params: MessageCreateParams, requestOptions?: RequestOptions) => {
      if (params.stream === true) return stream(params, requestOptions)
      let messageStream: MessageStream
      try {
        messageStream = this.#stream(params, checkRequestOptions(requestOptions), false)
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
      list: async (requestOptions) => listModels(settings, checkRequestOptions(requestOptions)),
    }
  }

  /** Stops background work (the proactive token refresh timer). Requests made later still work. */
  close(): void {
    this.credentials.close()
  }

  #stream(
    params: MessageCreateParams,
    requestOptions: CheckedRequestOptions,
    streaming: boolean,
  ): MessageStream {
    // The hooks of this request: the user's alone unless a logger or OpenTelemetry listens now.
    const hooks = this.#telemetry.hooks()
    const settings = hooks === this.#settings.hooks ? this.#settings : { ...this.#settings, hooks }
    // Translated inside the producer so that a bad request surfaces through the stream (and
    // `onEnd`), like any other failure; it still happens before anything is sent.
    return new MessageStream(
      requestProducer(settings, params, requestOptions, performance.now(), streaming),
      {
        signal: requestOptions.signal,
      },
    )
  }
}

export type { KiroClientOptions, RequestOptions }
