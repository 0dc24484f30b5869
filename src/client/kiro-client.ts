import type { RefreshEndpoints } from '../auth/refresh/endpoints.js'
import { type CredentialsInput, resolveCredentials } from '../auth/resolve-credentials.js'
import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import { ConfigurationError } from '../errors/configuration-error.js'
import type { RetryScope } from '../retry/retry-policy.js'
import { MessageStream } from '../stream/message-stream.js'
import { DEFAULT_MAX_BODY_BYTES } from '../translate/size.js'
import { type ToKiroRequestOptions, toKiroRequest } from '../translate/to-kiro-request.js'
import { defaultMachineIdSeed, machineId as deriveMachineId } from '../transport/machine-id.js'
import { type KiroTimeouts, resolveTimeouts } from '../transport/timeouts.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { KiroHooks } from './hooks.js'
import { type BetaMessages, type Messages, type MessageWithRequestId, messagesApi } from './messages-api.js'
import { listModels, type ModelInfo, type ModelsPage } from './models.js'
import { type Models, modelsApi } from './models-api.js'
import { regionOfProfileArn, resolveBaseURL, validateRegion } from './options.js'
import { PROFILE_ARN_ROOM } from './request-body.js'
import type { RequestOptions } from './request-options.js'
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
  /**
   * Which failures are retried: `all` retryable ones, or only `transient` faults (a lost connection,
   * a timeout, a 5xx), leaving throttling to the caller. @defaultValue `'all'`
   */
  retryScope?: RetryScope | undefined
  /** The longest `Retry-After` honoured; a longer demanded wait fails at once. @defaultValue 60_000 */
  maxRetryAfterMs?: number | undefined
  hooks?: KiroHooks | undefined
  /** Added to every Kiro request (after the protocol headers, so they can override them). */
  defaultHeaders?: Record<string, string> | undefined
  /** Anthropic model name -> Kiro model id, consulted before the built-in table. */
  modelMap?: Record<string, string> | undefined
  /** Drop the oldest whole turns of an oversize conversation instead of failing (after `trimImages`). @defaultValue false */
  trimHistory?: boolean | undefined
  /**
   * Over the size limit, first replace the images of older user messages (all but the last
   * `keepTurns`, 3 with `true`) with a short note, oldest first, only as many as needed.
   * @defaultValue false (`kiro-client serve`: on)
   */
  trimImages?: ToKiroRequestOptions['trimImages']
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
  /** `create`, `stream` and `countTokens`, as on `@anthropic-ai/sdk`'s client. */
  readonly messages: Messages
  /** The same methods, typed for the SDK's beta parameters (`client.beta.messages`). */
  readonly beta: { readonly messages: BetaMessages }
  /** `list` and `retrieve`, as on `@anthropic-ai/sdk`'s client. */
  readonly models: Models

  readonly #options: KiroClientOptions
  readonly #region: string | undefined
  readonly #machineId: string

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

    const messages = messagesApi((params, requestOptions) => this.#stream(params, requestOptions))
    this.messages = messages
    this.beta = { messages }
    this.models = modelsApi((requestOptions) =>
      listModels({
        credentials: this.credentials,
        baseURL: (token) => this.#baseURL(token),
        fetch: options.fetch,
        machineId: this.#machineId,
        profileArn: options.profileArn,
        timeouts: { ...options.timeout, ...requestOptions.timeout },
        headers: { ...options.defaultHeaders, ...requestOptions.headers },
        signal: requestOptions.signal,
      }),
    )
  }

  /**
   * A client with some options changed, sharing this one's credentials (and so its token and
   * refresh): `client.withOptions({ maxRetries: 0 }).messages.create(...)`, as with the SDK.
   * Closing either client stops the shared refresh timer.
   */
  withOptions(options: Partial<KiroClientOptions>): KiroClient {
    return new KiroClient({
      ...this.#options,
      ...options,
      credentials: options.credentials ?? this.credentials,
    })
  }

  /** Stops background work (the proactive token refresh timer). Requests made later still work. */
  close(): void {
    this.credentials.close()
  }

  #baseURL(token: KiroToken): string {
    const region =
      this.#region ??
      regionOfProfileArn(token.kind === 'bearer' ? token.profileArn : undefined) ??
      DEFAULT_REGION
    return resolveBaseURL(this.#options.baseURL, region)
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
                trimImages: options.trimImages,
              }),
            maxBodyBytes,
            profileArn: options.profileArn,
            credentials: client.credentials,
            baseURL: (token) => client.#baseURL(token),
            fetch: options.fetch,
            timeouts: { ...options.timeout, ...requestOptions.timeout },
            maxRetries: requestOptions.maxRetries ?? options.maxRetries ?? 3,
            retryScope: requestOptions.retryScope ?? options.retryScope,
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
  const { retryScope, trimImages } = options
  if (retryScope !== undefined && retryScope !== 'all' && retryScope !== 'transient') {
    throw new ConfigurationError(
      'retryScope',
      `must be 'all' or 'transient', got ${JSON.stringify(retryScope)}`,
    )
  }
  if (trimImages !== undefined && typeof trimImages !== 'boolean') {
    const keepTurns =
      typeof trimImages === 'object' && trimImages !== null ? trimImages.keepTurns : Number.NaN
    if (keepTurns !== undefined && !(Number.isInteger(keepTurns) && keepTurns >= 1)) {
      throw new ConfigurationError(
        'trimImages',
        `must be a boolean or { keepTurns } with a whole number of at least 1, got ${JSON.stringify(trimImages)}`,
      )
    }
  }
  // The timeouts throw a TypeError naming the field (`timeout.idle: ...`), as they do per request.
  if (options.timeout !== undefined) resolveTimeouts(options.timeout)
}

export type { MessageWithRequestId, ModelInfo, ModelsPage, RequestOptions }
