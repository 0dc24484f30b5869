import { APIUserAbortError } from '../errors/api-error.js'

const TOKEN_WAIT = 'Request was aborted while waiting for a Kiro access token.'

function abortError(signal: AbortSignal, message = TOKEN_WAIT): APIUserAbortError {
  return new APIUserAbortError(message, { cause: signal.reason })
}

/**
 * Waits for a shared promise on behalf of one caller: the caller's abort rejects only this wait
 * (with `APIUserAbortError` saying `message`), never the shared work other callers are waiting for.
 */
export function waitFor<T>(
  shared: Promise<T>,
  signal: AbortSignal | undefined,
  message = TOKEN_WAIT,
): Promise<T> {
  if (signal === undefined) return shared
  if (signal.aborted) return Promise.reject(abortError(signal, message))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, message))
    signal.addEventListener('abort', onAbort, { once: true })
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/** A plain delay. Kept referenced: someone is awaiting it, and an unref'd timer could let Node exit mid-wait. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Throws `APIUserAbortError` if the caller already gave up. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal)
}
