import type { Message, RawMessageStreamEvent } from '../types/anthropic-response.js'

/** How rendered pieces are styled; plain strings when the output is not a terminal. */
export interface RenderStyle {
  dim(text: string): string
  bold(text: string): string
}

const PLAIN: RenderStyle = { dim: (text) => text, bold: (text) => text }
const MAX_INPUT_CHARS = 200

/**
 * Turns stream events into terminal text as they arrive: text as it streams, thinking dimmed,
 * each tool call on one compact line once its input is complete, and a cut-off tool input flagged.
 * Pure: it returns the text, the caller writes it.
 */
export class ChatRenderer {
  readonly #style: RenderStyle
  #atLineStart = true
  readonly #tools = new Map<number, { name: string; json: string }>()

  constructor(style: RenderStyle = PLAIN) {
    this.#style = style
  }

  /** The text to print for one event ('' when it prints nothing). */
  push(event: RawMessageStreamEvent): string {
    switch (event.type) {
      case 'content_block_start': {
        const block = event.content_block
        if (block.type === 'thinking') return this.#line(this.#style.dim('thinking: '))
        if (block.type === 'redacted_thinking') return this.#line(this.#style.dim('[redacted thinking]\n'))
        if (block.type === 'tool_use') this.#tools.set(event.index, { name: block.name, json: '' })
        return ''
      }
      case 'content_block_delta': {
        const delta = event.delta
        if (delta.type === 'text_delta') return this.write(delta.text)
        if (delta.type === 'thinking_delta') return this.write(this.#style.dim(delta.thinking))
        if (delta.type === 'input_json_delta') {
          const tool = this.#tools.get(event.index)
          if (tool) tool.json += delta.partial_json
        }
        return ''
      }
      case 'content_block_stop': {
        const tool = this.#tools.get(event.index)
        if (tool === undefined) return this.#endLine()
        this.#tools.delete(event.index)
        return this.#line(`${this.#style.bold(`→ ${tool.name}`)} ${compact(tool.json)}\n`)
      }
      case 'message_delta': {
        const cut = event.kiro_truncation
        return cut ? this.#line(`! ${cut.message}\n`) : ''
      }
      default:
        return ''
    }
  }

  /** One line about how the answer ended: stop reason, tokens, credits, time. */
  summary(message: Message, elapsedMs: number): string {
    const usage = message.usage
    const parts = [
      message.stop_reason ?? 'no stop reason',
      `${usage.input_tokens} in / ${usage.output_tokens} out tokens`,
    ]
    if (usage.kiro_credits !== undefined) parts.push(`${usage.kiro_credits} credits`)
    parts.push(`${(elapsedMs / 1000).toFixed(1)} s`)
    return this.#line(this.#style.dim(`[${parts.join(' · ')}]\n`))
  }

  /** Text of the caller's own (a speaker label), so that later lines still start where they should. */
  write(text: string): string {
    if (text !== '') this.#atLineStart = text.endsWith('\n')
    return text
  }

  /** Text that must start on a line of its own. */
  #line(text: string): string {
    const prefix = this.#atLineStart ? '' : '\n'
    this.#atLineStart = text.endsWith('\n')
    return prefix + text
  }

  #endLine(): string {
    if (this.#atLineStart) return ''
    this.#atLineStart = true
    return '\n'
  }
}

/** A tool input on one line, shortened: the whole JSON when it parses, the raw text otherwise. */
function compact(json: string): string {
  let text = json
  try {
    text = JSON.stringify(JSON.parse(json === '' ? '{}' : json))
  } catch {
    // A cut-off input is shown as received; the truncation line says what happened.
  }
  return text.length > MAX_INPUT_CHARS ? `${text.slice(0, MAX_INPUT_CHARS - 1)}…` : text
}
