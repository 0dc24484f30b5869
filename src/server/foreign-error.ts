import { KiroError } from '../errors/kiro-error.js'

/**
 * The failure behind `error` when it is not one the library raised on purpose: anything that is
 * not a `KiroError` (a bug, a custom credentials provider's `TypeError`), or a plain `KiroError`
 * that only wraps one (a `MessageStream` reports every failure as a `KiroError`). Undefined for
 * the library's own errors, whose messages are written to be shown. A foreign failure's message
 * was never vetted: it may name internals or carry data, so it is never sent to a client.
 */
export function foreignFailure(error: unknown): unknown {
  if (!KiroError.isInstance(error)) return error
  const cause = (error as { cause?: unknown }).cause
  if (error.name === 'KiroError' && cause !== undefined && !KiroError.isInstance(cause)) return cause
  return undefined
}

/** A stack overflow: deep input reached a recursive walk. The input's fault, not the server's. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message)
}
