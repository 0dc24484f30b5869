import { KiroError } from '../errors/kiro-error.js'
import type { RawMessageStreamEvent, StopReason, Usage } from '../types/anthropic-response.js'
import type { EndHookEvent } from './hooks.js'

/** What one request did, gathered as it runs, for the `onEnd` hook. */
export class RequestRecord {
  attempts = 0
  /** Event-stream bytes received, over every attempt. */
  bytes = 0
  /** Kiro's request id of the attempt that got through. */
  requestId: string | undefined
  failure: unknown
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
      }
    }
  }

  /** The `onEnd` payload; the error part carries no more than a name, a message and a status. */
  endEvent(): EndHookEvent {
    const failure = this.failure
    return {
      invocationId: this.invocationId,
      // A failed attempt's error carries Kiro's request id: the one worth quoting to support.
      requestId: this.requestId ?? (failure as { requestID?: string | undefined } | undefined)?.requestID,
      model: this.model,
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
              message: failure instanceof Error ? failure.message : String(failure),
              status: KiroError.isInstance(failure) ? (failure as { status?: number }).status : undefined,
            },
    }
  }
}
