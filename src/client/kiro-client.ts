import type { RefreshEndpoints } from '../auth/refresh/endpoints.js'
import { type CredentialsInput, resolveCredentials } from '../auth/resolve-credentials.js'
import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import { ConfigurationError } from '../errors/configuration-error.js'
import { fetchAccountModels } from '../models/account-models.js'
import { ModelCatalog } from '../models/model-catalog.js'
import { MessageStream } from '../stream/message-stream.js'
import { DEFAULT_MAX_BODY_BYTES } from '../translate/size.js'
import { toKiroRequest } from '../translate/to-kiro-request.js'
import { estimateInputTokens } from '../translate/token-estimate.js'
import { defaultMachineIdSeed, machineId as deriveMachineId } from '../transport/machine-id.js'
import { type KiroTimeouts, resolveTimeouts } from '../transport/timeouts.js'
import type { MessageCountTokensParams, MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import type { KiroHooks } from './hooks.js'
import { type ModelInfo, type ModelsPage, toModelsPage } from './models.js'
import { regionOfProfileArn, resolveBaseURL, validateRegion } from './options.js'
import { ProfileResolver } from './profile-resolver.js'
import { PROFILE_ARN_ROOM } from './request-body.js'
import { runRequest } from './request-pipeline.js'

/** Options of {@link KiroClient}. Every one is optional. */
export interface KiroClientOptions {
  /**
   * A credentials provider, static credentials, `{ apiKey: 'ksk_…' }`, `{ tokenFile }` or
   * `{ kiroCliDb }`. @defaultValue the Kiro login found on this machine (see the README's lookup order)
   */
  credentials?: CredentialsInput | undefined
  /**
   * API region. @defaultValue the region of the profile ARN, else `us-east-1`
   */
  region?: string | undefined
  /** @defaultValue `https://q.{region}.amazonaws.com`; plain `http` only for loopback hosts */
  baseURL?: string | undefined
  /** Sent as `profileArn`. @defaultValue the token's profile ARN, when it has one */
  profileArn?: string | undefined
  /** @defaultValue `globalThis.fetch`, looked up at call time */
  fetch?: typeof globalThis.fetch | undefined
  /** In ms. @defaultValue `{ response: 60_000, idle: 120_000 }` and no total */
  timeout?: Partial<KiroTimeouts> | undefined
  /** Retries after the first attempt, only before the first event reaches the caller. @defaultValue 3 */
  maxRetries?: number | undefined
  /** The longest `Retry-After` honoured; a longer demanded wait fails at once. @defaultValue 60_000 */
  maxRetryAfterMs?: number | undefined
  hooks?: KiroHooks | undefined
  /** Added to every Kiro request (after the protocol headers, so they can override them). */
  defaultHeaders?: Record<string, string> | undefined
  /** Anthropic model name -> Kiro model id, consulted before the built-in table. */
  modelMap?: Record<string, string> | undefined
  /** Drop the oldest whole turns of an oversize conversation instead of failing. @defaultValue false */
  trimHistory?: boolean | undefined
  /**
   * Largest serialized Kiro body. When the profile ARN comes from the login rather than
   * `profileArn`, 256 bytes of it are kept free for the ARN, which is added after translation.
   * @defaultValue 600_000 (Kiro's measured limit)
   */
  maxBodyBytes?: number | undefined
  /** 64-hex machine id for the user-agent, or a seed to derive one from. @defaultValue derived from host and user */
  machineId?: string | undefined
  /** Token refresh endpoints (tests, other regions). */
  refreshEndpoints?: RefreshEndpoints | undefined
}

/** Per-request options. */
export interface RequestOptions {
  /** Aborts the request, the body read, retry waits and token refresh. */
  signal?: AbortSignal | undefined
  /** Overrides the client's timeouts for this request. */
  timeout?: Partial<KiroTimeouts> | undefined
  maxRetries?: number | undefined
  /** Extra headers for this request's Kiro calls. */
  headers?: Record<string, string> | undefined
}

/** A `Message` as returned by `create()`, with the request id as the Anthropic SDK gives it. */
export type MessageWithRequestId = Message & { readonly _request_id?: string | null | undefined }

const DEFAULT_REGION = 'us-east-1'

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

  readonly #options: KiroClientOptions
  readonly #region: string | undefined
  readonly #machineId: string
  readonly #profiles: ProfileResolver
  readonly #catalog: ModelCatalog

  constructor(options: KiroClientOptions = {}) {
    this.#options = options
    if (options.region !== undefined) this.#region = validateRegion(options.region)
    else this.#region = regionOfProfileArn(options.profileArn)
    // Validated now so that a bad URL fails at construction, not at the first request.
    if (options.baseURL !== undefined) resolveBaseURL(options.baseURL, this.#region ?? DEFAULT_REGION)
    checkOptions(options)
    this.#machineId = deriveMachineId(options.machineId ?? defaultMachineIdSeed())
    this.credentials = resolveCredentials(options.credentials, {
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.hooks?.onTokenRefresh ? { onRefresh: options.hooks.onTokenRefresh } : {}),
      ...(options.refreshEndpoints ? { refreshEndpoints: options.refreshEndpoints } : {}),
    })

    const stream = (params: MessageCreateParams, requestOptions: RequestOptions = {}): MessageStream =>
      this.#stream(params, requestOptions)
    const create = ((params: MessageCreateParams, requestOptions: RequestOptions = {}) => {
      if (params.stream === true) return this.#stream(params, requestOptions)
      const messageStream = this.#stream(params, requestOptions)
      return messageStream.finalMessage().then((message) => {
        Object.defineProperty(message, '_request_id', { value: messageStream.request_id, enumerable: false })
        return message as MessageWithRequestId
      })
    }) as KiroClient['messages']['create']
    this.messages = {
      stream,
      create,
      countTokens: async (params) => {
        return { input_tokens: estimateInputTokens(params) }
      },
    }
    const fixedBaseURL =
      options.baseURL === undefined
        ? undefined
        : resolveBaseURL(options.baseURL, this.#region ?? DEFAULT_REGION)
    this.#profiles = new ProfileResolver({
      configured: options.profileArn,
      baseURL: fixedBaseURL,
      fetch: options.fetch,
      machineId: this.#machineId,
      headers: options.defaultHeaders,
      timeouts: options.timeout ?? {},
    })
    this.#catalog = new ModelCatalog({
      load: async (signal) => {
        const token = await this.credentials.getToken({ signal })
        const profileArn = await this.#profiles.profileArnFor(token, signal)
        return fetchAccountModels({
          token,
          region: this.#regionOf(token, profileArn),
          profileArn,
          baseURL: fixedBaseURL,
          fetch: options.fetch,
          machineId: this.#machineId,
          headers: options.defaultHeaders,
          timeouts: options.timeout,
          signal,
        })
      },
    })
    this.models = {
      list: async (requestOptions: RequestOptions = {}) =>
        toModelsPage(await this.#catalog.list(requestOptions.signal)),
    }
  }

  /** Stops background work (the proactive token refresh timer). Requests made later still work. */
  close(): void {
    this.credentials.close()
  }

  /** The API region: the client's, else the profile's (a looked-up one included), else us-east-1. */
  #regionOf(token: KiroToken, profileArn?: string): string {
    return (
      this.#region ??
      regionOfProfileArn(profileArn ?? (token.kind === 'bearer' ? token.profileArn : undefined)) ??
      DEFAULT_REGION
    )
  }

  #baseURL(token: KiroToken, profileArn?: string): string {
    return resolveBaseURL(this.#options.baseURL, this.#regionOf(token, profileArn))
  }

  #stream(params: MessageCreateParams, requestOptions: RequestOptions): MessageStream {
    const options = this.#options
    const startedAt = performance.now()
    const client = this
    const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
    return new MessageStream(
      async function* (signal, connection) {
        yield* runRequest(
          {
            model: params.model,
            stopSequences: params.stop_sequences,
            // Translated inside the pipeline so that a bad request surfaces through the stream (and
            // `onEnd`), like any other failure; it still happens before anything is sent.
            translate: () =>
              toKiroRequest(params, {
                profileArn: options.profileArn,
                modelMap: options.modelMap,
                maxBodyBytes:
                  options.profileArn === undefined ? maxBodyBytes - PROFILE_ARN_ROOM : maxBodyBytes,
                trimHistory: options.trimHistory,
                modelLimits: (kiroModelId) => client.#catalog.limits(kiroModelId),
              }),
            maxBodyBytes,
            profileArn: options.profileArn,
            profileArnFor: (token, signal) => client.#profiles.profileArnFor(token, signal),
            credentials: client.credentials,
            baseURL: (token, profileArn) => client.#baseURL(token, profileArn),
            fetch: options.fetch,
            timeouts: { ...options.timeout, ...requestOptions.timeout },
            maxRetries: requestOptions.maxRetries ?? options.maxRetries ?? 3,
            maxRetryAfterMs: options.maxRetryAfterMs,
            machineId: client.#machineId,
            headers:
              options.defaultHeaders || requestOptions.headers
                ? { ...options.defaultHeaders, ...requestOptions.headers }
                : undefined,
            hooks: options.hooks ?? {},
            startedAt,
          },
          signal,
          connection,
        )
      },
      { signal: requestOptions.signal },
    )
  }
}

/** Rejects bad numeric options at construction, naming the field, rather than at the first request. */
function checkOptions(options: KiroClientOptions): void {
  const { maxRetries, maxRetryAfterMs, maxBodyBytes } = options
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new ConfigurationError('maxRetries', `must be a non-negative integer, got ${String(maxRetries)}`)
  }
  if (maxRetryAfterMs !== undefined && !(typeof maxRetryAfterMs === 'number' && maxRetryAfterMs >= 0)) {
    throw new ConfigurationError(
      'maxRetryAfterMs',
      `must be a non-negative number of milliseconds, got ${String(maxRetryAfterMs)}`,
    )
  }
  if (maxBodyBytes !== undefined && !(Number.isInteger(maxBodyBytes) && maxBodyBytes > PROFILE_ARN_ROOM)) {
    throw new ConfigurationError(
      'maxBodyBytes',
      `must be an integer number of bytes above ${PROFILE_ARN_ROOM}, got ${String(maxBodyBytes)}`,
    )
  }
  // The timeouts throw a TypeError naming the field (`timeout.idle: ...`), as they do per request.
  if (options.timeout !== undefined) resolveTimeouts(options.timeout)
}

export type { ModelInfo, ModelsPage }
