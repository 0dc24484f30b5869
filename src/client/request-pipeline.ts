import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import { KiroError } from '../errors/kiro-error.js'
import { KiroEventMapper } from '../mapper/event-mapper.js'
import { withRetries } from '../retry/with-retries.js'
import type { MessageStreamConnection } from '../stream/message-stream.js'
import { utf8Length } from '../translate/size.js'
import type { KiroTranslation } from '../translate/to-kiro-request.js'
import { sendKiroRequest } from '../transport/fetch-transport.js'
import { kiroHeaders, tokenKindOf } from '../transport/kiro-headers.js'
import type { TimedBody } from '../transport/timed-body.js'
import { type KiroTimeouts, resolveTimeouts } from '../transport/timeouts.js'
import type { RawMessageStreamEvent, StopReason, Usage } from '../types/anthropic-response.js'
import { callHook, type KiroHooks } from './hooks.js'
import { requestBody } from './request-body.js'
import { RequestBudget } from './request-budget.js'
import { Upstream } from './upstream.js'

/** Everything one request needs, resolved by the client before the pipeline runs. */
export interface PipelineRequest {
  model: string
  stopSequences: readonly string[] | undefined
  /** Translates the params; called once, inside the pipeline, so that its failure reaches `onEnd`. */
  translate: () => KiroTranslation
  /** The limit the translation was held to; the login's `profileArn` must not take the body past it. */
  maxBodyBytes: number
  /** The profile ARN configured on the client; the token's is used when this is absent. */
  profileArn: string | undefined
  /** Decides the profile ARN per token (it may look one up); replaces the rule above when given. */
  profileArnFor?:
    | ((
        token: KiroToken,
        signal: AbortSignal | undefined,
      ) => PromiseLike<string | undefined> | string | undefined)
    | undefined
  credentials: CredentialsProvider
  /** The API base URL for a token and the profile ARN sent (its region may decide it). */
  baseURL: (token: KiroToken, profileArn?: string) => string
  fetch: typeof globalThis.fetch | undefined
  timeouts: Partial<KiroTimeouts>
  maxRetries: number
  maxRetryAfterMs: number | undefined
  machineId: string
  headers: Record<string, string> | undefined
  hooks: KiroHooks
  startedAt: number
}

/** An attempt that got through: the live body and the first events to deliver. */
interface Connected {
  body: TimedBody
  upstream: Upstream
  first: RawMessageStreamEvent[]
  requestId: string | undefined
  response: Response
}

class PartialBatchError extends Error {
  constructor(
    readonly events: RawMessageStreamEvent[],
    readonly failure: unknown,
  ) {
    super('partial batch')
  }
}

/**
 * Runs one Kiro request as an async generator of event batches: token, headers, retries up to the
 * first event, then true streaming: each upstream chunk's events are yielded before the next chunk is
 * read. Nothing is translated or serialized here; the same body string serves every attempt.
 */
