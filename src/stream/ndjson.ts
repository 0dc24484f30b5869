/**
 * The newline-delimited JSON form of an event stream that `MessageStream.toReadableStream()` and
 * `MessageStream.fromReadableStream()` exchange (the same format as `@anthropic-ai/sdk`'s).
 */

const encoder = new TextEncoder()

/** One JSON line per value, one chunk per line; cancelling the stream returns the iterator. */
export function toNdjsonStream<T>(iterator: AsyncIterator<T>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next()
        if (done) controller.close()
        else controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`))
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}

/** The values of an NDJSON byte stream; blank lines are skipped; stops reading when `signal` aborts. */
export async function* fromNdjsonStream(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<unknown> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  const onAbort = () => {
    reader.cancel().catch(() => {})
  }
  signal.addEventListener('abort', onAbort, { once: true })
  let buffered = ''
  try {
    for (;;) {
      if (signal.aborted) return
      const { value, done } = await reader.read()
      if (done) break
      buffered += decoder.decode(value, { stream: true })
      let newline = buffered.indexOf('\n')
      while (newline !== -1) {
        const line = buffered.slice(0, newline).trim()
        buffered = buffered.slice(newline + 1)
        if (line) yield JSON.parse(line)
        newline = buffered.indexOf('\n')
      }
    }
    const last = (buffered + decoder.decode()).trim()
    if (last) yield JSON.parse(last)
  } finally {
    signal.removeEventListener('abort', onAbort)
    reader.releaseLock()
  }
}
