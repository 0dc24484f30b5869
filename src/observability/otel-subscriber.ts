import type { RefreshEvent } from '../auth/types.js'
import type {
  EndHookEvent,
  EventsHookEvent,
  FirstEventHookEvent,
  KiroHooks,
  RequestHookEvent,
  RetryHookEvent,
  StartHookEvent,
} from '../client/hooks.js'
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

/** Where telemetry goes; either side may be absent. */
export interface OtelTargets {
  tracer: OtelTracer | undefined
  instruments: GenAiInstruments | undefined
  captureContent: boolean
}

/** What the subscriber keeps about one request between its hooks. */
interface Tracked {
  span: OtelSpan | undefined
  start: StartHookEvent
  /** The metric attributes, complete once the first attempt was sent. */
  attributes: OtelAttributes
  sent: boolean
  /** Before its first event: blocking token refreshes are noted on its span. */
  waiting: boolean
  accumulator: MessageAccumulator | undefined
}

/**
 * The OpenTelemetry subscriber of a client (docs/observability.md, "OpenTelemetry"): per request a
 * `chat {model}` client span with the GenAI attributes and `kiro.retry` / `kiro.token_refresh`
 * events, and the GenAI client metrics. Its hooks are made once; each request is one map entry
 * from `onStart` to `onEnd`.
 */
export class OtelSubscriber {
  readonly hooks: KiroHooks
  readonly #targets: OtelTargets
  readonly #requests = new Map<string, Tracked>()

  constructor(targets: OtelTargets) {
    this.#targets = targets
    this.hooks = {
      onStart: (event) => this.#start(event),
      onRequest: (event) => this.#request(event),
      onRetry: (event) => this.#retry(event),
      onFirstEvent: (event) => this.#firstEvent(event),
      onEnd: (event) => this.#end(event),
    }
    if (targets.captureContent && targets.tracer !== undefined)
      this.hooks.onEvents = (event) => this.#events(event)
  }

  /** A refresh: counted; a blocking one is noted on the spans of the requests waiting for their first event. */
  refreshed(event: RefreshEvent): void {
    this.#targets.instruments?.refreshes.add(1, {
      'kiro.token_refresh.outcome': event.ok ? 'success' : 'failure',
      'kiro.token_refresh.background': event.background,
    })
    if (event.background) return
    for (const tracked of this.#requests.values()) {
      if (!tracked.waiting) continue
      tracked.span?.addEvent(KIRO.refreshEvent, {
        'kiro.token_refresh.ok': event.ok,
        'kiro.token_refresh.duration_ms': Math.round(event.durationMs),
        'kiro.token_refresh.error': event.error?.code,
      })
    }
  }

  #start(event: StartHookEvent): void {
    const { tracer, captureContent } = this.#targets
    const span = tracer?.startSpan(`${OPERATION_CHAT} ${event.model}`, {
      kind: SPAN_KIND_CLIENT,
      attributes: requestAttributes(event),
    })
    if (span !== undefined && captureContent) {
      span.setAttribute(ATTR.inputMessages, inputMessages(event.params))
      const system = systemInstructions(event.params)
      if (system !== undefined) span.setAttribute(ATTR.systemInstructions, system)
    }
    this.#requests.set(event.invocationId, {
      span,
      start: event,
      attributes: {
        [ATTR.operationName]: OPERATION_CHAT,
        [ATTR.providerName]: PROVIDER_NAME,
        [ATTR.requestModel]: event.model,
      },
      sent: false,
      waiting: true,
      accumulator: span !== undefined && captureContent ? new MessageAccumulator() : undefined,
    })
  }

  #request(event: RequestHookEvent): void {
    const tracked = this.#requests.get(event.invocationId)
    if (tracked === undefined || tracked.sent) return
    tracked.sent = true
    const { attributes } = tracked
    attributes[ATTR.responseModel] = event.modelId
    const server = serverOf(event.url)
    if (server === undefined) return
    attributes[ATTR.serverAddress] = server.address
    attributes[ATTR.serverPort] = server.port
    tracked.span?.setAttributes({ [ATTR.serverAddress]: server.address, [ATTR.serverPort]: server.port })
  }

  #retry(event: RetryHookEvent): void {
    const tracked = this.#requests.get(event.invocationId)
    if (tracked === undefined) return
    tracked.span?.addEvent(KIRO.retryEvent, {
      'kiro.retry.attempt': event.attempt,
      'kiro.retry.reason': event.reason,
      'kiro.retry.delay_ms': Math.round(event.delayMs),
      [ATTR.httpStatus]: event.status,
      [KIRO.account]: event.account,
    })
    this.#targets.instruments?.retries.add(1, { ...tracked.attributes, 'kiro.retry.reason': event.reason })
  }

  #firstEvent(event: FirstEventHookEvent): void {
    const tracked = this.#requests.get(event.invocationId)
    if (tracked === undefined) return
    tracked.waiting = false
    // The conventions report time to first chunk for streamed calls only.
    if (!tracked.start.stream) return
    const seconds = event.timeToFirstEventMs / 1000
    tracked.span?.setAttribute(ATTR.responseTimeToFirstChunk, seconds)
    this.#targets.instruments?.timeToFirstChunk.record(seconds, tracked.attributes)
  }

  #events(event: EventsHookEvent): void {
    const accumulator = this.#requests.get(event.invocationId)?.accumulator
    if (accumulator !== undefined) for (const streamEvent of event.events) accumulator.push(streamEvent)
  }

  #end(event: EndHookEvent): void {
    const tracked = this.#requests.get(event.invocationId)
    if (tracked === undefined) return
    this.#requests.delete(event.invocationId)
    const errorType = event.error?.name
    const { span, attributes } = tracked
    if (span !== undefined) {
      span.setAttributes(responseAttributes(event, attributes[ATTR.responseModel], errorType))
      const answer = tracked.accumulator?.snapshot
      if (answer !== undefined) span.setAttribute(ATTR.outputMessages, outputMessages(answer))
      if (event.error !== undefined) span.setStatus({ code: SPAN_STATUS_ERROR, message: event.error.message })
      span.end()
    }
    const { instruments } = this.#targets
    if (instruments === undefined) return
    instruments.duration.record(
      event.durationMs / 1000,
      errorType === undefined ? attributes : { ...attributes, [ATTR.errorType]: errorType },
    )
    const { usage } = event
    if (usage !== undefined) {
      instruments.tokens.record(inputTokens(usage), { ...attributes, [ATTR.tokenType]: 'input' })
      instruments.tokens.record(usage.output_tokens, { ...attributes, [ATTR.tokenType]: 'output' })
    }
  }
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
  modelId: unknown,
  errorType: string | undefined,
): OtelAttributes {
  const attributes: OtelAttributes = {
    [ATTR.responseModel]: typeof modelId === 'string' ? modelId : undefined,
    [ATTR.responseId]: event.messageId,
    [KIRO.attempts]: event.attempts,
    [KIRO.requestId]: event.requestId,
    [KIRO.account]: event.account,
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
