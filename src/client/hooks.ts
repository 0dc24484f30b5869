import type { AccountStatusEvent } from '../accounts/account-status.js'
import type { RefreshEvent } from '../auth/types.js'
import type { RetryReason } from '../retry/assess-failure.js'
import type { StateWarning } from '../state/types.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { RawMessageStreamEvent, StopReason, Usage } from '../types/anthropic-response.js'

/** `onStart`: a request began, before translation, the token and the first attempt. */
export interface StartHookEvent {
  /** One id for all attempts of a request (`amz-sdk-invocation-id`). */
  invocationId: string
  /** The model the caller asked for. */
  model: string
  maxTokens: number | undefined
  /** True for `stream()` and `create({ stream: true })`; false when the caller awaits the whole message. */
  stream: boolean
  /**
   * The caller's params as given (not copied; do not modify them). They hold the conversation, so a
   * subscriber that records them must say so; they never hold a credential.
   */
  params: MessageCreateParams
}

/** `onRequest`: an attempt is about to be sent. */
export interface RequestHookEvent {
  /** One id for all attempts of a request (`amz-sdk-invocation-id`). */
  invocationId: string
  /** 1-based attempt number. */
  attempt: number
  /** The model the caller asked for, and the Kiro model id it became. */
  model: string
  modelId: string
  url: string
  /** Size of the serialized request body. */
  bodyBytes: number
  /** Parameters Kiro cannot honour that the request carried (accepted and ignored). */
  ignored: readonly string[]
  /** The pool account the request went to (docs/accounts.md); absent for a single login. */
  account?: string | undefined
  /** The team member the request came from (a client key's name), when known. */
  member?: string | undefined
}

/** `onResponse`: the response headers of an attempt arrived (an error answer's too, once its body was read). */
export interface ResponseHookEvent {
  invocationId: string
  attempt: number
  status: number
  /** Kiro's `x-amzn-requestid`. */
  requestId: string | undefined
  /** From the start of this attempt to the response headers. */
  timeToHeadersMs: number
  /** The pool account the request went to (docs/accounts.md); absent for a single login. */
  account?: string | undefined
}

/** `onFirstEvent`: the first Anthropic event is about to reach the caller. */
export interface FirstEventHookEvent {
  invocationId: string
  requestId: string | undefined
  /** From the call to `stream()`/`create()` to the first event. */
  timeToFirstEventMs: number
  /** The pool account the request went to (docs/accounts.md); absent for a single login. */
  account?: string | undefined
}

/** `onRetry`: an attempt failed and another follows after `delayMs`. */
export interface RetryHookEvent {
  invocationId: string
  /** The attempt that failed. */
  attempt: number
  delayMs: number
  reason: RetryReason
  status: number | undefined
  /** The failure's message; never holds a credential. */
  message: string
  /** The account the attempt failed on; with `account_failover` the next attempt goes to another. */
  account?: string | undefined
}

/** `onEvents`: a batch of Anthropic events is about to reach the caller (the first batch too). */
export interface EventsHookEvent {
  invocationId: string
  events: readonly RawMessageStreamEvent[]
}

/** `onEnd`: a request finished, successfully or not. */
export interface EndHookEvent {
  invocationId: string
  requestId: string | undefined
  model: string
  /** The Anthropic message id (`msg_…`), once `message_start` went out. */
  messageId: string | undefined
  /** Final usage, when the message completed. */
  usage: Usage | undefined
  stopReason: StopReason | null | undefined
  durationMs: number
  /** Event-stream bytes received. */
  bytes: number
  attempts: number
  /** Set when the request failed or was aborted. */
  error?:
    | {
        name: string
        message: string
        status?: number | undefined
        /** The Anthropic error type (`rate_limit_error`, …) of an `APIError`. */
        type?: string | undefined
      }
    | undefined
  /** The pool account that served (or last failed) the request; absent for a single login. */
  account?: string | undefined
  /** The team member the request came from (a client key's name), when known. */
  member?: string | undefined
}

/**
 * Observability callbacks. Each is optional and costs nothing when absent. A hook that throws is
 * ignored (it never breaks a request). No payload carries a token, refresh token or client secret.
 */
export interface KiroHooks {
  onStart?: ((event: StartHookEvent) => void) | undefined
  onRequest?: ((event: RequestHookEvent) => void) | undefined
  onResponse?: ((event: ResponseHookEvent) => void) | undefined
  onFirstEvent?: ((event: FirstEventHookEvent) => void) | undefined
  onRetry?: ((event: RetryHookEvent) => void) | undefined
  onTokenRefresh?: ((event: RefreshEvent) => void) | undefined
  /** Called for every batch of events; leave it unset unless the events are needed (it is per chunk). */
  onEvents?: ((event: EventsHookEvent) => void) | undefined
  onEnd?: ((event: EndHookEvent) => void) | undefined
  /** A pool account was parked (throttled, out of quota, suspended...) or came back (docs/accounts.md). */
  onAccountStatus?: ((event: AccountStatusEvent) => void) | undefined
  /**
   * The pool's shared state (Redis) could not be reached, so requests go on with this process's own
   * view, or it is back (docs/shared-state.md "When Redis is down or slow").
   */
  onStateWarning?: ((event: StateWarningEvent) => void) | undefined
}

/** Every hook, once: a hook added to {@link KiroHooks} without a row here does not compile. */
const HOOKS: { readonly [K in keyof KiroHooks]-?: true } = {
  onStart: true,
  onRequest: true,
  onResponse: true,
  onFirstEvent: true,
  onRetry: true,
  onTokenRefresh: true,
  onEvents: true,
  onEnd: true,
  onAccountStatus: true,
  onStateWarning: true,
}

/** The names of the hooks {@link KiroHooks} may hold. */
export const HOOK_NAMES = Object.keys(HOOKS) as ReadonlyArray<keyof KiroHooks>

/** `onStateWarning`: the warning, and which kind of state gave it (`redis`, …). */
export type StateWarningEvent = StateWarning & { state: string }

/** Calls a hook, swallowing anything it throws: observability must never break a request. */
export function callHook<T>(hook: ((event: T) => void) | undefined, event: () => T): void {
  if (hook === undefined) return
  try {
    hook(event())
  } catch {
    // A broken hook is the caller's bug; the request goes on.
  }
}
