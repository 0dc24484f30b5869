/**
 * kiro-client's streaming path below `MessageStream`, as the client runs it: each chunk decoded into a
 * batch of messages, each message mapped to Anthropic events, no message built. The CPU case uses it
 * to show where the client's time goes, the memory case to show that the streaming path itself stays
 * flat. Internal modules, not public API.
 */
import { decodeEventStreamBatches, type EventStreamSource } from '../../src/eventstream/decode-stream.js'
import { KiroEventMapper } from '../../src/mapper/event-mapper.js'
import { benchParams } from './scenarios.js'

/** Decodes and maps a whole body; returns the number of Anthropic events produced. */
export async function mapBody(body: EventStreamSource): Promise<number> {
  const mapper = new KiroEventMapper({ model: benchParams.model, contextWindow: 200_000 })
  let events = 0
  for await (const batch of decodeEventStreamBatches(body)) {
    for (const message of batch) events += mapper.push(message).length
  }
  return events + mapper.finish().length
}
