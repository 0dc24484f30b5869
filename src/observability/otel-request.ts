import type { RefreshEvent } from '../auth/types.js'
import type { EndHookEvent, KiroHooks, StartHookEvent } from '../client/hooks.js'
import { MessageAccumulator } from '../stream/accumulate.js'
import { inputMessages, outputMessages, systemInstructions } from './genai-content.js'
import { ATTR, KIRO, OPERATION_CHAT, PROVIDER_NAME } from './genai-conventions.js'
import type { GenAiInstruments } from './otel-instruments.js'
import {
  type OtelAttributes,
  type OtelSpan,
  type OtelTracer,
  SPAN_KIND_CLIENT,
  SPAN_STATUS_ERROR,
} from './otel-types.js'

/** Where one request's telemetry goes; either side may be absent. */
export interface OtelTargets {
  tracer: OtelTracer | undefined
  instruments: GenAiInstruments | undefined
  captureContent: boolean
}

/** A request between its start and its first event: blocking token refreshes are noted on its span. */
export interface PendingSpan {
  refreshed(event: RefreshEvent): void
}

/**
 * The hook subscribers of one request: a `chat {model}` client span with the GenAI attributes,
 * `kiro.retry` and `kiro.token_refresh` events, and the GenAI client metrics
 * (docs/observability.md, "OpenTelemetry").
 */
export function otelRequestHooks(targets: OtelTargets, pending: Set<PendingSpan>): KiroHooks {
  const { tracer, instruments, captureContent } = targets
  let span: OtelSpan | undefined
  let start: StartHookEvent | undefined
  let modelId: string | undefined
  let server: { address: string; port: number } | undefined
  let accumulator: MessageAccumulator | undefined

  const waiting: PendingSpan = {
    refreshed: (event) =>
      span?.addEvent(KIRO.refreshEvent, {
        'kiro.token_refresh.ok': event.ok,
        'kiro.token_refresh.duration_ms': Math.round(event.durationMs),
        'kiro.token_refresh.error': event.error?.code,
      }),
  }

  const metricAttributes = (): OtelAttributes => ({
    [ATTR.operationName]: OPERATION_CHAT,
    [ATTR.providerName]: PROVIDER_NAME,
    [ATTR.requestModel]: start?.model,
    [ATTR.responseModel]: modelId,
    [ATTR.serverAddress]: server?.address,
    [ATTR.serverPort]: server?.port,
  })

  const hooks: KiroHooks = {
    onStart: (event) => {
      start = event
      pending.add(waiting)
      if (tracer === undefined) return
      span = tracer.startSpan(`${OPERATION_CHAT} ${event.model}`, {
        kind: SPAN_KIND_CLIENT,
        attributes: requestAttributes(event),
      })
      if (captureContent) {
        span.setAttribute(ATTR.inputMessages, inputMessages(event.params))
        const system = systemInstructions(event.params)
        if (system !== undefined) span.setAttribute(ATTR.systemInstructions, system)
      }
    },
    onRequest: (event) => {
      if (server !== undefined) return
      modelId = event.modelId
      server = serverOf(event.url)
      span?.setAttributes({
        [ATTR.serverAddress]: server?.address,
        [ATTR.serverPort]: server?.port,
      })
    },
    onRetry: (event) => {
      span?.addEvent(KIRO.retryEvent, {
        'kiro.retry.attempt': event.attempt,
        'kiro.retry.reason': event.reason,
        'kiro.retry.delay_ms': Math.round(event.delayMs),
        [ATTR.httpStatus]: event.status,
      })
      instruments?.retries.add(1, { ...metricAttributes(), 'kiro.retry.reason': event.reason })
    },
    onFirstEvent: (event) => {
      pending.delete(waiting)
      // The conventions report time to first chunk for streamed calls only.
      if (start?.stream !== true) return
      const seconds = event.timeToFirstEventMs / 1000
      span?.setAttribute(ATTR.responseTimeToFirstChunk, seconds)
      instruments?.timeToFirstChunk.record(seconds, metricAttributes())
    },
    onEnd: (event) => {
      pending.delete(waiting)
      const errorType = event.error?.name
      if (span !== undefined) {
        span.setAttributes(responseAttributes(event, modelId, errorType))
        if (accumulator?.snapshot)
          span.setAttribute(ATTR.outputMessages, outputMessages(accumulator.snapshot))
        if (event.error !== undefined)
          span.setStatus({ code: SPAN_STATUS_ERROR, message: event.error.message })
        span.end()
      }
      if (instruments === undefined) return
      const attributes = metricAttributes()
      instruments.duration.record(event.durationMs / 1000, { ...attributes, [ATTR.errorType]: errorType })
      const { usage } = event
      if (usage !== undefined) {
        instruments.tokens.record(inputTokens(usage), { ...attributes, [ATTR.tokenType]: 'input' })
        instruments.tokens.record(usage.output_tokens, { ...attributes, [ATTR.tokenType]: 'output' })
      }
    },
  }
  if (captureContent && tracer !== undefined) {
    accumulator = new MessageAccumulator()
    const content = accumulator
    hooks.onEvents = (event) => {
      for (const streamEvent of event.events) content.push(streamEvent)
    }
  }
  return hooks
}

