import type { RefreshEvent, RefreshHook } from '../auth/types.js'
import type { KiroHooks } from '../client/hooks.js'
import { fanOut } from './fan-out.js'
import { INSTRUMENTATION_SCOPE } from './genai-conventions.js'
import { logHooks } from './log-hooks.js'
import { type ObservabilityOptions, processEnv, resolveObservability } from './options.js'
import { loadOtelApi, otelApi } from './otel-api.js'
import { instrumentsOf } from './otel-instruments.js'
import { type OtelTargets, otelRequestHooks, type PendingSpan } from './otel-request.js'
import type { OtelApi, OtelMeter, OtelTracer } from './otel-types.js'
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
  readonly #user: KiroHooks
  readonly #log: KiroHooks | undefined
  readonly #otel: OtelSource | undefined
  readonly #pending = new Set<PendingSpan>()

  constructor(options: ObservabilityOptions & { hooks?: KiroHooks | undefined }) {
    const resolved = resolveObservability(options, processEnv())
    this.#user = options.hooks ?? NO_HOOKS
    this.userHooks = this.#user
    this.#log =
      resolved.logLevel === 'off' ? undefined : logHooks(resolved.logLevel, resolved.logger ?? stderrLogger)
    if (resolved.instrumentation !== false) {
      this.#otel = new OtelSource(resolved.tracerProvider, resolved.meterProvider, resolved.instrumentation)
      if (this.#otel.usesGlobals) loadOtelApi()
    }
    const user = this.#user.onTokenRefresh
    const log = this.#log?.onTokenRefresh
    const otel = this.#otel
    this.onRefresh =
      user === undefined && log === undefined && otel === undefined
        ? undefined
        : (event) => {
            for (const hook of [user, log]) {
              try {
                hook?.(event)
              } catch {
                // A broken subscriber must not fail the refresh.
              }
            }
            try {
              otel?.refreshed(event, this.#pending)
            } catch {
              // As above.
            }
          }
  }

  /** The hooks of one request. */
  hooks(): KiroHooks {
    const targets = this.#otel?.targets()
    if (targets === undefined && this.#log === undefined) return this.#user
    const subscribers = [this.#user]
    if (targets !== undefined) subscribers.push(otelRequestHooks(targets, this.#pending))
    if (this.#log !== undefined) subscribers.push(this.#log)
    return fanOut(subscribers)
  }
}

/** The tracer and meter to use now: the configured ones, or the global ones while registered. */
class OtelSource {
  readonly usesGlobals: boolean
  readonly #tracer: OtelTracer | undefined
  readonly #meter: OtelMeter | undefined
  readonly #captureContent: boolean

  constructor(
    tracerProvider: { getTracer(name: string): OtelTracer } | undefined,
    meterProvider: { getMeter(name: string): OtelMeter } | undefined,
    options: { captureContent: boolean },
  ) {
    this.#tracer = tracerProvider?.getTracer(INSTRUMENTATION_SCOPE)
    this.#meter = meterProvider?.getMeter(INSTRUMENTATION_SCOPE)
    this.#captureContent = options.captureContent
    this.usesGlobals = tracerProvider === undefined || meterProvider === undefined
  }

  targets(): OtelTargets | undefined {
    const api = this.usesGlobals ? otelApi() : undefined
    const tracer = this.#tracer ?? (api && globalTracer(api))
    const meter = this.#meter ?? (api && globalMeter(api))
    if (tracer === undefined && meter === undefined) return undefined
    return {
      tracer,
      instruments: meter === undefined ? undefined : instrumentsOf(meter),
      captureContent: this.#captureContent,
    }
  }

  refreshed(event: RefreshEvent, pending: ReadonlySet<PendingSpan>): void {
    const targets = this.targets()
    if (targets === undefined) return
    targets.instruments?.refreshes.add(1, {
      'kiro.token_refresh.outcome': event.ok ? 'success' : 'failure',
      'kiro.token_refresh.background': event.background,
    })
    // A background refresh kept nobody waiting; a blocking one held up the requests not yet answered.
    if (!event.background) for (const span of pending) span.refreshed(event)
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
