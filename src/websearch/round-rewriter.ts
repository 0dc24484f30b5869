import type {
  ContentBlock,
  MessageDeltaUsage,
  RawMessageDeltaEvent,
  RawMessageStreamEvent,
  WebSearchToolResultBlock,
} from '../types/anthropic-response.js'

/** The id a web search call gets in Anthropic's shape: `srvtoolu_` and Kiro's id without its `tooluse_`. */
export function serverToolId(kiroId: string): string {
  return `srvtoolu_${kiroId.replace(/^tooluse_/, '')}`
}

/**
 * Joins the rounds of a web-search response into one Anthropic message (docs/protocol.md §9.5):
 * the first round's `message_start` only, block indices continued from round to round, the web
 * search calls shown as `server_tool_use` blocks, and each round's `message_delta` and
 * `message_stop` held back until the last round, whose stop reason ends the message with the
 * usage of all rounds.
 */
export class RoundRewriter {
  readonly #searchName: string
  #offset = 0
  #next = 0
  #started = false
  #held: RawMessageDeltaEvent | undefined
  readonly #usage: MessageDeltaUsage = {
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    server_tool_use: null,
    output_tokens_details: null,
  }
  #credits: number | undefined

  constructor(searchName: string) {
    this.#searchName = searchName
  }

  /** The `message_delta` of the round that just ended; undefined while it runs. */
  get held(): RawMessageDeltaEvent | undefined {
    return this.#held
  }

  /** Appends to `out` what the caller sees of one upstream event. */
  rewrite(event: RawMessageStreamEvent, out: RawMessageStreamEvent[]): void {
    switch (event.type) {
      case 'message_start':
        if (!this.#started) out.push(event)
        this.#started = true
        return
      case 'content_block_start': {
        const index = event.index + this.#offset
        this.#next = Math.max(this.#next, index + 1)
        out.push({ type: 'content_block_start', index, content_block: this.#block(event.content_block) })
        return
      }
      case 'content_block_delta':
        out.push({ ...event, index: event.index + this.#offset })
        return
      case 'content_block_stop':
        out.push({ type: 'content_block_stop', index: event.index + this.#offset })
        return
      case 'message_delta':
        this.#held = event
        this.#add(event.usage)
        return
      case 'message_stop':
        return
    }
  }

  #block(block: ContentBlock): ContentBlock {
    if (block.type !== 'tool_use' || block.name !== this.#searchName) return block
    return {
      type: 'server_tool_use',
      id: serverToolId(block.id),
      name: 'web_search',
      input: {},
      caller: block.caller,
    }
  }

  #add(usage: MessageDeltaUsage): void {
    const sum = this.#usage
    sum.input_tokens = (sum.input_tokens ?? 0) + (usage.input_tokens ?? 0)
    sum.output_tokens += usage.output_tokens
    sum.cache_creation_input_tokens =
      (sum.cache_creation_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0)
    sum.cache_read_input_tokens = (sum.cache_read_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0)
    if (usage.kiro_credits !== undefined) this.#credits = (this.#credits ?? 0) + usage.kiro_credits
  }

  /** A finished web search's result block, at the next index. */
  result(block: WebSearchToolResultBlock, out: RawMessageStreamEvent[]): void {
    const index = this.#next++
    out.push({ type: 'content_block_start', index, content_block: block })
    out.push({ type: 'content_block_stop', index })
  }

  /** Starts the next round: its blocks follow the ones shown so far. */
  nextRound(): void {
    this.#offset = this.#next
    this.#held = undefined
  }

  /** Ends the message: the last round's delta with `stopReason`, the usage of all rounds, the searches run. */
  end(
    stopReason: RawMessageDeltaEvent['delta']['stop_reason'],
    searches: number,
    out: RawMessageStreamEvent[],
  ): void {
    const last = this.#held
    if (last === undefined) return
    const usage: MessageDeltaUsage = {
      ...this.#usage,
      server_tool_use: searches > 0 ? { web_search_requests: searches, web_fetch_requests: 0 } : null,
    }
    if (this.#credits !== undefined) usage.kiro_credits = this.#credits
    out.push({ ...last, delta: { ...last.delta, stop_reason: stopReason }, usage })
    out.push({ type: 'message_stop' })
  }
}
