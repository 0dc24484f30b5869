import { ConfigurationError } from '../errors/configuration-error.js'
import { type LogLevel, parseLogLevel } from './log-level.js'
import type { Logger } from './logger.js'
import type { OtelMeterProvider, OtelTracerProvider } from './otel-types.js'

/** OpenTelemetry settings of the client (docs/observability.md). */
export interface InstrumentationOptions {
  /**
   * Record the prompt, system prompt and answer on the span (`gen_ai.input.messages`,
   * `gen_ai.system_instructions`, `gen_ai.output.messages`). They may hold personal data.
   * @defaultValue false, unless `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`
   */
  captureContent?: boolean | undefined
}

/** The observability options of `KiroClient`. */
export interface ObservabilityOptions {
  /**
   * Where spans go. @defaultValue the global tracer provider of `@opentelemetry/api`, when the
   * package is installed and a provider is registered; otherwise no spans are made
   */
  tracerProvider?: OtelTracerProvider | undefined
  /** Where GenAI metrics go. @defaultValue the global meter provider, as for `tracerProvider` */
  meterProvider?: OtelMeterProvider | undefined
  /** `false` turns OpenTelemetry off entirely (the API is not even loaded). @defaultValue `{}` */
  instrumentation?: false | InstrumentationOptions | undefined
  /** @defaultValue `KIRO_LOG` from the environment, else `'off'` */
  logLevel?: LogLevel | undefined
  /** @defaultValue standard error */
  logger?: Logger | undefined
}

export interface ResolvedObservability {
  logLevel: LogLevel
  logger: Logger | undefined
  instrumentation: false | { captureContent: boolean }
  tracerProvider: OtelTracerProvider | undefined
  meterProvider: OtelMeterProvider | undefined
}

const LOGGER_METHODS = ['error', 'warn', 'info', 'debug'] as const

/** Checks the observability options, naming the field at fault, and applies the environment. */
export function resolveObservability(
  options: ObservabilityOptions,
  env: Record<string, string | undefined>,
): ResolvedObservability {
  const { KIRO_LOG: envLevel, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: envCapture } = env
  const logLevel = parseLogLevel(options.logLevel, 'logLevel') ?? parseLogLevel(envLevel, 'KIRO_LOG') ?? 'off'
  const { logger, instrumentation, tracerProvider, meterProvider } = options
  if (logger !== undefined) {
    for (const method of LOGGER_METHODS) {
      if (typeof (logger as unknown as Record<string, unknown> | null)?.[method] !== 'function') {
        throw new ConfigurationError(
          'logger',
          `must have error, warn, info and debug methods; ${method} is missing`,
        )
      }
    }
  }
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== 'function') {
    throw new ConfigurationError('tracerProvider', 'must be an OpenTelemetry TracerProvider (with getTracer)')
  }
  if (meterProvider !== undefined && typeof meterProvider?.getMeter !== 'function') {
    throw new ConfigurationError('meterProvider', 'must be an OpenTelemetry MeterProvider (with getMeter)')
  }
  if (
    instrumentation !== undefined &&
    instrumentation !== false &&
    (typeof instrumentation !== 'object' || instrumentation === null)
  ) {
    throw new ConfigurationError(
      'instrumentation',
      `must be false or an object, got ${JSON.stringify(instrumentation)}`,
    )
  }
  const capture = instrumentation === false ? undefined : instrumentation?.captureContent
  if (capture !== undefined && typeof capture !== 'boolean') {
    throw new ConfigurationError(
      'instrumentation.captureContent',
      `must be a boolean, got ${JSON.stringify(capture)}`,
    )
  }
  return {
    logLevel,
    logger,
    instrumentation:
      instrumentation === false
        ? false
        : {
            captureContent: capture ?? envCapture?.trim().toLowerCase() === 'true',
          },
    tracerProvider,
    meterProvider,
  }
}

/** The process environment where there is one (Node, Bun, Deno with permission); empty elsewhere. */
export function processEnv(): Record<string, string | undefined> {
  try {
    return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {}
  } catch {
    // Deno without --allow-env throws on access.
    return {}
  }
}
