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

/** The observability options of `KiroClient` (docs/observability.md). */
export interface ObservabilityOptions {
  /**
   * Where spans go. @defaultValue the global tracer provider of `@opentelemetry/api`, when the
   * package is installed and a provider is registered; otherwise no spans are made
   */
  tracerProvider?: OtelTracerProvider | undefined
  /** Where GenAI metrics go. @defaultValue the global meter provider, as for `tracerProvider` */
  meterProvider?: OtelMeterProvider | undefined
  /** `false` turns OpenTelemetry off entirely (the API is not even looked for). @defaultValue `{}` */
  instrumentation?: false | InstrumentationOptions | undefined
  /** `off`, `error`, `warn`, `info` or `debug`. @defaultValue `KIRO_LOG` from the environment, else `'off'` */
  logLevel?: LogLevel | undefined
  /** Where log lines go (`console`, pino, winston, …). @defaultValue standard error */
  logger?: Logger | undefined
}

// Checks in the shape of src/client/option-checks.ts: the value to keep, or a ConfigurationError
// naming the field. Never called with undefined.

export function checkLogLevel(value: unknown, field: string): LogLevel {
  return parseLogLevel(value, field) ?? 'off'
}

const LOGGER_METHODS = ['error', 'warn', 'info', 'debug'] as const

export function checkLogger(value: unknown, field: string): Logger {
  for (const method of LOGGER_METHODS) {
    if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') {
      throw new ConfigurationError(
        field,
        `must have error, warn, info and debug methods; ${method} is missing.`,
      )
    }
  }
  return value as Logger
}

export function checkTracerProvider(value: unknown, field: string): OtelTracerProvider {
  if (typeof (value as OtelTracerProvider | null)?.getTracer !== 'function') {
    throw new ConfigurationError(field, 'must be an OpenTelemetry TracerProvider (with getTracer).')
  }
  return value as OtelTracerProvider
}

export function checkMeterProvider(value: unknown, field: string): OtelMeterProvider {
  if (typeof (value as OtelMeterProvider | null)?.getMeter !== 'function') {
    throw new ConfigurationError(field, 'must be an OpenTelemetry MeterProvider (with getMeter).')
  }
  return value as OtelMeterProvider
}

export function checkInstrumentation(value: unknown, field: string): false | InstrumentationOptions {
  if (value === false) return false
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(field, 'must be false or an object such as { captureContent: true }.')
  }
  for (const [name, setting] of Object.entries(value)) {
    if (name !== 'captureContent') {
      throw new ConfigurationError(`${field}.${name}`, 'unknown setting; the one setting is captureContent.')
    }
    if (setting !== undefined && typeof setting !== 'boolean') {
      throw new ConfigurationError(`${field}.${name}`, 'must be true or false.')
    }
  }
  return value as InstrumentationOptions
}

export interface ResolvedObservability {
  logLevel: LogLevel
  logger: Logger | undefined
  instrumentation: false | { captureContent: boolean }
  tracerProvider: OtelTracerProvider | undefined
  meterProvider: OtelMeterProvider | undefined
}

/** The observability options with the environment applied (`KIRO_LOG`, the content switch). */
export function resolveObservability(
  options: ObservabilityOptions,
  env: Record<string, string | undefined>,
): ResolvedObservability {
  const { KIRO_LOG: envLevel, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: envCapture } = env
  const given = <T>(value: unknown, check: (value: unknown, field: string) => T, field: string) =>
    value === undefined ? undefined : check(value, field)
  const instrumentation = given(options.instrumentation, checkInstrumentation, 'instrumentation')
  return {
    logLevel:
      given(options.logLevel, checkLogLevel, 'logLevel') ?? parseLogLevel(envLevel, 'KIRO_LOG') ?? 'off',
    logger: given(options.logger, checkLogger, 'logger'),
    instrumentation:
      instrumentation === false
        ? false
        : { captureContent: instrumentation?.captureContent ?? envCapture?.trim().toLowerCase() === 'true' },
    tracerProvider: given(options.tracerProvider, checkTracerProvider, 'tracerProvider'),
    meterProvider: given(options.meterProvider, checkMeterProvider, 'meterProvider'),
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
