import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'

/** A tracer provider and a meter provider of the real SDK, exporting to memory. */
export function otelHarness() {
  const spanExporter = new InMemorySpanExporter()
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] })
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  })
  const meterProvider = new MeterProvider({ readers: [reader] })
  return {
    tracerProvider,
    meterProvider,
    spans: (): ReadableSpan[] => spanExporter.getFinishedSpans(),
    /** Every metric exported so far, by name (the last export wins: temporality is cumulative). */
    async metrics(): Promise<Map<string, MetricData>> {
      await meterProvider.forceFlush()
      const byName = new Map<string, MetricData>()
      for (const resource of metricExporter.getMetrics()) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric)
        }
      }
      return byName
    },
    async close(): Promise<void> {
      await tracerProvider.shutdown()
      await meterProvider.shutdown()
    },
  }
}

export type HistogramPoint = DataPoint<Histogram>

/** The histogram points of a metric, or none. */
export function histogramPoints(metric: MetricData | undefined): HistogramPoint[] {
  return (metric?.dataPoints ?? []) as HistogramPoint[]
}

/** The value points of a counter, or none. */
export function counterPoints(metric: MetricData | undefined): Array<DataPoint<number>> {
  return (metric?.dataPoints ?? []) as Array<DataPoint<number>>
}
