// The `kiro-client/kiro` entry: the stages `KiroClient` composes, for callers who build their own
// pipeline (docs/architecture.md). Anthropic params -> `toKiroRequest` -> Kiro request body;
// Kiro event-stream messages -> `KiroEventMapper` -> Anthropic stream events -> `accumulateMessage`.
// Plus the model table and the login defaults (token file, environment variables, refresh endpoints).

export { DEFAULT_TOKEN_FILE } from '../auth/file-token-store.js'
export { IDC_REFRESH_ENDPOINT, SOCIAL_REFRESH_ENDPOINT } from '../auth/refresh/endpoints.js'
export { ENV_VARIABLES } from '../auth/sources/static.js'
export { KiroEventMapper, type KiroEventMapperOptions } from '../mapper/event-mapper.js'
export { accumulateMessage, MessageAccumulator } from '../stream/accumulate.js'
export type {
  AssistantResponseMessage,
  ChatMessage,
  ConversationState,
  ImageBlock,
  ImageFormat,
  KiroAgentTaskType,
  KiroOrigin,
  KiroRequest,
  KiroTool,
  ReasoningContent,
  ToolResult,
  ToolResultContentBlock,
  ToolSpecification,
  ToolUse,
  UserInputMessage,
  UserInputMessageContext,
} from '../translate/kiro-types.js'
export { contextWindowFor, KIRO_MODELS, type KiroModelInfo, toKiroModelId } from '../translate/models.js'
export {
  type CheckKiroRequestOptions,
  checkKiroRequest,
  type KiroShapeIssue,
} from '../translate/shape-checker.js'
export { SHAPE_RULES, type ShapeRule, type ShapeRuleInfo } from '../translate/shape-rule-ids.js'
export type { ThinkingBudgetBounds, ThinkingMode } from '../translate/thinking.js'
export {
  type KiroTranslation,
  type ToKiroRequestOptions,
  toKiroRequest,
} from '../translate/to-kiro-request.js'
export { estimateInputTokens } from '../translate/token-estimate.js'
