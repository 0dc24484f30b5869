import { APIUserAbortError } from '../errors/api-error.js'

/** A wait that the caller's signal cuts short. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/**
 * Waits `ms` milliseconds; rejects with `APIUserAbortError` as soon as `signal` aborts.
 * The timer is cleared and the listener removed on both paths.
 */
export const abortableSleep: Sleep = (ms, signal) => {
  if (signal?.aborted) return Promise.reject(new APIUserAbortError())
  if (ms <= 0) return Promise.resolve()
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(new APIUserAbortError())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
