import { EventStreamDecoder, type EventStreamDecoderOptions } from './decoder.js'
import type { EventStreamMessage } from './types.js'

/** What {@link decodeEventStream} reads: a web stream (e.g. `Response.body`) or any async iterable of bytes. */
export type EventStreamSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>

/**
 * Decodes a byte stream into batches: one array per chunk that completed at least one message, as
 * soon as that chunk arrives. The fastest form (one promise per chunk, not per message).
 *
 * Leaving the loop early (`break`, `return`, a throw) cancels a `ReadableStream` source and releases
 * its reader, or calls `return()` on an async iterable source. An error of the source propagates
 * unchanged; a decoding fault is an `EventStreamError`, thrown after the good messages before it.
 *
 * @param source - the response body or any async iterable of `Uint8Array` chunks
 * @param options - decoder options (`maxMessageLength`)
 * @throws {@link EventStreamError} on corrupt, oversized or truncated input
 */
export async function* decodeEventStreamBatches(
  source: EventStreamSource,
  options?: EventStreamDecoderOptions,
): AsyncGenerator<EventStreamMessage[], void, undefined> {
  const decoder = new EventStreamDecoder(options)
  for await (const chunk of chunksOf(source)) {
    const batch = decoder.push(chunk)
    if (batch.length > 0) yield batch
    // Stop at a fault found after good messages, rather than after the next network read.
    const failure = decoder.failure
    if (failure !== undefined) throw failure
  }
  decoder.end()
}

/**
 * Decodes a byte stream into messages.
 *
 * Each chunk is decoded synchronously and its messages are handed out from that batch, so there is no
 * extra await per message beyond the iterator protocol itself. Same early-exit and error behaviour as
 * {@link decodeEventStreamBatches}.
 *
 * @example
 * ```ts
 * for await (const message of decodeEventStream(response.body!)) {
 *   const type = message.headers[':event-type']?.value
 * }
 * ```
 * @param source - the response body or any async iterable of `Uint8Array` chunks
 * @param options - decoder options (`maxMessageLength`)
 * @throws {@link EventStreamError} on corrupt, oversized or truncated input
 */
export async function* decodeEventStream(
  source: EventStreamSource,
  options?: EventStreamDecoderOptions,
): AsyncGenerator<EventStreamMessage, void, undefined> {
  for await (const batch of decodeEventStreamBatches(source, options)) {
    for (const message of batch) yield message
  }
}

function isReadableStream(source: EventStreamSource): source is ReadableStream<Uint8Array> {
  return typeof (source as { getReader?: unknown }).getReader === 'function'
}

function chunksOf(source: EventStreamSource): AsyncIterable<Uint8Array> {
  if (isReadableStream(source)) return readerChunks(source)
  if (source === null || typeof source !== 'object' || !(Symbol.asyncIterator in source)) {
    throw new TypeError(
      'decodeEventStream: source must be a ReadableStream or an AsyncIterable of Uint8Array',
    )
  }
  return source
}

/**
 * Reads through a reader rather than the stream's own async iterator, which not every runtime has.
 * Like that iterator, an early exit cancels the stream (so an HTTP body stops downloading).
 */
async function* readerChunks(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader()
  let done = false
  try {
    while (true) {
      const result = await reader.read()
      if (result.done) {
        done = true
        return
      }
      yield result.value
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}
