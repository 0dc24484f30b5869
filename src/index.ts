// The public surface of kiro-client: an explicit list, nothing re-exported wholesale.

export {
  ApiKeyCredentials,
  type AuthMethod,
  type CompareAndSwapResult,
  type CredentialsDescription,
  type CredentialsInput,
  type CredentialsProvider,
  type CredentialsSource,
  DEFAULT_TOKEN_FILE,
  ENV_VARIABLES,
  FileTokenStore,
  type FileTokenStoreOptions,
  type GetTokenOptions,
  IDC_REFRESH_ENDPOINT,
  KiroCliSqliteCredentials,
  type KiroCliSqliteCredentialsOptions,
  KiroCliSqliteStore,
  type KiroCliSqliteStoreOptions,
  type KiroToken,
  MemoryTokenStore,
  type RefreshEndpoints,
  type RefreshEvent,
  type RefreshHook,
  RefreshingCredentials,
  type RefreshingCredentialsOptions,
  type RefreshOptions,
  type ResolveCredentialsOptions,
  resolveCredentials,
  SOCIAL_REFRESH_ENDPOINT,
  StaticCredentials,
  type StaticCredentialsInput,
  type StaticCredentialsOptions,
  type StoredToken,
  TokenFileCredentials,
  type TokenFileCredentialsOptions,
  type TokenStore,
  type TokenStoreDescription,
} from './auth/index.js'
export { APIPromise, type WithResponse } from './client/api-promise.js'
export type {
  EndHookEvent,
  FirstEventHookEvent,
  KiroHooks,
  RequestHookEvent,
  ResponseHookEvent,
  RetryHookEvent,
} from './client/hooks.js'
export {
  KiroClient,
  type KiroClientOptions,
  type MessageWithRequestId,
  type RequestOptions,
} from './client/kiro-client.js'
export type { BetaMessages, Messages } from './client/messages-api.js'
export type { ModelInfo, ModelLine, ModelsPage } from './client/models.js'
export type { Models, ModelsPagePromise } from './client/models-api.js'
export {
  type AnthropicErrorType,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  type APIErrorInit,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  CredentialsError,
  type CredentialsErrorCode,
  EventStreamError,
  type EventStreamErrorCode,
  InternalServerError,
  KiroError,
  NotFoundError,
  OverloadedError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  type TimeoutKind,
} from './errors/index.js'
export {
  decodeEventStream,
  decodeEventStreamBatches,
  type EventStreamSource,
} from './eventstream/decode-stream.js'
export { EventStreamDecoder, type EventStreamDecoderOptions } from './eventstream/decoder.js'
export { encodeEventStreamMessage } from './eventstream/encoder.js'
export type { EventStreamHeaderValue, EventStreamMessage } from './eventstream/types.js'
export { KiroEventMapper, type KiroEventMapperOptions } from './mapper/event-mapper.js'
export type { RetryReason } from './retry/assess-failure.js'
export type { RetryScope } from './retry/retry-policy.js'
export { createAnthropicFetch } from './server/anthropic-fetch.js'
export type { AnthropicBackend, BackendRequestOptions } from './server/backend.js'
export { createAnthropicHandler, type FetchHandler } from './server/handler.js'
export { createNodeHandler, type NodeRequestListener, toNodeListener } from './server/node.js'
export type { AnthropicHandlerOptions, HandlerErrorContext } from './server/options.js'
export { type SSEResponseInit, type SSEStreamOptions, toSSEResponse, toSSEStream } from './server/sse.js'
export { accumulateMessage, MessageAccumulator } from './stream/accumulate.js'
export {
  MessageStream,
  type MessageStreamConnection,
  type MessageStreamEvents,
  type MessageStreamOptions,
  type MessageStreamProducer,
} from './stream/message-stream.js'
export type {
  AssistantResponseMessage,
  ChatMessage,
  ConversationState,
  ImageBlock,
  KiroOrigin,
  KiroRequest,
  ReasoningContent,
  ToolResult,
  ToolSpecification,
  ToolUse,
  UserInputMessage,
} from './translate/kiro-types.js'
export { contextWindowFor, KIRO_MODELS, type KiroModelInfo, toKiroModelId } from './translate/models.js'
export {
  type CheckKiroRequestOptions,
  checkKiroRequest,
  type KiroShapeIssue,
} from './translate/shape-checker.js'
export type { ThinkingBudgetBounds, ThinkingMode } from './translate/thinking.js'
export {
  type KiroTranslation,
  type ToKiroRequestOptions,
  toKiroRequest,
} from './translate/to-kiro-request.js'
export { estimateInputTokens } from './translate/token-estimate.js'
export type { KiroTimeouts } from './transport/timeouts.js'
export type {
  ContentBlockParam,
  MessageCountTokensParams,
  MessageCreateParams,
  MessageParam,
  Metadata,
  OutputConfig,
  ThinkingConfigParam,
  Tool,
  ToolUnion,
} from './types/anthropic-request.js'
export type {
  ContentBlock,
  InputJSONDelta,
  KiroToolInputTruncation,
  Message,
  MessageDeltaUsage,
  MessageStreamEvent,
  RawContentBlockDelta,
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
  RawContentBlockStopEvent,
  RawMessageDeltaEvent,
  RawMessageStartEvent,
  RawMessageStopEvent,
  RawMessageStreamEvent,
  RedactedThinkingBlock,
  SignatureDelta,
  StopReason,
  TextBlock,
  TextDelta,
  ThinkingBlock,
  ThinkingDelta,
  ToolUseBlock,
  Usage,
} from './types/anthropic-response.js'
export type {
  BetaMessageCountTokensParams,
  BetaMessageCreateParams,
  BetaMessageParam,
} from './types/beta-request.js'
