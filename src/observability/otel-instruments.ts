import { DURATION_BUCKETS, KIRO, METRIC, TOKEN_BUCKETS } from './genai-conventions.js'
import type { OtelCounter, OtelHistogram, OtelMeter } from './otel-types.js'

/** The instruments of one meter: the GenAI client metrics and this library's retry/refresh counters. */
export interface GenAiInstruments {
  duration: OtelHistogram
  tokens: OtelHistogram
  timeToFirstChunk: OtelHistogram
  retries: OtelCounter
  refreshes: OtelCounter
}

const cache = new WeakMap<OtelMeter, GenAiInstruments>()

/** Creates the instruments once per meter (the SDK hands out the same meter for the same scope). */
export function instrumentsOf(meter: OtelMeter): GenAiInstruments {
  let instruments = cache.get(meter)
  if (instruments === undefined) {
    instruments = {
      duration: meter.createHistogram(METRIC.operationDuration, {
        description: 'GenAI operation duration.',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
      tokens: meter.createHistogram(METRIC.tokenUsage, {
        description: 'Number of input and output tokens used.',
        unit: '{token}',
        advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
      }),
      timeToFirstChunk: meter.createHistogram(METRIC.timeToFirstChunk, {
        description: 'Time to receive the first chunk of a streamed response.',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS },
      }),
      retries: meter.createCounter(KIRO.retries, {
        description: 'Attempts of a Kiro request that failed and were retried, by reason.',
        unit: '{retry}',
      }),
      refreshes: meter.createCounter(KIRO.refreshes, {
        description: 'Access-token refreshes, by outcome.',
        unit: '{refresh}',
      }),
    }
    cache.set(meter, instruments)
  }
  return instruments
}
