import { EventStreamError } from '../../src/errors/event-stream-error.js'
import { EventStreamDecoder, type EventStreamDecoderOptions } from '../../src/eventstream/decoder.js'
import type { EventStreamMessage } from '../../src/eventstream/types.js'

export interface Outcome {
  messages: EventStreamMessage[]
  error?: EventStreamError
}

/** Cuts `bytes` at the given offsets (sorted, inside the buffer) into separate copies. */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = []
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.slice(from, cut))
    from = cut
  }
  return chunks
}

/** Cuts `bytes` into copies of `size` bytes (the last may be shorter). */
export function splitEvery(bytes: Uint8Array, size: number): Uint8Array[] {
  const cuts: number[] = []
  for (let at = size; at < bytes.length; at += size) cuts.push(at)
  return splitAt(bytes, cuts)
}

/**
 * Feeds every chunk, then ends the input. Collects the messages, and the error if one was thrown:
 * any exception that is not an EventStreamError escapes and fails the calling test.
 */
export function feed(chunks: Uint8Array[], options?: EventStreamDecoderOptions): Outcome {
  const decoder = new EventStreamDecoder(options)
  const messages: EventStreamMessage[] = []
  try {
    for (const chunk of chunks) messages.push(...decoder.push(chunk))
    decoder.end()
    return { messages }
  } catch (error) {
    if (!(error instanceof EventStreamError)) throw error
    return { messages, error }
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