export async function* runRequest(
  request: PipelineRequest,
  signal: AbortSignal,
  connection: MessageStreamConnection,
): AsyncGenerator<readonly RawMessageStreamEvent[]> {
  const { hooks } = request
  const invocationId = globalThis.crypto.randomUUID()
  let translation: KiroTranslation
  let token: KiroToken | undefined
  let attempts = 0
  let bytes = 0
  let requestId: string | undefined
  let usage: Usage | undefined
  let stopReason: StopReason | null | undefined
  let failure: unknown
  let live: TimedBody | undefined

  const track = (events: readonly RawMessageStreamEvent[]): void => {
    for (const event of events) {
      if (event.type === 'message_delta') {
        stopReason = event.delta.stop_reason
        usage = event.usage as Usage
      }
    }
  }

  // `budget` is the caller's signal plus the total timeout: token waits and retry sleeps take it.
  const attempt = async (attemptNumber: number, budget: AbortSignal | undefined): Promise<Connected> => {
    attempts = attemptNumber
    token = await request.credentials.getToken({ signal: budget })
    const profileArn = request.profileArnFor
      ? await request.profileArnFor(token, budget)
      : (request.profileArn ?? (token.kind === 'bearer' ? token.profileArn : undefined))
    const body = requestBody(translation, profileArn, request.maxBodyBytes)
    const url = `${request.baseURL(token, profileArn)}/generateAssistantResponse`
    const headers = {
      ...kiroHeaders({
        token: token.accessToken,
        tokenKind: tokenKindOf(token),
        attempt: attemptNumber,
        maxAttempts: request.maxRetries + 1,
        machineId: request.machineId,
        invocationId,
      }),
      ...request.headers,
    }
    callHook(hooks.onRequest, () => ({
      invocationId,
      attempt: attemptNumber,
      model: request.model,
      modelId: translation.modelId,
      url,
      bodyBytes: utf8Length(body),
      ignored: translation.ignored,
    }))
    // Built while the request is in flight rather than after the headers: off the first event's path.
    const upstream = new Upstream(
      new KiroEventMapper({
        model: request.model,
        toolNames: translation.toolNames,
        thinking: translation.thinking,
        stopSequences: request.stopSequences,
        contextWindow: translation.contextWindow,
        inputTokensEstimate: translation.inputTokensEstimate,
      }),
    )
    const attemptStart = performance.now()
    const sent = await sendKiroRequest({
      url,
      headers,
      body,
      fetch: request.fetch,
      signal,
      timeouts: request.timeouts,
      startedAt: request.startedAt,
    })
    requestId = sent.requestId
    callHook(hooks.onResponse, () => ({
      invocationId,
      attempt: attemptNumber,
      status: sent.response.status,
      requestId: sent.requestId,
      timeToHeadersMs: performance.now() - attemptStart,
    }))
    const first: RawMessageStreamEvent[] = []
    try {
      // Read until the first events exist: a failure before then is still retryable. The rest of
      // that chunk is mapped after they were delivered, and is past retrying like any later chunk.
      while (first.length === 0) {
        if (!upstream.pending) {
          const chunk = await sent.body.next()
          if (chunk.done) {
            upstream.decoder.end()
            first.push(...upstream.mapper.finish())
            break
          }
          bytes += chunk.value.byteLength
          upstream.feed(chunk.value)
        }
        upstream.map(first, true)
      }
    } catch (error) {
      sent.body.cancel()
      throw error
    }
    return { body: sent.body, upstream, first, requestId: sent.requestId, response: sent.response }
  }

  try {
    const { total } = resolveTimeouts(request.timeouts)
    translation = request.translate()
    const budget = new RequestBudget(total, request.startedAt, signal)
    let connected: Connected
    try {
      connected = await withRetries(attempt, {
        maxRetries: request.maxRetries,
        maxRetryAfterMs: request.maxRetryAfterMs,
        signal: budget.signal,
        deadline: budget.deadline,
        onRetry: hooks.onRetry
          ? (info) =>
              callHook(hooks.onRetry, () => ({
                invocationId,
                attempt: info.attempt,
                delayMs: info.delayMs,
                reason: info.reason,
                status: info.status,
                message: info.error.message,
              }))
          : undefined,
        onTokenInvalid: async (_error, sig) => {
          if (token) await request.credentials.invalidate(token, { signal: sig })
        },
      })
    } catch (error) {
      throw budget.explain(error)
    } finally {
      budget.dispose()
    }

    const { body, upstream } = connected
    const { decoder, mapper } = upstream
    live = body
    connection.connected({ requestId: connected.requestId, response: connected.response })
    callHook(hooks.onFirstEvent, () => ({
      invocationId,
      requestId,
      timeToFirstEventMs: performance.now() - request.startedAt,
    }))
    track(connected.first)

    yield connected.first
    // Resuming the generator is synchronous: without this the caller's loop would get the first
    // events only after the rest of their chunk was mapped here.
    if (upstream.pending) await undefined

    while (!mapper.done) {
      const batch: RawMessageStreamEvent[] = []
      if (!upstream.pending) {
        const chunk = await body.next()
        if (chunk.done) {
          decoder.end()
          batch.push(...mapper.finish())
          track(batch)
          yield batch
          break
        }
        bytes += chunk.value.byteLength
        upstream.feed(chunk.value)
      }
      try {
        upstream.map(batch, false)
      } catch (error) {
        // Events decoded before a failing frame are delivered, then the failure.
        if (batch.length > 0) throw new PartialBatchError(batch, error)
        throw error
      }
      if (batch.length > 0) {
        track(batch)
        yield batch
      }
    }
  } catch (error) {
    if (error instanceof PartialBatchError) {
      track(error.events)
      failure = error.failure
      yield error.events
      throw error.failure
    }
    failure = error
    throw error
  } finally {
    // A stop sequence, a cut-off tool call, an abort or a consumer that left: close the upstream.
    live?.cancel()
    callHook(hooks.onEnd, () => ({
      invocationId,
      // A failed attempt's error carries Kiro's request id: the one worth quoting to support.
      requestId: requestId ?? (failure as { requestID?: string | undefined } | undefined)?.requestID,
      model: request.model,
      usage,
      stopReason,
      durationMs: performance.now() - request.startedAt,
      bytes,
      attempts,
      error:
        failure === undefined
          ? undefined
          : {
              name: failure instanceof Error ? failure.name : 'Error',
              message: failure instanceof Error ? failure.message : String(failure),
              status: KiroError.isInstance(failure) ? (failure as { status?: number }).status : undefined,
            },
    }))
  }
}
