/**
 * A local token estimate, used where Kiro reports no token counts (usage fallbacks, `countTokens`).
 *
 * Claude's tokenizer is not public. The estimate counts ASCII at 3.6 characters per token (English
 * prose runs about 4, source code about 3.2) and every other code point (CJK, emoji, accented
 * letters) as about one token. Measured against `@anthropic-ai/tokenizer` (the only public Claude
 * tokenizer, Claude 2's): 1.02x its count over English docs, 1.00x over this library's TypeScript
 * (0.77x-1.16x per file), 0.90x over Chinese prose. Newer Claude tokenizers are not public, so allow
 * about 25% either way; it is an estimate for meters and budgets, never a basis for cutting an answer.
 */
export function estimateTokens(text: string): number {
  const counter = new TokenCounter()
  counter.add(text)
  return counter.estimate
}

const NON_ASCII = /[\u0080-\uffff]/
const ASCII_CHARS_PER_TOKEN = 3.6

/** Counts {@link estimateTokens} over text that arrives in pieces, without keeping the text. */
export class TokenCounter {
  #ascii = 0
  #other = 0
  /** A high surrogate ended the last piece: `estimateTokens` counts the pair once, skipping the next unit. */
  #skipNext = false

  add(text: string): void {
    if (text.length === 0) return
    let start = 0
    if (this.#skipNext) {
      this.#skipNext = false
      start = 1
    }
    if (!NON_ASCII.test(text)) {
      this.#ascii += text.length - start
      return
    }
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i)
      if (code < 0x80) this.#ascii++
      else {
        this.#other++
        if (code >= 0xd800 && code < 0xdc00) {
          if (i + 1 < text.length) i++
          else this.#skipNext = true
        }
      }
    }
  }

  get estimate(): number {
    if (this.#ascii + this.#other === 0) return 0
    return Math.max(1, Math.ceil(this.#ascii / ASCII_CHARS_PER_TOKEN + this.#other))
  }
}
