// The public surface of kiro-client: an explicit list, nothing re-exported wholesale. What a user
// reaches for: the client, its stream, the errors, the server adapters, the credential providers and
// stores, and the types. The building blocks live at `kiro-client/kiro` (translator, mapper, model
// table) and `kiro-client/eventstream` (the binary codec); the simulator at `kiro-client/testing`.

export type { AccountOptions, AccountSelection } from './accounts/account-options.js'
export type { AccountStatus, AccountStatusEvent } from './accounts/account-status.js'
export type { ClientAccountsApi } from './accounts/client-accounts.js'
export type { AccountUsage, FreeTrial, UsageBreakdown, UsageOverage } from './accounts/usage-limits.js'
export {
  ApiKeyCredentials,
  type AuthMethod,
  type CompareAndSwapResult,
  type CredentialsDescription,
  type CredentialsInput,
  type CredentialsProvider,
  type CredentialsSource,
  FileTokenStore,
  type FileTokenStoreLockOptions,
  type FileTokenStoreOptions,
  type GetTokenOptions,
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
  StaticCredentials,
  type StaticCredentialsInput,
  type StaticCredentialsOptions,
  type StoredToken,
  TokenFileCredentials,
  type TokenFileCredentialsOptions,
  type TokenStore,
  type TokenStoreDescription,
  type TokenStoreLock,
} from './auth/index.js'
export { APIPromise, type WithResponse } from './client/api-promise.js'
export type {
  EndHookEvent,
  EventsHookEvent,
  FirstEventHookEvent,
  KiroHooks,
  RequestHookEvent,
  ResponseHookEvent,
  RetryHookEvent,
  StartHookEvent,
  StateWarningEvent,
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
export type { BisectFinding } from './diagnose/diagnose-400.js'
export type { DiagnosedError, ImproperlyFormedDiagnosis } from './diagnose/explain-400.js'
export type { FailureKind } from './errors/classify.js'
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
export type { LogLevel } from './observability/log-level.js'
export type { LogFn, Logger } from './observability/logger.js'
export type { InstrumentationOptions, ObservabilityOptions } from './observability/options.js'
export type { OtelMeterProvider, OtelTracerProvider } from './observability/otel-types.js'
export type { RetryReason } from './retry/assess-failure.js'
export type { RetryScope } from './retry/retry-policy.js'
export { createAnthropicFetch } from './server/anthropic-fetch.js'
export type { AnthropicBackend, BackendRequestOptions } from './server/backend.js'
export {
  type ClientKeyEntry,
  type ClientKeyMatch,
  type ClientKeys,
  createClientKeys,
  hashClientKey,
  parseClientKeys,
} from './server/client-keys.js'
export { createAnthropicHandler, type FetchHandler } from './server/handler.js'
export { createNodeHandler, type NodeRequestListener, toNodeListener } from './server/node.js'
export type { AnthropicHandlerOptions, HandlerErrorContext } from './server/options.js'
export { type SSEResponseInit, type SSEStreamOptions, toSSEResponse, toSSEStream } from './server/sse.js'
export { MemoryState, type MemoryStateOptions } from './state/memory.js'
export type {
  AccountState,
  AccountStatusRecord,
  LockLease,
  LockOptions,
  PoolSnapshot,
  SlotLease,
  State,
  StateWarning,
} from './state/types.js'
export {
  MessageStream,
  type MessageStreamConnection,
  type MessageStreamEvents,
  type MessageStreamOptions,
  type MessageStreamProducer,
} from './stream/message-stream.js'
export { createProxyFetch, envProxyFetch } from './transport/proxy-fetch.js'
export type { KiroTimeouts } from './transport/timeouts.js'
export type {
  Base64ImageSource,
  Base64PDFSource,
  BrowserStateBlockParam,
  CacheControlEphemeral,
  ContainerUploadBlockParam,
  ContentBlockParam,
  ContentBlockSource,
  DocumentBlockParam,
  Effort,
  FileSource,
  ImageBlockParam,
  MessageCountTokensParams,
  MessageCreateParams,
  MessageCreateParamsNonStreaming,
  MessageCreateParamsStreaming,
  MessageParam,
  Metadata,
  OutputConfig,
  PlainTextSource,
  RedactedThinkingBlockParam,
  SearchResultBlockParam,
  ServerTool,
  ServerToolResultBlockParam,
  ServerToolUseBlockParam,
  TextBlockParam,
  ThinkingBlockParam,
  ThinkingConfigParam,
  Tool,
  ToolChoice,
  ToolInputSchema,
  ToolReferenceBlockParam,
  ToolResultBlockParam,
  ToolUnion,
  ToolUseBlockParam,
  URLImageSource,
  URLPDFSource,
  WebSearchTool,
} from './types/anthropic-request.js'
export type {
  ContentBlock,
  InputJSONDelta,
  KiroResponseInfo,
  KiroSideEvent,
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
  ServerToolUsage,
  ServerToolUseBlock,
  SignatureDelta,
  StopReason,
  TextBlock,
  TextDelta,
  ThinkingBlock,
  ThinkingDelta,
  ToolUseBlock,
  Usage,
  WebSearchResultBlock,
  WebSearchToolResultBlock,
  WebSearchToolResultErrorCode,
} from './types/anthropic-response.js'
export type {
  BetaMessageCountTokensParams,
  BetaMessageCreateParams,
  BetaMessageParam,
} from './types/beta-request.js'
