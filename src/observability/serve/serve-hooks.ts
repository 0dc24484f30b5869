import type { KiroHooks } from '../../client/hooks.js'
import { currentRecord } from './request-record.js'
import type { ServeMetrics } from './serve-metrics.js'

/**
 * The client hooks of `serve`: they fill in the record of the HTTP request being handled (model,
 * tokens, attempts, failure) and count upstream attempts, retries and refreshes. One set for the
 * whole server; each call finds its request through async context.
 */
export function serveHooks(metrics: ServeMetrics | undefined): KiroHooks {
  return {
    onRequest: (event) => {
      const record = currentRecord()
      if (record !== undefined) {
        record.model = event.model
        record.attempts = event.attempt
        if (event.account !== undefined) record.accountId = event.account
      }
      metrics?.upstreamAttempt(event.model)
    },
    onResponse: (event) => {
      metrics?.upstreamResponse(currentRecord()?.model ?? '', event.status)
    },
    onRetry: (event) => metrics?.upstreamRetry(event.reason),
    onTokenRefresh: (event) => metrics?.tokenRefresh(event),
    onEnd: (event) => {
      const record = currentRecord()
      if (record === undefined) return
      const { usage, error } = event
      if (usage !== undefined) {
        record.inputTokens = usage.input_tokens
        record.outputTokens = usage.output_tokens
        record.cacheReadTokens = usage.cache_read_input_tokens ?? 0
        record.cacheCreationTokens = usage.cache_creation_input_tokens ?? 0
      }
      if (error !== undefined) record.error = { name: error.name, type: error.type }
      if (event.account !== undefined) record.accountId = event.account
    },
  }
}
