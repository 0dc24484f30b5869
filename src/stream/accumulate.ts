import { KiroError } from '../errors/kiro-error.js'
import type {
  ContentBlock,
  KiroResponseInfo,
  Message,
  RawMessageStreamEvent,
  ServerToolUseBlock,
  ToolUseBlock,
} from '../types/anthropic-response.js'
import { IncrementalPartialJson } from './incremental-json.js'
import { parsePartialJson } from './partial-json.js'

/**
 * Builds the `Message` a stream of `RawMessageStreamEvent`s describes, one event at a time, with the
 * same rules as `@anthropic-ai/sdk`'s MessageStream (docs/compatibility.md §2.3): blocks are
 * appended on `content_block_start` (in order), deltas extend the block they apply to, and
 * `message_delta` overwrites the stop fields and the cumulative usage. A tool block's `input` is the
 * partial parse of the JSON received so far while it streams (see `parsePartialJson`) and the parsed
 * object once the block stops.
 *
 * The snapshot and its blocks are the accumulator's own copies. Text and thinking deltas extend their
 * block in place, as earlier `@anthropic-ai/sdk` releases did (1.x copies the block on every delta,
 * which costs a long response more than the rest of its accumulation), so a block read mid-stream
 * keeps growing: copy it to keep it as it was. A tool block is replaced on each JSON delta. MessageStream and `messages.create()` both use it, so
 * streaming and non-streaming results cannot differ. Events are never mutated.
 */
export class MessageAccumulator {
  #snapshot: Message | undefined
  /** The input JSON of each streaming tool block, read once as it arrives (docs/streaming.md). */
  readonly #json = new Map<number, IncrementalPartialJson>()

  /** The message so far; undefined before `message_start`. */
  get snapshot(): Message | undefined {
    return this.#snapshot
  }

  /** Applies one event and returns the snapshot after it (undefined before `message_start`). */
  push(event: RawMessageStreamEvent): Message | undefined {
    if (event.type === 'message_start') {
      if (this.#snapshot) {
        throw new KiroError(`Unexpected event order, got ${event.type} before receiving "message_stop"`)
      }
      const message = event.message
      // Blocks are copied too: deltas update them in place, and the event's must stay untouched.
      this.#snapshot = {
        ...message,
        content: message.content.map((block) => ({ ...block })),
        usage: { ...message.usage },
      }
      return this.#snapshot
    }
    const snapshot = this.#snapshot
    if (!snapshot) return undefined
    switch (event.type) {
      case 'content_block_start':
        snapshot.content.push({ ...event.content_block })
        break
      case 'content_block_delta':
        this.#delta(snapshot.content, event.index, event.delta)
        break
      case 'content_block_stop': {
        const block = snapshot.content[event.index]
        const json = this.#json.get(event.index)
        if ((block?.type === 'tool_use' || block?.type === 'server_tool_use') && json !== undefined) {
          this.#json.delete(event.index)
          const { type, id, name, caller } = block
          snapshot.content[event.index] = {
            type,
            id,
            name,
            caller,
            input: finalInput(json.text()),
          } as ToolInputBlock
        }
        break
      }
      case 'message_delta': {
        const { delta, usage } = event
        snapshot.stop_reason = delta.stop_reason
        snapshot.stop_sequence = delta.stop_sequence
        snapshot.stop_details = delta.stop_details
        if (delta.container != null) snapshot.container = delta.container
        // Cumulative totals: overwrite when present, never add (docs/compatibility.md §2.3).
        snapshot.usage.output_tokens = usage.output_tokens
        if (usage.input_tokens != null) snapshot.usage.input_tokens = usage.input_tokens
        if (usage.cache_creation_input_tokens != null) {
          snapshot.usage.cache_creation_input_tokens = usage.cache_creation_input_tokens
        }
        if (usage.cache_read_input_tokens != null) {
          snapshot.usage.cache_read_input_tokens = usage.cache_read_input_tokens
        }
        if (usage.server_tool_use != null) snapshot.usage.server_tool_use = usage.server_tool_use
        if (usage.kiro_credits !== undefined) snapshot.usage.kiro_credits = usage.kiro_credits
        if (event.kiro_truncation !== undefined) snapshot.kiro_truncation = event.kiro_truncation
        copyKiroInfo(event, snapshot)
        break
      }
      case 'message_stop':
        break
    }
    return snapshot
  }

  #delta(
    content: ContentBlock[],
    index: number,
    delta: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta'],
  ): void {
    const block = content[index]
    if (!block) return
    // In place: a copy per delta was the largest single cost of a streamed response.
    switch (delta.type) {
      case 'text_delta':
        if (block.type === 'text') block.text += delta.text
        return
      case 'thinking_delta':
        if (block.type === 'thinking') block.thinking += delta.thinking
        return
      case 'signature_delta':
        if (block.type === 'thinking') block.signature = delta.signature
        return
      case 'input_json_delta':
        if (block.type === 'tool_use' || block.type === 'server_tool_use') {
          let json = this.#json.get(index)
          if (json === undefined) {
            json = new IncrementalPartialJson()
            this.#json.set(index, json)
          }
          json.push(delta.partial_json)
          content[index] = this.#withJson(block, json)
        }
        return
    }
  }

  /**
   * A copy of the block whose `input` is the partial parse of the JSON so far, made on first read:
   * the incremental reader's snapshot while no later fragment arrived, else a parse of this block's
   * own prefix (a block kept from earlier in the stream still shows its input as it was then).
   */
  #withJson(block: ToolInputBlock, json: IncrementalPartialJson): ToolInputBlock {
    const count = json.count
    let parsed = false
    let input: unknown
    // An accessor in a literal keeps the block a plain fast object (defineProperty per fragment did not).
    return {
      type: block.type,
      id: block.id,
      name: block.name,
      caller: block.caller,
      get input(): unknown {
        if (!parsed) {
          if (json.count === count) input = json.length > 0 ? json.snapshot() : {}
          else {
            const text = json.text(count)
            input = text ? parsePartialJson(text) : {}
          }
          parsed = true
        }
        return input
      },
    } as ToolInputBlock
  }
}

