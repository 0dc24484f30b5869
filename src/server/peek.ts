import { queuedEventsOf, takeQueued } from '../stream/queued-events.js'

/** The first item of an async sequence, and the whole sequence again (that item included). */
export interface Peeked<T> {
  /** True when the sequence ended without yielding anything. */
  empty: boolean
  /** Iterates the sequence from its first item; `return()` (a `break`, a cancel) reaches the source. */
  all: AsyncIterable<T>
}

/**
 * Waits for the first item of `source`, so a server can still answer a real HTTP error status when
 * the request fails before anything was streamed (docs/compatibility.md §0 item 9). Whatever
 * `source` throws before its first item rejects the returned promise; what it throws later reaches
 * `onLaterError` on its way to the consumer.
 */
export async function peekFirst<T>(
  source: AsyncIterable<T>,
  onLaterError?: (error: unknown) => void,
): Promise<Peeked<T>> {
  const iterator = source[Symbol.asyncIterator]()
  const first = await iterator.next()
  let replayed = first.done === true
  const queued = queuedEventsOf<T>(source)
  const all: AsyncIterable<T> & { [takeQueued]?: () => T[] } = {
    // What the source holds follows the first item: only once it was replayed.
    ...(queued && { [takeQueued]: () => (replayed ? queued() : []) }),
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        if (!replayed) {
          replayed = true
          return first
        }
        if (onLaterError === undefined) return iterator.next()
        try {
          return await iterator.next()
        } catch (error) {
          onLaterError(error)
          throw error
        }
      },
      return: async (value?: unknown) => {
        replayed = true
        return (await iterator.return?.(value)) ?? { done: true, value: undefined }
      },
    }),
  }
  return { empty: first.done === true, all }
}
