import type { AccountLease } from '../accounts/account-lease.js'
import { tagAccount } from '../errors/kiro-error.js'
import { withRetries } from '../retry/with-retries.js'
import type { MessageStreamConnection, MessageStreamProducer } from '../stream/message-stream.js'
import { resolveTimeouts } from '../transport/timeouts.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { RawMessageStreamEvent } from '../types/anthropic-response.js'
import { acquireLogin, attemptRequest, type Connected, type Login } from './attempt.js'
import { explainContextOverflow } from './context-overflow.js'
import { callHook } from './hooks.js'
import { connectPooled } from './pooled-connect.js'
import { RequestBudget } from './request-budget.js'
import {
  type ClientSettings,
  createRequestContext,
  type RequestContext,
  type RequestOverrides,
} from './request-context.js'
import { RequestRecord } from './request-record.js'
import { retryOptions } from './retry-options.js'
import type { Upstream } from './upstream.js'

/** Events decoded before a failing frame: delivered, then the failure. */
class PartialBatchError extends Error {
  constructor(
    readonly events: RawMessageStreamEvent[],
    readonly failure: unknown,
  ) {
    super('partial batch')
  }
}

/**
 * The attempts of one request, retried up to the first event (docs/transport.md): each one gets a
 * login, sends, and reads until the first events exist. The total timeout bounds the token waits
 * and the retry sleeps between them.
 */
async function connect(
  context: RequestContext,
  settings: ClientSettings,
  record: RequestRecord,
  signal: AbortSignal,
): Promise<Connected> {
  const budget = new RequestBudget(resolveTimeouts(context.timeouts).total, context.startedAt, signal)
  let login: Login | undefined
  try {
    return await withRetries(
      async (attempt, budgetSignal) => {
        record.attempts = attempt
        login = await acquireLogin(settings, budgetSignal)
        return attemptRequest(context, settings, login, attempt, signal, record)
      },
      retryOptions(context, settings, budget, () => login),
    )
  } catch (error) {
    throw budget.explain(error)
  } finally {
    budget.dispose()
  }
}

/** The events of the next chunk (possibly none). A failure after some of them comes as a `PartialBatchError`. */
async function readBatch(upstream: Upstream): Promise<RawMessageStreamEvent[]> {
  const batch: RawMessageStreamEvent[] = []
  try {
    await upstream.read(batch, false)
  } catch (error) {
    if (batch.length > 0) throw new PartialBatchError(batch, error)
    throw error
  }
  return batch
}

/**
 * One Kiro request as a `MessageStream` producer of event batches: prepare (translate once) ->
 * connect (login, send, read until the first event; retried) -> stream the rest. Nothing is
 * translated or serialized twice: the same body string serves every attempt. `onEnd` fires once,
 * however the request ends.
 */
export function requestProducer(
  settings: ClientSettings,
  params: MessageCreateParams,
  overrides: RequestOverrides,
  startedAt: number,
  streaming: boolean,
): MessageStreamProducer {
  return async function* runRequest(signal: AbortSignal, connection: MessageStreamConnection) {
    const record = new RequestRecord(globalThis.crypto.randomUUID(), params.model, startedAt)
    record.member = overrides.member
    const { hooks, pool } = settings
    let upstream: Upstream | undefined
    let lease: AccountLease | undefined
    let context: RequestContext | undefined
    const counter = pool === undefined ? settings.inFlight : undefined
    if (counter !== undefined) counter.count++
    const { onEvents } = hooks
    // Each batch on its way to the caller: noted for `onEnd`, and shown to `onEvents` when set.
    const deliver = (events: readonly RawMessageStreamEvent[]): void => {
      record.track(events)
      if (onEvents !== undefined) callHook(onEvents, () => ({ invocationId: record.invocationId, events }))
    }
    callHook(hooks.onStart, () => ({
      invocationId: record.invocationId,
      model: params.model,
      maxTokens: params.max_tokens,
      stream: streaming,
      params,
    }))
    try {
      context = createRequestContext(settings, params, overrides, record)
      let connected: Connected
      if (pool === undefined) connected = await connect(context, settings, record, signal)
      else {
        const pooled = await connectPooled(context, settings, pool, record, signal)
        lease = pooled.lease
        connected = pooled
      }
      upstream = connected.upstream
      connection.connected({ requestId: connected.requestId, response: connected.response })
      callHook(hooks.onFirstEvent, () => ({
        invocationId: record.invocationId,
        requestId: record.requestId,
        timeToFirstEventMs: performance.now() - startedAt,
        ...(record.account === undefined ? {} : { account: record.account }),
      }))
      deliver(connected.first)
      yield connected.first
      // Resuming the generator is synchronous: without this the caller's loop would get the first
      // events only after the rest of their chunk was mapped here.
      if (upstream.pending) await undefined
      // True streaming: each chunk's events are yielded before the next chunk is read.
      while (!upstream.done) {
        const batch = await readBatch(upstream)
        if (batch.length === 0) continue
        deliver(batch)
        yield batch
      }
    } catch (error) {
      if (error instanceof PartialBatchError) {
        deliver(error.events)
        // Kiro's own context-size refusal is restated with this request's figures.
        const failure = explainContextOverflow(error.failure, context?.translation)
        record.failure = failure
        yield error.events
        throw record.account === undefined ? failure : tagAccount(failure, record.account)
      }
      const failure = explainContextOverflow(error, context?.translation)
      record.failure = failure
      throw record.account === undefined ? failure : tagAccount(failure, record.account)
    } finally {
      // A stop sequence, a cut-off tool call, an abort or a consumer that left: close the upstream.
      upstream?.cancel()
      lease?.release()
      if (counter !== undefined) counter.count--
      callHook(hooks.onEnd, () => record.endEvent())
    }
  }
}
