import type {
  ContentBlock,
  KiroResponseInfo,
  KiroToolInputTruncation,
  Message,
  MessageDeltaUsage,
  RawContentBlockDelta,
  RawMessageStreamEvent,
  StopReason,
} from '../types/anthropic-response.js'
import { TAG_THINKING_SIGNATURE } from './thinking-signature.js'

/** What kind of block is open. `TagThinking`: parsed out of `<thinking>` tags, closed with the tag signature. */
export const Block = { None: 0, Text: 1, TagThinking: 2, NativeThinking: 3, Tool: 4 } as const
export type Block = (typeof Block)[keyof typeof Block]

/**
 * Writes the Anthropic event sequence of one message, enforcing its shape by construction
 * (docs/compatibility.md §0 item 7): one block open at a time, indices 0, 1, 2... in order, every
 * block closed before the next opens and before `message_delta` and `message_stop`.
 */
export class BlockWriter {
  /**
   * Where the events go. The mapper points it at the array of each call before writing: the
   * caller's own array on the client's path, so that no array is made per message.
   */
  out: RawMessageStreamEvent[] = []
  #next = 0
  #open: Block = Block.None

  get open(): Block {
    return this.#open
  }

  /** Index the next block will get (so the open block's is one less). */
  get nextIndex(): number {
    return this.#next
  }

  start(message: Message): void {
    this.out.push({ type: 'message_start', message })
  }

  /** Opens a text or thinking block of `kind` unless one is open already. */
  ensureOpen(kind: typeof Block.Text | typeof Block.TagThinking | typeof Block.NativeThinking): void {
    if (this.#open === kind) return
    this.close()
    this.openBlock(
      kind,
      kind === Block.Text
        ? { type: 'text', text: '', citations: null }
        : { type: 'thinking', thinking: '', signature: '' },
    )
  }

  /** Closes the open block and starts `block`. */
  openBlock(kind: Block, block: ContentBlock): void {
    this.close()
    this.out.push({ type: 'content_block_start', index: this.#next, content_block: block })
    this.#open = kind
    this.#next++
  }

  /** A block that is complete at its start (redacted thinking): start and stop. */
  wholeBlock(block: ContentBlock): void {
    this.openBlock(Block.None, block)
    this.out.push({ type: 'content_block_stop', index: this.#next - 1 })
  }

  delta(delta: RawContentBlockDelta): void {
    this.out.push({ type: 'content_block_delta', index: this.#next - 1, delta })
  }

  close(): void {
    if (this.#open === Block.None) return
    // Tag-parsed thinking has no upstream signature: the fixed one says where it came from.
    if (this.#open === Block.TagThinking)
      this.delta({ type: 'signature_delta', signature: TAG_THINKING_SIGNATURE })
    this.out.push({ type: 'content_block_stop', index: this.#next - 1 })
    this.#open = Block.None
  }

  /** Closes the open block and the message. */
  end(
    stopReason: StopReason,
    stopSequence: string | null,
    usage: MessageDeltaUsage,
    truncation: KiroToolInputTruncation | undefined,
    info?: KiroResponseInfo | undefined,
  ): void {
    this.close()
    this.out.push({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: stopSequence, stop_details: null, container: null },
      usage,
      ...(truncation ? { kiro_truncation: truncation } : {}),
      ...info,
    })
    this.out.push({ type: 'message_stop' })
  }
}
