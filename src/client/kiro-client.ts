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
import { resolveCredentials } from '../auth/resolve-credentials.js'
import type { CredentialsProvider } from '../auth/types.js'
import { poolModelLimits } from '../models/account-catalogs.js'
import { ModelCatalog } from '../models/model-catalog.js'
import { Telemetry } from '../observability/telemetry.js'
import { MessageStream } from '../stream/message-stream.js'
import { DEFAULT_MAX_BODY_BYTES } from '../translate/size.js'
import { defaultMachineIdSeed, machineId as deriveMachineId } from '../transport/machine-id.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import { hasWebSearchTool, webSearchProducer } from '../websearch/web-search-producer.js'
import { resolveEndpoint } from './endpoint.js'
import { type BetaMessages, type Messages, type MessageWithRequestId, messagesApi } from './messages-api.js'
import { fetchKiroModels, toModelsPage } from './models.js'
import { type Models, modelsApi } from './models-api.js'
import {
  type CheckedRequestOptions,
  checkClientOptions,
  checkRequestOptions,
  type KiroClientOptions,
  type RequestOptions,
} from './options.js'
import { type ProfileResolver, profileResolverFor } from './profile-resolver.js'
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

  /** The accounts behind this client: one (`default`) unless it was created with `accounts`. */
  readonly accounts: ClientAccountsApi

  readonly #options: KiroClientOptions
  readonly #settings: ClientSettings
  readonly #telemetry: Telemetry
  readonly #pool: AccountPool | undefined
  readonly #profiles: ProfileResolver

  /**
   * @throws ConfigurationError naming the option, for a bad or unknown option; CredentialsError
   *   (`invalid_credentials`) for bad `credentials` content. Nothing is read or sent yet.
   */
  constructor(options: KiroClientOptions = {}) {
    const checked = checkClientOptions(options)
    this.#options = options
    // Logging and OpenTelemetry subscribe to the hooks (docs/observability.md).
    const telemetry = new Telemetry(checked)
    this.#telemetry = telemetry
    const endpointOptions = {
      region: checked.region,
      baseURL: checked.baseURL,
      profileArn: checked.profileArn,
    }
    // With `accounts`, the client's own settings are every account's defaults (docs/accounts.md).
    const defaults: AccountDefaults = {
      ...endpointOptions,
      fetch: checked.fetch,
      modelMap: checked.modelMap,
      refreshEndpoints: checked.refreshEndpoints,
      onRefresh: telemetry.onRefresh,
    }
    if (checked.accounts !== undefined) {
      this.#pool = createPool(
        { ...checked, accounts: checked.accounts },
        defaults,
        telemetry.userHooks,
        () => this.#settings,
      )
      this.credentials = this.#pool.accounts[0]!.credentials
    } else {
      this.credentials = resolveCredentials(checked.credentials, {
        ...(checked.fetch ? { fetch: checked.fetch } : {}),
        ...(telemetry.onRefresh ? { onRefresh: telemetry.onRefresh } : {}),
        ...(checked.refreshEndpoints ? { refreshEndpoints: checked.refreshEndpoints } : {}),
      })
    }
    const machineId = deriveMachineId(checked.machineId ?? defaultMachineIdSeed())
    // Enterprise logins without a profile ARN get one looked up (docs/protocol.md §9.1); with a
    // fixed base URL the lookup goes there, else to the regions that serve it.
    const profiles = profileResolverFor(checked.baseURL, checked.fetch, {
      machineId,
      headers: checked.defaultHeaders,
      timeouts: checked.timeout ?? {},
    })
    const settings: ClientSettings = {
      credentials: this.credentials,
      endpoint: (token, lookedUp) =>
        resolveEndpoint(endpointOptions, token, lookedUp ?? profiles.known(token)),
      profiles: this.#pool === undefined ? profiles : undefined,
      fetch: checked.fetch,
      machineId,
      hooks: telemetry.userHooks,
      timeouts: checked.timeout ?? {},
      maxRetries: checked.maxRetries ?? 3,
      retryScope: checked.retryScope,
      maxRetryAfterMs: checked.maxRetryAfterMs,
      headers: checked.defaultHeaders,
      // With accounts the client's profile ARN is their default, spliced in per account.
      profileArn: this.#pool === undefined ? checked.profileArn : undefined,
      modelMap: checked.modelMap,
      trimHistory: checked.trimHistory,
      trimImages: checked.trimImages,
      diagnose400: checked.diagnose400,
      maxBodyBytes: checked.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      pool: this.#pool,
      inFlight: { count: 0 },
    }
    this.#settings = settings
    // The login's models, fetched once an hour; their limits bound its requests (docs/protocol.md §1.5).
    const catalog = new ModelCatalog({
      load: async (signal) => {
        // The list goes with the login's profile: an enterprise one is looked up first (§9.1).
        await this.#lookUpProfile(signal)
        return fetchKiroModels({ ...settings, signal })
      },
    })
    settings.modelLimits =
      this.#pool === undefined
        ? (kiroModelId) => catalog.limits(kiroModelId)
        : poolModelLimits(this.#pool, settings)
    this.#profiles = profiles
    this.accounts =
      this.#pool === undefined
        ? singleAccountApi(settings, settings.inFlight!)
        : poolAccountsApi(this.#pool, defaults, checked.modelMap)

    // Per-request options are checked when the call is made: `stream()` throws, the promises reject.
    const messages = messagesApi(
      (params, requestOptions, streaming) =>
        this.#stream(params, checkRequestOptions(requestOptions), streaming),
      (requestOptions) => {
        checkRequestOptions(requestOptions)
      },
    )
    this.messages = messages
    this.beta = { messages }
    const pool = this.#pool
    this.models = modelsApi(async (requestOptions) => {
      const checkedRequest = checkRequestOptions(requestOptions)
      return pool === undefined
        ? toModelsPage(await catalog.list(checkedRequest.signal))
        : listPoolModels(pool, settings, checkedRequest)
    })
  }

  /**
   * A client with some options changed: `client.withOptions({ maxRetries: 0 }).messages.create(...)`,
   * as with the SDK. Without `accounts` it shares this client's login (its token and refresh;
   * closing either client stops the shared refresh timer); with `accounts` it builds its own pool
   * from the same account options.
   */
  withOptions(options: Partial<KiroClientOptions>): KiroClient {
    const merged: KiroClientOptions = { ...this.#options, ...options }
    const ownLogin = options.credentials !== undefined || options.apiKey !== undefined
    if (!ownLogin && merged.accounts === undefined) {
      delete merged.apiKey
      merged.credentials = this.credentials
    }
    return new KiroClient(merged)
  }

  /**
   * Kiro's `GetUsageLimits` for one account, normalised: credits used, limit and remaining, when
   * they reset, the plan, overage and an active free trial (docs/accounts.md "Usage"). `account`
   * may be left out when the client has one account.
   */
  async usage(options: UsageRequestOptions & { account?: string | undefined } = {}): Promise<AccountUsage> {
    // An enterprise login needs its profile ARN here too (docs/protocol.md §9.1): look it up first.
    if (this.#pool === undefined) await this.#lookUpProfile(options.signal)
    return accountUsage(this.#settings, options.account, options)
  }

  /** The single login's profile ARN, looked up (once) when it needs one and none is configured. */
  async #lookUpProfile(signal: AbortSignal | undefined): Promise<void> {
    if (this.#settings.profileArn !== undefined) return
    await this.#profiles.profileArnFor(await this.credentials.getToken({ signal }), signal)
  }

  /** Stops background work (the proactive token refresh timers). Requests made later still work. */
  close(): void {
    if (this.#pool === undefined) this.credentials.close()
    else this.#pool.close()
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
    // A web search tool turns one response into rounds of requests (docs/protocol.md §9.5).
    const producer = hasWebSearchTool(params.tools) ? webSearchProducer : requestProducer
    return new MessageStream(producer(settings, params, requestOptions, performance.now(), streaming), {
      signal: requestOptions.signal,
    })
  }
}

export type { KiroClientOptions, MessageWithRequestId, RequestOptions }
