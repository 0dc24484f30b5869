import { BadRequestError, NotFoundError } from '../errors/api-error.js'
import type { RetryScope } from '../retry/retry-policy.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { AnthropicBackend, BackendRequestOptions } from './backend.js'
import { jsonResponse, messageJsonResponse, sseMessageResponse } from './message-response.js'
import { type ModelInfo, pageOfModels } from './models-page.js'
import { readJsonBody } from './read-body.js'
import { untilAnswered } from './until-answered.js'

/** The member a named client key belongs to, and the accounts it is pinned to. */
export interface CallerOptions {
  member?: string | undefined
  accounts?: readonly string[] | undefined
}

/** Everything a route needs to answer one request. */
export interface RouteContext {
  client: AnthropicBackend
  request: Request
  requestId: string
  maxRequestBytes: number
  /** The path parameter of routes that have one (`/v1/models/{id}`), else `''`. */
  param: string
  /** Who the caller is, with named client keys, and the accounts its key is pinned to. */
  caller: CallerOptions
  /** The handler's `retryScope`, passed on with every messages request. */
  retryScope: RetryScope | undefined
  /** Aborted when the server shuts down: streams end with a retryable error frame. */
  closeSignal: AbortSignal | undefined
  /** The handler's `coalesceDeltas`: join the deltas written together (docs/server.md, "Streaming"). */
  coalesceDeltas: boolean
  /** Reports an error to the handler's `onError` hook; `streaming` when it ends a 200 stream. */
  report: (error: unknown, streaming: boolean) => void
}

/**
 * `POST /v1/messages`, streaming or not (docs/compatibility.md §0 items 5-9). The body goes to the
 * client as it came: unknown fields, both API dialects and any `anthropic-beta` are the
 * translator's to accept or ignore, never the server's to refuse (§0 items 3-4).
 */
export async function handleMessages(context: RouteContext): Promise<Response> {
  const { client, request, requestId } = context
  const params = await readParams(context)
  // A shutdown stops the Kiro call while nothing is answered yet; the router then answers 503.
  const upstream = untilAnswered(request.signal, context.closeSignal)
  const options: BackendRequestOptions = { signal: upstream.signal, ...context.caller }
  if (context.retryScope !== undefined) options.retryScope = context.retryScope

  if (params.stream !== true) {
    const message = await client.messages.create(params, options)
    const kiroRequestId = (message as { _request_id?: string | null })._request_id
    return messageJsonResponse(message, requestId, kiroRequestId)
  }
  const response = await sseMessageResponse(
    client.messages.stream(params, options),
    requestId,
    (error) => context.report(error, true),
    { closeSignal: context.closeSignal, coalesceDeltas: context.coalesceDeltas },
  )
  upstream.committed()
  return response
}

/** `POST /v1/messages/count_tokens`: the client's local estimate (§5.1). */
export async function handleCountTokens(context: RouteContext): Promise<Response> {
  const params = await readParams(context)
  const counted = await context.client.messages.countTokens(params, { signal: context.request.signal })
  return jsonResponse({ input_tokens: counted.input_tokens }, context.requestId)
}

/** `GET /v1/models` in Anthropic's list shape, with its pagination query (§5.1). */
export async function handleModels(context: RouteContext): Promise<Response> {
  const query = new URL(context.request.url).searchParams
  const list = await context.client.models.list({ signal: context.request.signal })
  return jsonResponse(pageOfModels(list.data.map(publicModel), query), context.requestId)
}

/** `GET /v1/models/{model_id}`, which the SDKs expose as `models.retrieve()`. */
export async function handleModel(context: RouteContext): Promise<Response> {
  const list = await context.client.models.list({ signal: context.request.signal })
  const model = list.data.find((entry) => entry.id === context.param)
  if (model === undefined)
    throw new NotFoundError(`model: ${context.param} is not a model this server offers.`)
  return jsonResponse(publicModel(model), context.requestId)
}

/** A model as clients see it: which pool accounts serve it is the operator's business (docs/accounts.md). */
function publicModel(model: ModelInfo): ModelInfo {
  if (!('accounts' in model)) return model
  const { accounts: _accounts, ...rest } = model as ModelInfo & { accounts?: unknown }
  return rest
}

async function readParams(context: RouteContext): Promise<MessageCreateParams> {
  const body = await readJsonBody(context.request, context.maxRequestBytes)
  const { stream } = body
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    throw new BadRequestError(`stream: Input should be a valid boolean, got ${JSON.stringify(stream)}.`)
  }
  // The SDKs send `betas` as the `anthropic-beta` header: the translator reads them from the body.
  const beta = context.request.headers.get('anthropic-beta')
  if (beta !== null && body['betas'] === undefined) {
    const betas = beta
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
    if (betas.length > 0) body['betas'] = betas
  }
  // Field-level validation is the translator's (it names the field and the reason).
  return body as unknown as MessageCreateParams
}
