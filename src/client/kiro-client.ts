import type { AccountOptions, AccountSelection } from '../accounts/account-options.js'
import type { AccountPool } from '../accounts/account-pool.js'
import {
  accountUsage,
  type ClientAccountsApi,
  poolAccountsApi,
  singleAccountApi,
} from '../accounts/client-accounts.js'
import { createPool } from '../accounts/create-pool.js'
import type { UsageRequestOptions } from '../accounts/get-usage-limits.js'
import type { AccountDefaults } from '../accounts/pool-account.js'
import { listPoolModels } from '../accounts/pool-models.js'
import type { AccountUsage } from '../accounts/usage-limits.js'
import type { RefreshEndpoints } from '../auth/refresh/endpoints.js'
import { type CredentialsInput, resolveCredentials } from '../auth/resolve-credentials.js'
import type { CredentialsProvider } from '../auth/types.js'
import { ConfigurationError } from '../errors/configuration-error.js'
import type { State } from '../state/types.js'
import { MessageStream } from '../stream/message-stream.js'
import { DEFAULT_MAX_BODY_BYTES } from '../translate/size.js'
import { estimateInputTokens } from '../translate/token-estimate.js'
import { defaultMachineIdSeed, machineId as deriveMachineId } from '../transport/machine-id.js'
import { type KiroTimeouts, resolveTimeouts } from '../transport/timeouts.js'
import type { MessageCountTokensParams, MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import { DEFAULT_REGION, type EndpointOptions, resolveBaseURL, resolveEndpoint } from './endpoint.js'
import type { KiroHooks } from './hooks.js'
import { listModels, type ModelInfo, type ModelsPage } from './models.js'
import { validateRegion } from './options.js'
import { PROFILE_ARN_ROOM } from './request-body.js'
import type { ClientSettings } from './request-context.js'
import { requestProducer } from './request-pipeline.js'

/** Options of {@link KiroClient}. Every one is optional. */
export interface KiroClientOptions {
  /**
   * A credentials provider, static credentials, `{ apiKey: 'ksk_…' }`, `{ tokenFile }` or
   * `{ kiroCliDb }`. @defaultValue the Kiro login found on this machine (see the README's lookup order)
   */
  credentials?: CredentialsInput | undefined
  /**
   * Several Kiro logins behind this client, instead of `credentials` (docs/accounts.md): each
   * request goes to one ready account, one that fails for a reason of its own is parked and the
   * request moves on. The options below (region, baseURL, profileArn, fetch) are their defaults.
   */
  accounts?: readonly AccountOptions[] | undefined
  /** How a request's account is picked. @defaultValue 'sticky' */
  accountSelection?: AccountSelection | undefined
  /**
   * Where the pool keeps account statuses, concurrency slots, sticky routes and shared logins.
   * @defaultValue a `MemoryState` of this client; `kiro-client/redis` shares one between processes
   */
  state?: State | undefined
  /** Requests that may wait for a free account slot; the next gets 529 `overloaded_error`. @defaultValue 100 */
  maxQueuedRequests?: number | undefined
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
  /** Only these pool accounts may serve this request (a client key pinned to accounts). */
  accounts?: readonly string[] | undefined
  /** Who the request is for (a team member's name): passed to the hooks, never to Kiro. */
  member?: string | undefined
}

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

  /** The accounts behind this client: one (`default`) unless it was created with `accounts`. */
  readonly accounts: ClientAccountsApi

  readonly #settings: ClientSettings
  readonly #pool: AccountPool | undefined

  constructor(options: KiroClientOptions = {}) {
    const endpointOptions: EndpointOptions = {
      region: options.region === undefined ? undefined : validateRegion(options.region),
      baseURL: options.baseURL,
      profileArn: options.profileArn,
    }
    // Validated now so that a bad URL fails at construction, not at the first request.
    if (options.baseURL !== undefined) resolveBaseURL(options.baseURL, DEFAULT_REGION)
    checkOptions(options)
    const hooks = options.hooks ?? {}
    const defaults: AccountDefaults = {
      ...endpointOptions,
      fetch: options.fetch,
      modelMap: options.modelMap,
      refreshEndpoints: options.refreshEndpoints,
      onRefresh: hooks.onTokenRefresh,
    }
    if (options.accounts !== undefined) {
      if (options.credentials !== undefined) {
        throw new ConfigurationError('accounts', 'give either credentials or accounts, not both.')
      }
      this.#pool = createPool(
        { ...options, accounts: options.accounts },
        defaults,
        hooks,
        () => this.#settings,
      )
      this.credentials = this.#pool.accounts[0]!.credentials
    } else {
      this.credentials = resolveCredentials(options.credentials, {
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(hooks.onTokenRefresh ? { onRefresh: hooks.onTokenRefresh } : {}),
        ...(options.refreshEndpoints ? { refreshEndpoints: options.refreshEndpoints } : {}),
      })
    }
    const settings: ClientSettings = {
      credentials: this.credentials,
      endpoint: (token) => resolveEndpoint(endpointOptions, token),
      fetch: options.fetch,
      machineId: deriveMachineId(options.machineId ?? defaultMachineIdSeed()),
      hooks,
      timeouts: options.timeout ?? {},
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterMs: options.maxRetryAfterMs,
      headers: options.defaultHeaders,
      // With accounts the client's profile ARN is their default, spliced in per account.
      profileArn: this.#pool === undefined ? options.profileArn : undefined,
      modelMap: options.modelMap,
      trimHistory: options.trimHistory,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      pool: this.#pool,
      inFlight: { count: 0 },
    }
    this.#settings = settings
    this.accounts =
      this.#pool === undefined
        ? singleAccountApi(settings, settings.inFlight!)
        : poolAccountsApi(this.#pool, defaults, options.modelMap)

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
    const pool = this.#pool
    this.models = {
      list: (requestOptions: RequestOptions = {}) =>
        pool === undefined
          ? listModels(settings, requestOptions)
          : listPoolModels(pool, settings, requestOptions),
    }
  }

  /**
   * Kiro's `GetUsageLimits` for one account, normalised: credits used, limit and remaining, when
   * they reset, the plan, overage and an active free trial (docs/accounts.md "Usage"). `account`
   * may be left out when the client has one account.
   */
  usage(options: UsageRequestOptions & { account?: string | undefined } = {}): Promise<AccountUsage> {
    return accountUsage(this.#settings, options.account, options)
  }

  /** Stops background work (the proactive token refresh timer). Requests made later still work. */
  close(): void {
    if (this.#pool === undefined) this.credentials.close()
    else this.#pool.close()
  }

  #stream(params: MessageCreateParams, requestOptions: RequestOptions): MessageStream {
    // Translated inside the producer so that a bad request surfaces through the stream (and
    // `onEnd`), like any other failure; it still happens before anything is sent.
    return new MessageStream(requestProducer(this.#settings, params, requestOptions, performance.now()), {
      signal: requestOptions.signal,
    })
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
