/**
 * A streaming parser for tag-based thinking (docs/protocol.md §3.8): when the translator asked the
 * model to think inside `<thinking>...</thinking>`, the reply starts with that block and the answer
 * follows. Text arrives in arbitrary pieces, so a tag may be split across events at any position.
 *
 * Rules:
 * - Thinking is recognised only at the start of the reply (after optional whitespace), so thinking
 *   blocks come first and a `<thinking>` later in an answer stays text.
 * - The end tag is "real" when it is not next to a quote or backtick and is followed by whitespace
 *   containing a blank line (`\n\n`) before the answer, or by nothing but whitespace when a tool
 *   call or the end of the reply comes next. Any other `</thinking>` is part of the thinking.
 * - One newline right after `<thinking>` and the whitespace between a real end tag and the answer
 *   are layout, not content, and are dropped.
 */

/** Where the parser sends what it recognises; the event mapper implements it. */
export interface ThinkingSink {
  thinkingText(text: string): void
  /** The thinking block closed with a real end tag. */
  thinkingEnd(): void
  visibleText(text: string): void
}

const OPEN_TAG = '<thinking>'
const END_TAG = '</thinking>'
/** Whitespace allowed before `<thinking>`; a reply that starts with more is plain text. */
const MAX_LEADING_WHITESPACE = 64

enum State {
  Start,
  Thinking,
  Text,
}

function isWhitespace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t'
}

function isQuote(c: string | undefined): boolean {
  return c === '"' || c === "'" || c === '`'
}

export class ThinkingTagParser {
  #state = State.Start
  /** Undecided input: leading whitespace or a partial tag, kept until the next piece decides. */
  #held = ''
  /** Last thinking character emitted, to judge quote adjacency of a tag at the start of `#held`. */
  #previous = ''
  #dropNewline = false

  constructor(private readonly sink: ThinkingSink) {}

  /** True while inside an unclosed `<thinking>` block. */
  get inThinking(): boolean {
    return this.#state === State.Thinking
  }

  push(text: string): void {
    switch (this.#state) {
      case State.Text:
        this.sink.visibleText(text)
        return
      case State.Start:
        this.#atStart(this.#held + text)
        return
      case State.Thinking:
        this.#inThinking(this.#held + text)
        return
    }
  }

  /**
   * A tool call or the end of the reply comes next: settle what is held. A pending end tag is real;
   * an unclosed block stays open (`inThinking`) for the caller to close. Later text is plain text.
   */
  interrupt(): void {
    const held = this.#held
    this.#held = ''
    if (this.#state === State.Thinking) {
      if (held.startsWith(END_TAG)) {
        this.#state = State.Text
        this.sink.thinkingEnd()
        return
      }
      if (held) this.#emitThinking(held)
      return
    }
    this.#state = State.Text
    if (held) this.sink.visibleText(held)
  }

  /** After an unclosed block was closed by the caller, the rest is plain text. */
  leaveThinking(): void {
    this.#state = State.Text
  }

  #atStart(s: string): void {
    let i = 0
    while (i < s.length && isWhitespace(s[i])) i++
    if (i > MAX_LEADING_WHITESPACE) {
      this.#toText(s)
      return
    }
    if (i === s.length) {
      this.#held = s
      return
    }
    const rest = s.length - i
    if (rest >= OPEN_TAG.length) {
      if (!s.startsWith(OPEN_TAG, i)) {
        this.#toText(s)
        return
      }
      this.#held = ''
      this.#state = State.Thinking
      this.#dropNewline = true
      this.#inThinking(s.slice(i + OPEN_TAG.length))
      return
    }
    if (OPEN_TAG.startsWith(s.slice(i))) {
      this.#held = s
      return
    }
    this.#toText(s)
  }

  #toText(s: string): void {
    this.#held = ''
    this.#state = State.Text
    this.sink.visibleText(s)
  }

  #inThinking(input: string): void {
    let s = input
    if (this.#dropNewline && s.length > 0) {
      this.#dropNewline = false
      if (s[0] === '\n') s = s.slice(1)
    }
    let from = 0
    for (;;) {
      const tag = s.indexOf(END_TAG, from)
      if (tag === -1) break
      from = tag + 1
      const before = tag > 0 ? s[tag - 1] : this.#previous
      if (isQuote(before)) continue
      let after = tag + END_TAG.length
      while (after < s.length && isWhitespace(s[after])) after++
      if (after === s.length) {
        // Only whitespace follows so far: the next piece (or a tool call, or the end) decides.
        if (tag > 0) this.#emitThinking(s.slice(0, tag))
        this.#held = s.slice(tag)
        return
      }
      if (!s.slice(tag + END_TAG.length, after).includes('\n\n')) continue
      if (tag > 0) this.#emitThinking(s.slice(0, tag))
      this.#held = ''
      this.#state = State.Text
      this.sink.thinkingEnd()
      this.sink.visibleText(s.slice(after))
      return
    }
    // Hold back a suffix that could be the start of an end tag.
    let keep = Math.min(END_TAG.length - 1, s.length)
    while (keep > 0 && !END_TAG.startsWith(s.slice(s.length - keep))) keep--
    const emit = s.length - keep
    if (emit > 0) this.#emitThinking(s.slice(0, emit))
    this.#held = keep > 0 ? s.slice(emit) : ''
  }

  #emitThinking(text: string): void {
    this.#previous = text[text.length - 1] ?? this.#previous
    this.sink.thinkingText(text)
  }
}
