import { KiroError } from '../errors/kiro-error.js'
import type { RawMessageStreamEvent, StopReason, Usage } from '../types/anthropic-response.js'
import { redactSecrets } from '../util/redact.js'
import type { EndHookEvent } from './hooks.js'

/** What one request did, gathered as it runs, for the `onEnd` hook. */
export class RequestRecord {
  attempts = 0
  /** Event-stream bytes received, over every attempt. */
  bytes = 0
  /** Kiro's request id of the attempt that got through. */
  requestId: string | undefined
  /** The Anthropic message id, once `message_start` went out. */
  messageId: string | undefined
  failure: unknown
  /** The pool account that served, or last failed, the request. */
  account: string | undefined
  /** The team member it came from. */
  member: string | undefined
  #usage: Usage | undefined
  #stopReason: StopReason | null | undefined

  constructor(
    readonly invocationId: string,
    readonly model: string,
    readonly startedAt: number,
  ) {}

  /** Notes the final usage and stop reason of events on their way to the caller. */
  track(events: readonly RawMessageStreamEvent[]): void {
    for (const event of events) {
      if (event.type === 'message_delta') {
        this.#stopReason = event.delta.stop_reason
        this.#usage = event.usage as Usage
      } else if (event.type === 'message_start') this.messageId = event.message.id
    }
  }

  /** The `onEnd` payload; the error part carries no more than a name, a message and a status. */
  endEvent(): EndHookEvent {
    const failure = this.failure
    const event: EndHookEvent = {
      invocationId: this.invocationId,
      // A failed attempt's error carries Kiro's request id: the one worth quoting to support.
      requestId: this.requestId ?? (failure as { requestID?: string | undefined } | undefined)?.requestID,
      model: this.model,
      messageId: this.messageId,
      usage: this.#usage,
      stopReason: this.#stopReason,
      durationMs: performance.now() - this.startedAt,
      bytes: this.bytes,
      attempts: this.attempts,
      error:
        failure === undefined
          ? undefined
          : {
              name: failure instanceof Error ? failure.name : 'Error',
              message: redactSecrets(failure instanceof Error ? failure.message : String(failure)),
              status: KiroError.isInstance(failure) ? (failure as { status?: number }).status : undefined,
              type: errorType(failure),
            },
    }
    if (this.account !== undefined) event.account = this.account
    if (this.member !== undefined) event.member = this.member
    return event
  }
}

/** The Anthropic error type an `APIError` carries (other errors have none). */
function errorType(failure: unknown): string | undefined {
  if (!KiroError.isInstance(failure)) return undefined
  const { type } = failure as { type?: unknown }
  return typeof type === 'string' ? type : undefined
}
