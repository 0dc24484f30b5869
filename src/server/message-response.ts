import type { MessageStream } from '../stream/message-stream.js'
import type { Message } from '../types/anthropic-response.js'
import { errorAnswer, errorResponse } from './error-response.js'
import { peekFirst } from './peek.js'
import { type SSEStreamOptions, toSSEStream } from './sse.js'
import { wireMessage } from './wire-message.js'

/** `application/json` with the request id, as the Anthropic API answers a non-streaming call. */
export function jsonResponse(value: unknown, requestId: string, kiroRequestId?: string | null): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': requestId }
  if (kiroRequestId) headers['x-kiro-request-id'] = kiroRequestId
  return new Response(JSON.stringify(value), { headers })
}

/** A complete message as the Anthropic API writes it (see `wireMessage`). */
export function messageJsonResponse(message: Message, requestId: string, kiroRequestId?: string | null) {
  return jsonResponse(wireMessage(message), requestId, kiroRequestId)
}

/**
 * A streamed message as Anthropic SSE. Waits for the first event before committing to 200, so that
 * anything failing before the stream starts (validation, auth, 429, a first frame that is an
 * exception) rejects instead, for the caller to answer with a real status and the SDKs to raise
 * their own error classes (docs/compatibility.md §0 item 9). Later failures are framed as
 * `event: error` by toSSEStream (§0 item 8) and reach `onLaterError`.
 */
export async function sseMessageResponse(
  stream: MessageStream,
  requestId: string,
  onLaterError?: (error: unknown) => void,
  sse: SSEStreamOptions = {},
): Promise<Response> {
  const peeked = await peekFirst(stream, onLaterError)
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // Tells nginx-like proxies in front of this server not to buffer the stream (§0 item 10).
    'x-accel-buffering': 'no',
    'request-id': requestId,
  }
  if (stream.request_id) headers['x-kiro-request-id'] = stream.request_id
  return new Response(toSSEStream(peeked.all, sse), { status: 200, headers })
}

/**
 * The Anthropic error `Response` for `error` (docs/server.md, "Errors"); rethrows an abort, which
 * has nobody to answer.
 */
export function errorAsResponse(error: unknown, requestId: string): Response {
  const answer = errorAnswer(error)
  if (answer === null) throw error
  return errorResponse(answer.status, answer.type, answer.message, requestId, answer.headers)
}
