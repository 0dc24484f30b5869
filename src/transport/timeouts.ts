import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  type TimeoutKind,
} from '../errors/api-error.js'
import { KiroError } from '../errors/kiro-error.js'

/**
 * The three limits on one request. There is deliberately no single "timeout": a long
 * answer that keeps streaming is healthy; a silent one is not.
 */
export interface KiroTimeouts {
  /** Until the response headers arrive, ms. @defaultValue 60_000 */
  response: number
  /** Longest silence between two body chunks, ms; reset by every chunk. @defaultValue 120_000 */
  idle: number
  /** The whole request, body included, ms; measured from `startedAt`. @defaultValue none */
  total?: number | undefined
}

const DEFAULT_RESPONSE_TIMEOUT_MS = 60_000
const DEFAULT_IDLE_TIMEOUT_MS = 120_000

/**
 * Fills in the defaults. The values were checked with the client's options (src/client/options.ts):
 * positive millisecond counts that setTimeout can hold.
 */
export function resolveTimeouts(input: Partial<KiroTimeouts> | undefined): KiroTimeouts {
  const response = input?.response ?? DEFAULT_RESPONSE_TIMEOUT_MS
  const idle = input?.idle ?? DEFAULT_IDLE_TIMEOUT_MS
  const total = input?.total
  return total === undefined ? { response, idle } : { response, idle, total }
}

const ADVICE: Record<TimeoutKind, (ms: number) => string> = {
  response: (ms) =>
    `Kiro sent no response headers within ${ms} ms (timeout.response); the request was cancelled. ` +
    'Try again, or raise timeout.response.',
  idle: (ms) =>
    `Kiro sent nothing for ${ms} ms in the middle of the response (timeout.idle); the connection was closed. ` +
    'Try again, or raise timeout.idle.',
  total: (ms) =>
    `The request ran longer than ${ms} ms in all (timeout.total) and was cancelled. ` +
    'Raise timeout.total for long answers.',
  refresh: (ms) => `Refreshing the Kiro token took longer than ${ms} ms and was cancelled.`,
}

/** The error a timeout raises: which limit fired and after how long. */
export function timeoutError(kind: TimeoutKind, ms: number): APIConnectionTimeoutError {
  return new APIConnectionTimeoutError(kind, ms, ADVICE[kind](ms))
}

/**
 * The signal and timers of one attempt: one AbortController linked to the caller's signal, a
 * response timer, an optional total timer, and an idle watch that runs only while a body read is
 * pending (a slow consumer is not a silent server). The controller is always aborted with a typed
 * error, so whoever sees the abort can rethrow `signal.reason` as it is.
 */
export class AttemptTimers {
  readonly #controller = new AbortController()
  readonly #caller: AbortSignal | undefined
  readonly #idleMs: number
  #responseTimer: ReturnType<typeof setTimeout> | undefined
  #totalTimer: ReturnType<typeof setTimeout> | undefined
  #idleTimer: ReturnType<typeof setTimeout> | undefined
  #readStartedAt = 0
  #reading = false
  #disposed = false

  constructor(timeouts: KiroTimeouts, caller: AbortSignal | undefined, startedAt: number) {
    this.#caller = caller
    this.#idleMs = timeouts.idle
    if (caller?.aborted) {
      this.#controller.abort(new APIUserAbortError())
      return
    }
    caller?.addEventListener('abort', this.#onCallerAbort, { once: true })
    this.#responseTimer = setTimeout(this.#fire, timeouts.response, 'response', timeouts.response)
    if (timeouts.total !== undefined) {
      const left = timeouts.total - (performance.now() - startedAt)
      if (left <= 0) this.#controller.abort(timeoutError('total', timeouts.total))
      else this.#totalTimer = setTimeout(this.#fire, left, 'total', timeouts.total)
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** Headers are in: the response timer has done its job. */
  headersArrived(): void {
    clearTimeout(this.#responseTimer)
    this.#responseTimer = undefined
  }

  /** A body read is about to wait on the network. */
  readStarted(): void {
    this.#reading = true
    this.#readStartedAt = performance.now()
    // One timer per idle period rather than one per chunk: when it fires it checks how long the
    // current read has really been waiting and re-arms for the remainder.
    if (this.#idleTimer === undefined && !this.#disposed) {
      this.#idleTimer = setTimeout(this.#checkIdle, this.#idleMs)
    }
  }

  /** The pending read returned. */
  readEnded(): void {
    this.#reading = false
  }

  /**
   * The typed error for a failure of fetch or of a body read: the abort reason when this attempt's
   * controller fired (timeout or caller abort), otherwise a connection error.
   */
  failure(cause: unknown, during: 'request' | 'body'): Error {
    const reason: unknown = this.#controller.signal.reason
    if (this.#controller.signal.aborted && KiroError.isInstance(reason)) return reason
    if (KiroError.isInstance(cause)) return cause
    return new APIConnectionError(
      during === 'request'
        ? 'Could not reach Kiro (connection failed). Check the network and the endpoint, then try again.'
        : 'The connection to Kiro broke while the response was streaming. Try again.',
      { cause },
    )
  }

  /** Aborts the attempt (used when the consumer stops early); the reason is a user abort. */
  abort(): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(new APIUserAbortError())
  }

  /** Clears every timer and removes the listener on the caller's signal. Idempotent. */
  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    clearTimeout(this.#responseTimer)
    clearTimeout(this.#totalTimer)
    clearTimeout(this.#idleTimer)
    this.#responseTimer = this.#totalTimer = this.#idleTimer = undefined
    this.#caller?.removeEventListener('abort', this.#onCallerAbort)
  }

  readonly #onCallerAbort = (): void => {
    this.#controller.abort(new APIUserAbortError())
  }

  readonly #fire = (kind: TimeoutKind, ms: number): void => {
    if (!this.#controller.signal.aborted) this.#controller.abort(timeoutError(kind, ms))
  }

  readonly #checkIdle = (): void => {
    this.#idleTimer = undefined
    if (this.#disposed || !this.#reading) return
    const waited = performance.now() - this.#readStartedAt
    if (waited >= this.#idleMs) {
      this.#fire('idle', this.#idleMs)
      return
    }
    this.#idleTimer = setTimeout(this.#checkIdle, this.#idleMs - waited)
  }
}
