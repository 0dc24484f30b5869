import { errorAsResponse, messageJsonResponse, sseMessageResponse } from '../server/message-response.js'
import { newRequestId } from '../server/request-id.js'
import type { MessageStream } from '../stream/message-stream.js'
import { estimateInputTokens } from '../translate/token-estimate.js'
import type { MessageCountTokensParams, MessageCreateParams } from '../types/anthropic-request.js'
import type { Message } from '../types/anthropic-response.js'
import type { BetaMessageCountTokensParams, BetaMessageCreateParams } from '../types/beta-request.js'
import { APIPromise } from './api-promise.js'
import type { RequestOptions } from './options.js'

/** A `Message` as returned by `create()`, with the request id as the Anthropic SDK gives it. */
export type MessageWithRequestId = Message & { readonly _request_id?: string | null | undefined }

/** `client.messages`: the methods of `@anthropic-ai/sdk`'s `client.messages`, on Kiro. */
export interface Messages {
  /** Streams a message: synchronous, like the Anthropic SDK's `messages.stream()`. */
  stream(params: MessageCreateParams, options?: RequestOptions): MessageStream
  /**
   * Creates a message; the promise resolves once it is complete. With `stream: true` it resolves
   * with the stream once Kiro answered (and rejects if the request failed before that).
   */
  create(
    params: MessageCreateParams & { stream?: false | undefined },
    options?: RequestOptions,
  ): APIPromise<MessageWithRequestId>
  create(params: MessageCreateParams & { stream: true }, options?: RequestOptions): APIPromise<MessageStream>
  create(
    params: MessageCreateParams,
    options?: RequestOptions,
  ): APIPromise<MessageWithRequestId | MessageStream>
  /** A local estimate of the request's input tokens (Kiro has no counting endpoint); see the README for its accuracy. */
  countTokens(params: MessageCountTokensParams, options?: RequestOptions): Promise<{ input_tokens: number }>
}

/**
 * `client.beta.messages`: the same methods, typed for the SDK's beta parameters (`betas`,
 * `context_management`, `output_format`, ...). Kiro has no beta features: the parameters it cannot
 * use are accepted and listed in the translation's `ignored` (docs/translation.md, "Ignored").
 */
export interface BetaMessages {
  stream(params: BetaMessageCreateParams, options?: RequestOptions): MessageStream
  create(
    params: BetaMessageCreateParams & { stream?: false | undefined },
    options?: RequestOptions,
  ): APIPromise<MessageWithRequestId>
  create(
    params: BetaMessageCreateParams & { stream: true },
    options?: RequestOptions,
  ): APIPromise<MessageStream>
  create(
    params: BetaMessageCreateParams,
    options?: RequestOptions,
  ): APIPromise<MessageWithRequestId | MessageStream>
  countTokens(
    params: BetaMessageCountTokensParams,
    options?: RequestOptions,
  ): Promise<{ input_tokens: number }>
}

/** Starts one request as a `MessageStream` (the client's pipeline); `streaming`: the caller asked for a stream. */
export type StartStream = (
  params: MessageCreateParams,
  options: RequestOptions,
  streaming: boolean,
) => MessageStream

function withRequestId(message: Message, requestId: string | null | undefined): MessageWithRequestId {
  Object.defineProperty(message, '_request_id', { value: requestId, enumerable: false, configurable: true })
  return message
}

/**
 * The messages surface over `start`; `client.messages` and `client.beta.messages` are both this.
 * `checkOptions` throws on bad request options; `start` may throw too (a bad option found there):
 * `stream()` then throws, `create()` and `countTokens()` reject, as with the SDK.
 */
export function messagesApi(
  start: StartStream,
  checkOptions: (options: RequestOptions | undefined) => void,
): Messages & BetaMessages {
  const create = (params: MessageCreateParams, options: RequestOptions = {}) => {
    let stream: MessageStream
    try {
      stream = start(params, options, params.stream === true)
    } catch (error) {
      const failed = Promise.reject(error)
      return new APIPromise<never>({
        data: () => failed,
        withResponse: () => failed,
        asResponse: () => failed,
      })
    }
    if (params.stream === true) {
      return new APIPromise<MessageStream>({
        data: async () => (await stream.withResponse()).data,
        withResponse: () => stream.withResponse(),
        asResponse: async () => {
          const requestId = newRequestId()
          try {
            return await sseMessageResponse(stream, requestId)
          } catch (error) {
            return errorAsResponse(error, requestId)
          }
        },
      })
    }
    const message = async () => withRequestId(await stream.finalMessage(), stream.request_id)
    return new APIPromise<MessageWithRequestId>({
      data: message,
      withResponse: async () => {
        const data = await message()
        const { response, request_id } = await stream.withResponse()
        return { data, response, request_id }
      },
      asResponse: async () => {
        const requestId = newRequestId()
        try {
          return messageJsonResponse(await stream.finalMessage(), requestId, stream.request_id)
        } catch (error) {
          return errorAsResponse(error, requestId)
        }
      },
    })
  }
  return {
    stream: (params: MessageCreateParams | BetaMessageCreateParams, options: RequestOptions = {}) =>
      start(params as MessageCreateParams, options, true),
    create: create as Messages['create'] & BetaMessages['create'],
    countTokens: async (
      params: MessageCountTokensParams | BetaMessageCountTokensParams,
      options?: RequestOptions,
    ) => {
      checkOptions(options)
      return { input_tokens: estimateInputTokens(params as MessageCountTokensParams) }
    },
  }
}
