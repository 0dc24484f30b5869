/**
 * The output-token estimate of everything the mapper emitted, counted piece by piece: the same
 * result as `estimateTokens(pieces.join(''))` from `src/tokens.ts` (ASCII at 3.6 characters per
 * token, any other code point as one token), without keeping a copy of the output and with a
 * native-speed path for ASCII pieces. test/stream/output-tokens.test.ts checks that the two agree
 * for any text in any split; a change to the estimator must be made in both places.
 */

const NON_ASCII = /[\u0080-\uffff]/
const ASCII_CHARS_PER_TOKEN = 3.6

export class OutputTokenCounter {
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
