import type { RefreshHook } from '../auth/types.js'
import type { KiroHooks } from '../client/hooks.js'
import { fanOut } from './fan-out.js'
import { INSTRUMENTATION_SCOPE } from './genai-conventions.js'
import { logHooks } from './log-hooks.js'
import { type ObservabilityOptions, processEnv, resolveObservability } from './options.js'
import { loadOtelApi, otelApi } from './otel-api.js'
import { instrumentsOf } from './otel-instruments.js'
import { OtelSubscriber } from './otel-subscriber.js'
import type { OtelApi, OtelMeter, OtelMeterProvider, OtelTracer, OtelTracerProvider } from './otel-types.js'
import { stderrLogger } from './stderr-logger.js'

const NO_HOOKS: KiroHooks = {}

/**
 * The observability of one client: the user's hooks, plus the logging and OpenTelemetry
 * subscribers when someone listens. It decides per request; a request nobody observes runs with the
 * user's hooks alone, exactly as without this module (docs/observability.md, "Cost").
 */
export class Telemetry {
  /** For the credentials provider: every refresh, to the user's hook and the subscribers. */
  readonly onRefresh: RefreshHook | undefined
  /** The user's hooks: what a request nobody else observes runs with. */
  readonly userHooks: KiroHooks
  readonly #log: KiroHooks | undefined
  readonly #otel: OtelSource | undefined
  /** The hooks of the last combination of subscribers, kept while it does not change. */
  #combined: { otel: OtelSubscriber | undefined; hooks: KiroHooks } | undefined

  constructor(options: ObservabilityOptions & { hooks?: KiroHooks | undefined }) {
    const resolved = resolveObservability(options, processEnv())
    this.userHooks = options.hooks ?? NO_HOOKS
    this.#log =
      resolved.logLevel === 'off' ? undefined : logHooks(resolved.logLevel, resolved.logger ?? stderrLogger)
    if (resolved.instrumentation !== false) {
      this.#otel = new OtelSource(resolved.tracerProvider, resolved.meterProvider, resolved.instrumentation)
      if (this.#otel.usesGlobals) loadOtelApi()
    }
    const user = this.userHooks.onTokenRefresh
    const log = this.#log?.onTokenRefresh
    const otel = this.#otel
    this.onRefresh =
      user === undefined && log === undefined && otel === undefined
        ? undefined
        : (event) => {
            for (const hook of [user, log, otel && ((e: typeof event) => otel.subscriber()?.refreshed(e))]) {
              try {
                hook?.(event)
              } catch {
                // A broken subscriber must not fail the refresh.
              }
            }
          }
  }

  /** The hooks of one request. */
  hooks(): KiroHooks {
    const otel = this.#otel?.subscriber()
    if (otel === undefined && this.#log === undefined) return this.userHooks
    const combined = this.#combined
    if (combined !== undefined && combined.otel === otel) return combined.hooks
    const subscribers = [this.userHooks]
    if (otel !== undefined) subscribers.push(otel.hooks)
    if (this.#log !== undefined) subscribers.push(this.#log)
    const hooks = fanOut(subscribers)
    this.#combined = { otel, hooks }
    return hooks
  }
}

/** The tracer and meter to use now (the configured ones, or the global ones while registered), and their subscriber. */
class OtelSource {
  readonly usesGlobals: boolean
  readonly #tracer: OtelTracer | undefined
  readonly #meter: OtelMeter | undefined
  readonly #captureContent: boolean
  #last:
    | { tracer: OtelTracer | undefined; meter: OtelMeter | undefined; subscriber: OtelSubscriber }
    | undefined

  constructor(
    tracerProvider: OtelTracerProvider | undefined,
    meterProvider: OtelMeterProvider | undefined,
    options: { captureContent: boolean },
  ) {
    this.#tracer = tracerProvider?.getTracer(INSTRUMENTATION_SCOPE)
    this.#meter = meterProvider?.getMeter(INSTRUMENTATION_SCOPE)
    this.#captureContent = options.captureContent
    this.usesGlobals = tracerProvider === undefined || meterProvider === undefined
  }

  /** The subscriber for the tracer and meter of now; undefined when there are none. */
  subscriber(): OtelSubscriber | undefined {
    const api = this.usesGlobals ? otelApi() : undefined
    const tracer = this.#tracer ?? (api && globalTracer(api))
    const meter = this.#meter ?? (api && globalMeter(api))
    if (tracer === undefined && meter === undefined) return undefined
    const last = this.#last
    if (last !== undefined && last.tracer === tracer && last.meter === meter) return last.subscriber
    const subscriber = new OtelSubscriber({
      tracer,
      instruments: meter === undefined ? undefined : instrumentsOf(meter),
      captureContent: this.#captureContent,
    })
    this.#last = { tracer, meter, subscriber }
    return subscriber
  }
}

/** The registered provider's tracer; undefined while none is registered (the API's proxy says so). */
function globalTracer(api: OtelApi): OtelTracer | undefined {
  const provider = api.trace.getTracerProvider()
  return typeof provider.getDelegateTracer === 'function'
    ? provider.getDelegateTracer(INSTRUMENTATION_SCOPE)
    : provider.getTracer(INSTRUMENTATION_SCOPE)
}

/** The registered provider's meter; undefined while the API hands out its no-op meter. */
function globalMeter(api: OtelApi): OtelMeter | undefined {
  const meter = api.metrics.getMeterProvider().getMeter(INSTRUMENTATION_SCOPE)
  return meter === api.createNoopMeter() ? undefined : meter
}
