/**
 * The events a stream already holds, taken at once without waiting: a writer that has just read one
 * event takes the rest of what the same network read brought, and sends them in one write
 * (docs/server.md, "Streaming"). Only the stream's reader may call it, between its reads.
 */
export const takeQueued: unique symbol = Symbol.for('kiro-client.takeQueued')

/** A source of {@link takeQueued} events: a `MessageStream`, or a wrapper that forwards to one. */
export interface QueuedEvents<T> {
  [takeQueued](): T[]
}

/** The `takeQueued` of `source` bound to it, or undefined when it has none. */
export function queuedEventsOf<T>(source: object): (() => T[]) | undefined {
  const take = (source as Partial<QueuedEvents<T>>)[takeQueued]
  return typeof take === 'function' ? () => take.call(source) : undefined
}
