export {
  type AnthropicErrorType,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  type APIErrorInit,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  type TimeoutKind,
} from './api-error.js'
export { ConfigurationError } from './configuration-error.js'
export { CredentialsError, type CredentialsErrorCode } from './credentials-error.js'
export { EventStreamError, type EventStreamErrorCode } from './event-stream-error.js'
export { KiroError } from './kiro-error.js'
