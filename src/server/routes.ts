import { BadRequestError, NotFoundError } from '../errors/api-error.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { AnthropicBackend } from './backend.js'
import { type ModelInfo, pageOfModels } from './models-page.js'
import { peekFirst } from './peek.js'
import { readJsonBody } from './read-body.js'
import { toSSEStream } from './sse.js'

/** Everything a route needs to answer one request. */
/** The member a named client key belongs to, and the accounts it is pinned to. */
export interface CallerOptions {
  member?: string | undefined
  accounts?: readonly string[] | undefined
}

export interface RouteContext {
  client: AnthropicBackend
  request: Request
  requestId: string
  maxRequestBytes: number
  /** The path parameter of routes that have one (`/v1/models/{id}`), else `''`. */
  param: string
  /** Who the caller is, with named client keys, and the accounts its key is pinned to. */
  caller: CallerOptions
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
  const signal = request.signal

  if (params.stream !== true) {
    const message = await client.messages.create(params, { signal, ...context.caller })
    return json(message, requestId)
  }

  const stream = client.messages.stream(params, { signal, ...context.caller })
  // Wait for the first event before committing to 200, so that anything failing before the
  // stream starts (validation, auth, 429, a first frame that is an exception) is answered with a
  // real status and the SDKs raise their own error classes (§0 item 9). Later failures are framed
  // as `event: error` by toSSEStream (§0 item 8).
  const peeked = await peekFirst(stream, (error) => context.report(error, true))
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // Tells nginx-like proxies in front of this server not to buffer the stream (§0 item 10).
    'x-accel-buffering': 'no',
    'request-id': requestId,
  }
  if (stream.request_id) headers['x-kiro-request-id'] = stream.request_id
  return new Response(toSSEStream(peeked.all), { status: 200, headers })
}

/** `POST /v1/messages/count_tokens`: the client's local estimate (§5.1). */
export async function handleCountTokens(context: RouteContext): Promise<Response> {
  const params = await readParams(context)
  const counted = await context.client.messages.countTokens(params, { signal: context.request.signal })
  return json({ input_tokens: counted.input_tokens }, context.requestId)
}

/** `GET /v1/models` in Anthropic's list shape, with its pagination query (§5.1). */
export async function handleModels(context: RouteContext): Promise<Response> {
  const query = new URL(context.request.url).searchParams
  const list = await context.client.models.list({ signal: context.request.signal })
  return json(pageOfModels(list.data.map(publicModel), query), context.requestId)
}

/** `GET /v1/models/{model_id}`, which the SDKs expose as `models.retrieve()`. */
export async function handleModel(context: RouteContext): Promise<Response> {
  const list = await context.client.models.list({ signal: context.request.signal })
  const model = list.data.find((entry) => entry.id === context.param)
  if (model === undefined)
    throw new NotFoundError(`model: ${context.param} is not a model this server offers.`)
  return json(publicModel(model), context.requestId)
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
  // Field-level validation is the translator's (it names the field and the reason).
  return body as unknown as MessageCreateParams
}

function json(value: unknown, requestId: string): Response {
  return new Response(JSON.stringify(value), {
    headers: { 'content-type': 'application/json', 'request-id': requestId },
  })
}
