export {
  type AnthropicErrorType,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  type APIErrorInit,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  CredentialsError,
  type CredentialsErrorCode,
  EventStreamError,
  type EventStreamErrorCode,
  InternalServerError,
  KiroError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  type TimeoutKind,
} from './errors/index.js'
export { encodeEventStreamMessage } from './eventstream/encoder.js'
export type { EventStreamHeaderValue, EventStreamMessage } from './eventstream/types.js'
