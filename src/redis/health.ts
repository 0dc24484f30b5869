import type { StateWarning } from '../state/types.js'

/** What `onWarning` receives; never holds a secret or a Redis URL. */
export type RedisStateWarning = StateWarning

/**
 * Whether Redis is worth asking. After a failure, calls go to the local state at once (no timeout
 * paid per request) and one call in each `retryIntervalMs` probes Redis; the first success ends
 * the outage, which the caller then resynchronises.
 */
export class RedisHealth {
  readonly #retryIntervalMs: number
  readonly #warn: (warning: RedisStateWarning) => void
  #downSince: number | undefined
  #probeAt = 0

  constructor(retryIntervalMs: number, warn: (warning: RedisStateWarning) => void) {
    this.#retryIntervalMs = retryIntervalMs
    this.#warn = warn
  }

  get up(): boolean {
    return this.#downSince === undefined
  }

  /** True when this call should go to Redis: always while up, once per interval while down. */
  shouldTry(): boolean {
    if (this.#downSince === undefined) return true
    const now = Date.now()
    if (now < this.#probeAt) return false
    this.#probeAt = now + this.#retryIntervalMs
    return true
  }

  /** Records a success; true when it ended an outage. */
  succeeded(): boolean {
    if (this.#downSince === undefined) return false
    const downMs = Date.now() - this.#downSince
    this.#downSince = undefined
    this.#warn({ type: 'recovered', downMs })
    return true
  }

  failed(operation: string, error: unknown): void {
    this.#probeAt = Date.now() + this.#retryIntervalMs
    if (this.#downSince !== undefined) return
    this.#downSince = Date.now()
    this.#warn({ type: 'unavailable', operation, message: describeFailure(error) })
  }
}

/** A Redis failure as its class and code only: messages can quote hosts, keys or arguments. */
export function describeFailure(error: unknown): string {
  if (error instanceof RedisTimeout) return error.message
  const name = error instanceof Error ? error.name : typeof error
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? `${name} ${code}` : name
}

/** A Redis call that did not answer within the command timeout. */
class RedisTimeout extends Error {
  override name = 'RedisTimeout'
}

/** Bounds one Redis call: the call may still complete on the server, but nobody waits for it. */
export function bounded<T>(call: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisTimeout(`timeout after ${timeoutMs} ms`)), timeoutMs)
    call.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
