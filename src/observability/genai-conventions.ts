// Names from the OpenTelemetry semantic conventions for generative AI (semantic-conventions 1.41,
// the release the JS `@opentelemetry/semantic-conventions` 1.45 incubating entry exports), as listed
// in docs/observability.md. Kept here as strings: the conventions package is not a dependency.

/** Instrumentation scope of the tracer and the meter. */
export const INSTRUMENTATION_SCOPE = 'kiro-client'

/**
 * `gen_ai.provider.name`. No well-known value fits Kiro (it is neither `anthropic` nor
 * `aws.bedrock`, whose `aws.bedrock.*` attributes would not apply), so a custom value in the
 * `{cloud}.{service}` style of the well-known ones.
 */
export const PROVIDER_NAME = 'aws.kiro'
export const OPERATION_CHAT = 'chat'

export const ATTR = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestStream: 'gen_ai.request.stream',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestTopK: 'gen_ai.request.top_k',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  responseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  usageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  usageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  tokenType: 'gen_ai.token.type',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  errorType: 'error.type',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  httpStatus: 'http.response.status_code',
} as const

export const METRIC = {
  operationDuration: 'gen_ai.client.operation.duration',
  tokenUsage: 'gen_ai.client.token.usage',
  timeToFirstChunk: 'gen_ai.client.operation.time_to_first_chunk',
} as const

/** Boundaries the conventions ask for: seconds for durations, powers of 4 for token counts. */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]

/** This library's own span events and metrics, outside the GenAI conventions. */
export const KIRO = {
  retryEvent: 'kiro.retry',
  refreshEvent: 'kiro.token_refresh',
  attempts: 'kiro.attempts',
  requestId: 'kiro.request_id',
  account: 'kiro.account',
  retries: 'kiro.client.retries',
  refreshes: 'kiro.client.token_refreshes',
} as const