function requestAttributes(event: StartHookEvent): OtelAttributes {
  const { params } = event
  const attributes: OtelAttributes = {
    [ATTR.operationName]: OPERATION_CHAT,
    [ATTR.providerName]: PROVIDER_NAME,
    [ATTR.requestModel]: event.model,
  }
  if (event.maxTokens !== undefined) attributes[ATTR.requestMaxTokens] = event.maxTokens
  // Set if and only if the request streams.
  if (event.stream) attributes[ATTR.requestStream] = true
  if (typeof params.temperature === 'number') attributes[ATTR.requestTemperature] = params.temperature
  if (typeof params.top_p === 'number') attributes[ATTR.requestTopP] = params.top_p
  if (typeof params.top_k === 'number') attributes[ATTR.requestTopK] = params.top_k
  if (Array.isArray(params.stop_sequences) && params.stop_sequences.length > 0) {
    attributes[ATTR.requestStopSequences] = [...params.stop_sequences]
  }
  return attributes
}

function responseAttributes(
  event: EndHookEvent,
  modelId: string | undefined,
  errorType: string | undefined,
): OtelAttributes {
  const attributes: OtelAttributes = {
    [ATTR.responseModel]: modelId,
    [ATTR.responseId]: event.messageId,
    [KIRO.attempts]: event.attempts,
    [KIRO.requestId]: event.requestId,
    [ATTR.errorType]: errorType,
  }
  if (event.stopReason) attributes[ATTR.responseFinishReasons] = [event.stopReason]
  const { usage } = event
  if (usage !== undefined) {
    attributes[ATTR.usageInputTokens] = inputTokens(usage)
    attributes[ATTR.usageOutputTokens] = usage.output_tokens
    attributes[ATTR.usageCacheReadInputTokens] = usage.cache_read_input_tokens ?? 0
    attributes[ATTR.usageCacheCreationInputTokens] = usage.cache_creation_input_tokens ?? 0
  }
  return attributes
}

/** Anthropic's `input_tokens` leaves out cached input; the conventions' count includes it. */
function inputTokens(usage: NonNullable<EndHookEvent['usage']>): number {
  return usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0)
}

function serverOf(url: string): { address: string; port: number } | undefined {
  try {
    const parsed = new URL(url)
    const port = parsed.port === '' ? (parsed.protocol === 'http:' ? 80 : 443) : Number(parsed.port)
    return { address: parsed.hostname.replace(/^\[|\]$/g, ''), port }
  } catch {
    return undefined
  }
}
