import { EventStreamDecoder } from '../../src/eventstream/decoder.js'
import type { EventStreamMessage } from '../../src/eventstream/types.js'
import { KiroEventMapper, type KiroEventMapperOptions } from '../../src/mapper/event-mapper.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { encodeStream } from '../fixtures/stream/frames.js'

export interface MapResult {
  mapper: KiroEventMapper
  /** All events, in order, including those returned before an error. */
  events: RawMessageStreamEvent[]
  /** The events each `push` returned, per decoded message, then `finish`'s. */
  batches: RawMessageStreamEvent[][]
  error: unknown
}

/**
 * Runs frames through the real pipeline: encoded to bytes, split into `chunkSize` chunks, decoded,
 * mapped; `finish()` when the body ended cleanly (as the client does).
 */
export function mapFrames(
  frames: readonly EventStreamMessage[],
  options: KiroEventMapperOptions,
  chunkSize = Number.POSITIVE_INFINITY,
): MapResult {
  const bytes = encodeStream(frames)
  const decoder = new EventStreamDecoder()
  const mapper = new KiroEventMapper(options)
  const events: RawMessageStreamEvent[] = []
  const batches: RawMessageStreamEvent[][] = []
  const step = Number.isFinite(chunkSize) ? chunkSize : bytes.length
  try {
    for (let at = 0; at < bytes.length; at += step) {
      for (const message of decoder.push(bytes.subarray(at, at + step))) {
        const batch = mapper.push(message)
        batches.push(batch)
        events.push(...batch)
      }
    }
    decoder.end()
    const last = mapper.finish()
    batches.push(last)
    events.push(...last)
    return { mapper, events, batches, error: undefined }
  } catch (error) {
    return { mapper, events, batches, error }
  }
}
