/**
 * Finds the caller's `stop_sequences` in streamed text. Kiro does not take stop sequences
 * (docs/protocol.md §3.10), so they are applied here: the text is cut where the first sequence
 * to be completed begins, even when it is split across events. Text that could be the start of a sequence is held back
 * until the next piece shows whether it is.
 */
export class StopSequenceMatcher {
  readonly #sequences: readonly string[]
  readonly #longest: number
  #held = ''
  #hit: string | undefined

  constructor(sequences: readonly string[]) {
    this.#sequences = sequences.filter((s) => s.length > 0)
    this.#longest = this.#sequences.reduce((max, s) => Math.max(max, s.length), 0)
  }

  /** The sequence that matched, once one did. */
  get hit(): string | undefined {
    return this.#hit
  }

  /**
   * Feeds text; returns the part that is safe to emit now. After a match, that is the text before
   * the sequence and `hit` is set; the rest is discarded.
   */
  push(text: string): string {
    const s = this.#held + text
    // The model stops as soon as its output contains a sequence: the occurrence that ends first
    // wins (on a tie, the longer one, which starts first).
    let at = -1
    let end = Number.POSITIVE_INFINITY
    for (const sequence of this.#sequences) {
      const found = s.indexOf(sequence)
      if (found === -1) continue
      const foundEnd = found + sequence.length
      if (foundEnd < end || (foundEnd === end && found < at)) {
        at = found
        end = foundEnd
        this.#hit = sequence
      }
    }
    if (at !== -1) {
      this.#held = ''
      return s.slice(0, at)
    }
    const keep = this.#partialSuffix(s)
    this.#held = keep > 0 ? s.slice(s.length - keep) : ''
    return keep > 0 ? s.slice(0, s.length - keep) : s
  }

  /** Releases the held text: the text ended (or a tool call interrupted it) without a match. */
  flush(): string {
    const held = this.#held
    this.#held = ''
    return held
  }

  /** Length of the longest suffix of `s` that is a proper prefix of some sequence. */
  #partialSuffix(s: string): number {
    for (let k = Math.min(this.#longest - 1, s.length); k > 0; k--) {
      const suffix = s.slice(s.length - k)
      for (const sequence of this.#sequences) {
        if (sequence.startsWith(suffix)) return k
      }
    }
    return 0
  }
}
