import type { KiroToolInputTruncation } from '../types/anthropic-response.js'
import { JsonPrefixChecker } from './json-prefix.js'

/** One `toolUseId` of a Kiro response, from first sight to its `stop: true` (docs/protocol.md §4.2). */
export class ToolCall {
  /** held: seen while another call's block was open; open: its block is streaming; done: stopped. */
  state: 'held' | 'open' | 'done' = 'held'
  index = -1
  /** Characters of input received, including any not forwarded. */
  received = 0
  /** Whether any input fragment was forwarded (leading whitespace is not). */
  hasInput = false
  readonly json = new JsonPrefixChecker()

  constructor(
    readonly id: string,
    /** The caller's name for the tool (already mapped back from Kiro's). */
    readonly name: string,
  ) {}

  /**
   * The fragment to forward for Kiro's `input` field, or '' for none. Kiro's first event of a call
   * may carry `input: {}` (an object, not text; jwadow/kiro-gateway PR #158): that is not a fragment.
   */
  static fragmentOf(input: unknown): string {
    if (typeof input === 'string') return input
    if (typeof input === 'object' && input !== null && Object.keys(input).length > 0) {
      return JSON.stringify(input)
    }
    return ''
  }

  /**
   * Checks and returns what to forward of a fragment ('' for nothing), or undefined when the input
   * stopped being a prefix of a JSON object: the call is then cut off before this fragment.
   */
  accept(fragment: string): string | undefined {
    this.received += fragment.length
    // Whitespace before the opening brace carries nothing; an SDK cannot partial-parse it alone.
    const text = this.hasInput ? fragment : trimJsonWhitespace(fragment)
    if (text.length === 0) return ''
    if (!this.json.push(text)) return undefined
    this.hasInput = true
    return text
  }

  /** Complete at `stop`: a whole JSON object, or no input at all (a tool without parameters). */
  get complete(): boolean {
    return this.hasInput ? this.json.complete : !this.json.failed
  }

  truncation(reason: KiroToolInputTruncation['reason']): KiroToolInputTruncation {
    const why =
      reason === 'stream_ended'
        ? 'the response ended before the call was complete'
        : 'its input is not a complete JSON object'
    return {
      type: 'tool_input_truncated',
      reason,
      tool_use_id: this.id,
      name: this.name,
      index: this.index,
      received_chars: this.received,
      message: `Kiro cut off the input of tool call ${this.id} (${this.name}) after ${this.received} characters: ${why}. The call is incomplete and must not be run; ask for smaller tool inputs (for example, write a large file in several calls).`,
    }
  }
}

function trimJsonWhitespace(text: string): string {
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
    i++
  }
  return i === 0 ? text : text.slice(i)
}
