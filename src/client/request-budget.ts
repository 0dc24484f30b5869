import { type APIConnectionTimeoutError, APIUserAbortError } from '../errors/api-error.js'
import { timeoutError } from '../transport/timeouts.js'

/**
 * The `total` timeout of one request between its attempts: the token wait and the retry sleeps.
 * Each attempt enforces the same deadline itself (the transport measures from the same start), so
 * together they bound the whole request, as docs/transport.md promises. Without a total this is
 * just the caller's signal.
 */
export class RequestBudget {
  /** Aborts when the caller aborts or the total runs out. */
  readonly signal: AbortSignal
  /** `performance.now()` by which the request must be done; undefined without a total. */
  readonly deadline: number | undefined
  readonly #caller: AbortSignal
  #controller: AbortController | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #expired: APIConnectionTimeoutError | undefined

  constructor(totalMs: number | undefined, startedAt: number, caller: AbortSignal) {
    this.#caller = caller
    if (totalMs === undefined) {
      this.signal = caller
      this.deadline = undefined
      return
    }
    const controller = new AbortController()
    this.#controller = controller
    this.signal = controller.signal
    this.deadline = startedAt + totalMs
    if (caller.aborted) {
      controller.abort(caller.reason)
      return
    }
    caller.addEventListener('abort', this.#onCallerAbort, { once: true })
    const expire = () => {
      this.#expired = timeoutError('total', totalMs)
      controller.abort(this.#expired)
    }
    const left = this.deadline - performance.now()
    if (left <= 0) expire()
    else this.#timer = setTimeout(expire, left)
  }

  /**
   * The error to report for `error`: a wait cut short by the spent budget surfaces as the total
   * timeout, not as an abort the caller never asked for.
   */
  explain(error: unknown): unknown {
    if (this.#expired !== undefined && !this.#caller.aborted && error instanceof APIUserAbortError) {
      return this.#expired
    }
    return error
  }

  /** Clears the timer and the listener. Idempotent. */
  dispose(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#caller.removeEventListener('abort', this.#onCallerAbort)
  }

  readonly #onCallerAbort = (): void => {
    this.#controller?.abort(this.#caller.reason)
  }
}
