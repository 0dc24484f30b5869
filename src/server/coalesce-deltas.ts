import type { RawContentBlockDeltaEvent, RawMessageStreamEvent } from '../types/anthropic-response.js'

/**
 * The delta kinds that carry one string piece (text, thinking, tool input), and the member holding
 * it: their pieces join by plain concatenation, and the SSE writer frames them without a walk.
 */
export const STRING_DELTAS = {
  text_delta: 'text',
  thinking_delta: 'thinking',
  input_json_delta: 'partial_json',
} as const

type JoinableType = keyof typeof STRING_DELTAS

/** The joinable kind of a `content_block_delta`, or undefined for any other event. */
function joinableType(event: RawMessageStreamEvent): JoinableType | undefined {
  if (event.type !== 'content_block_delta') return undefined
  const type = event.delta.type
  return type in STRING_DELTAS ? (type as JoinableType) : undefined
}

/**
 * The events of one batch (those a writer takes at once, docs/server.md "Streaming") with each run
 * of consecutive `content_block_delta`s of the same block and kind (`text_delta`, `thinking_delta`,
 * `input_json_delta`) joined into one delta carrying their pieces end to end. What a client builds
 * from the events (the text, the thinking, the tool input, the final message) is unchanged; it gets
 * fewer, larger deltas. `signature_delta` and every other event pass as they are, in order.
 *
 * Returns `events` itself when nothing was joined, and never changes an event it was given: a
 * joined delta is a new object, with the members of the run's first event in the same order.
 */
export function coalesceDeltas(events: readonly RawMessageStreamEvent[]): readonly RawMessageStreamEvent[] {
  let out: RawMessageStreamEvent[] | undefined
  let i = 0
  while (i < events.length) {
    const event = events[i] as RawMessageStreamEvent
    const kind = joinableType(event)
    let end = i + 1
    if (kind !== undefined) {
      const index = (event as RawContentBlockDeltaEvent).index
      while (end < events.length) {
        const next = events[end] as RawMessageStreamEvent
        if (joinableType(next) !== kind || (next as RawContentBlockDeltaEvent).index !== index) break
        end++
      }
    }
    if (end - i > 1 && kind !== undefined) {
      out ??= events.slice(0, i)
      out.push(joined(events, i, end, kind))
    } else out?.push(event)
    i = end
  }
  return out ?? events
}

/** The deltas `events[from..to)` (one block, one kind) as one. */
function joined(
  events: readonly RawMessageStreamEvent[],
  from: number,
  to: number,
  kind: JoinableType,
): RawContentBlockDeltaEvent {
  const member = STRING_DELTAS[kind]
  let piece = ''
  for (let i = from; i < to; i++) {
    const delta = (events[i] as RawContentBlockDeltaEvent).delta as unknown as Record<string, string>
    piece += delta[member]
  }
  const first = events[from] as RawContentBlockDeltaEvent
  return { ...first, delta: { ...first.delta, [member]: piece } } as RawContentBlockDeltaEvent
}
