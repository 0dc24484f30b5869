// The slice of the OpenTelemetry API this library calls, as structural types: the public options
// accept the SDK's providers without the package having to be installed for the types to resolve.

type OtelAttributeValue = string | number | boolean | string[]
export type OtelAttributes = Record<string, OtelAttributeValue | undefined>

/** `SpanKind.CLIENT` and `SpanStatusCode.ERROR` of `@opentelemetry/api` (stable numbers). */
export const SPAN_KIND_CLIENT = 2
export const SPAN_STATUS_ERROR = 2

export interface OtelSpan {
  setAttribute(key: string, value: OtelAttributeValue): unknown
  setAttributes(attributes: OtelAttributes): unknown
  addEvent(name: string, attributes?: OtelAttributes): unknown
  setStatus(status: { code: number; message?: string }): unknown
  end(): void
}

export interface OtelTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: OtelAttributes }): OtelSpan
}

/** A `TracerProvider` of `@opentelemetry/api` (the SDK's `BasicTracerProvider`, `NodeTracerProvider`). */
export interface OtelTracerProvider {
  getTracer(name: string, version?: string): OtelTracer
}

export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void
}

export interface OtelCounter {
  add(value: number, attributes?: OtelAttributes): void
}

interface OtelInstrumentOptions {
  description?: string
  unit?: string
  advice?: { explicitBucketBoundaries?: number[] }
}

export interface OtelMeter {
  createHistogram(name: string, options?: OtelInstrumentOptions): OtelHistogram
  createCounter(name: string, options?: OtelInstrumentOptions): OtelCounter
}

/** A `MeterProvider` of `@opentelemetry/api` (the SDK's `MeterProvider`). */
export interface OtelMeterProvider {
  getMeter(name: string, version?: string): OtelMeter
}

/** What this library uses of the `@opentelemetry/api` module itself: the global providers. */
export interface OtelApi {
  trace: {
    getTracerProvider(): OtelTracerProvider & {
      /** Present on the API's proxy provider: the registered provider's tracer, or undefined. */
      getDelegateTracer?(name: string, version?: string): OtelTracer | undefined
    }
  }
  metrics: { getMeterProvider(): OtelMeterProvider }
  /** The no-op meter the API hands out while no meter provider is registered. */
  createNoopMeter(): OtelMeter
}
