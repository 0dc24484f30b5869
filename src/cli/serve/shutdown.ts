import type { Server } from 'node:http'

/**
 * Stops a server gracefully (docs/security.md, "Shutting down"): no new connections, idle
 * keep-alive ones closed, running requests given `deadlineMs` to finish. Past the deadline,
 * `closing` is aborted, so streams still running end with a retryable `event: error` frame rather
 * than a cut, and after a moment for those frames to go out every connection is closed.
 *
 * @returns how many connections were still open at the deadline (0: everything finished).
 */
export async function shutDown(
  server: Server,
  closing: AbortController,
  deadlineMs: number,
): Promise<number> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()))
  // A keep-alive connection turns idle when its answer is done: close it then, not at the deadline.
  server.closeIdleConnections()
  const sweep = setInterval(() => server.closeIdleConnections(), 100)
  const finished = await within(closed, deadlineMs)
  clearInterval(sweep)
  if (finished) return 0
  const left = await new Promise<number>((resolve) =>
    server.getConnections((_, count) => resolve(count ?? 0)),
  )
  closing.abort()
  // The error frames are one write each; give them a moment to leave before the sockets go.
  await within(closed, 1_000)
  server.closeAllConnections()
  await closed
  return left
}

/** True when `promise` settles within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false)
  })
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}
