/**
 * The signal of an upstream call made for one HTTP request (docs/security.md, "Shutting down"):
 * aborted when the client leaves, and also when the server shuts down while nothing has been
 * answered yet. Once the answer is committed (a stream's first event is out), `committed()` lets
 * go of the shutdown: from then on the stream ends itself with a retryable error frame.
 */
export function untilAnswered(
  request: AbortSignal,
  closing: AbortSignal | undefined,
): { signal: AbortSignal; committed(): void } {
  if (closing === undefined) return { signal: request, committed: () => {} }
  const controller = new AbortController()
  const onRequest = () => controller.abort(request.reason)
  const onClosing = () => controller.abort(closing.reason)
  if (request.aborted) onRequest()
  else if (closing.aborted) onClosing()
  else {
    request.addEventListener('abort', onRequest, { once: true })
    closing.addEventListener('abort', onClosing, { once: true })
  }
  return {
    signal: controller.signal,
    committed: () => closing.removeEventListener('abort', onClosing),
  }
}