/** The blocks whose `input` streams as JSON deltas. */
type ToolInputBlock = ToolUseBlock | ServerToolUseBlock

/** The `kiro_*` response fields of a `message_delta` (docs/protocol.md §9.4), onto the message. */
function copyKiroInfo(from: KiroResponseInfo, to: KiroResponseInfo): void {
  if (from.kiro_stop_reason !== undefined) to.kiro_stop_reason = from.kiro_stop_reason
  if (from.kiro_model_id !== undefined) to.kiro_model_id = from.kiro_model_id
  if (from.kiro_conversation_id !== undefined) to.kiro_conversation_id = from.kiro_conversation_id
  if (from.kiro_utterance_id !== undefined) to.kiro_utterance_id = from.kiro_utterance_id
  if (from.kiro_context_usage_percentage !== undefined) {
    to.kiro_context_usage_percentage = from.kiro_context_usage_percentage
  }
  if (from.kiro_events !== undefined) to.kiro_events = from.kiro_events
}

/** The input of a stopped tool block: the JSON parsed, or (when it was cut off) its partial parse. */
function finalInput(json: string): unknown {
  if (json.length === 0) return {}
  try {
    return JSON.parse(json)
  } catch {
    return parsePartialJson(json)
  }
}

/**
 * The `Message` of a complete event sequence, as `messages.create()` returns it. Throws when the
 * sequence has no `message_stop` (the SDK's wording).
 */
export function accumulateMessage(events: Iterable<RawMessageStreamEvent>): Message {
  const accumulator = new MessageAccumulator()
  let final: Message | undefined
  for (const event of events) {
    const snapshot = accumulator.push(event)
    if (event.type === 'message_stop') final = snapshot
  }
  if (!final) throw new KiroError('stream ended without producing a Message with role=assistant')
  return final
}
