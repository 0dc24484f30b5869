/**
 * The Anthropic API's wording for a request over the context size (`prompt is too long: N tokens >
 * M maximum`), used for every size refusal so that Claude Code recognises it: it compacts the
 * conversation when the message contains `prompt is too long`, and reads the two numbers to judge
 * how much to drop (docs/claude-code.md, "Long sessions").
 */

/**
 * When Kiro itself refuses a request the local checks let through, the request's true size is
 * unknown; the limit is reported this far below the request's estimate (10%), so that a client
 * that sizes its compaction from the gap drops a meaningful amount rather than one token.
 */
export const KIRO_REFUSAL_RATIO = 0.9

/** The two numbers of the refusal, in tokens; `tokens > maximum` always holds. */
export interface ContextOverflow {
  /** The request's estimated input tokens. */
  tokens: number
  /** The estimate of what fits. */
  maximum: number
}

/** `tokens` and `maximum`, adjusted so that `tokens > maximum >= 0` (whole numbers). */
function ordered(tokens: number, maximum: number): ContextOverflow {
  const n = Math.max(0, Math.ceil(tokens))
  const m = Math.max(0, Math.min(Math.floor(maximum), n - 1))
  return { tokens: Math.max(n, m + 1), maximum: m }
}

/**
 * A body of `bytes` over Kiro's limit of `maxBytes`: what fits is the request's estimate scaled by
 * the bytes that fit, or the model's context window where that is smaller.
 */
export function overflowByBytes(
  estimate: number,
  bytes: number,
  maxBytes: number,
  contextWindow: number,
): ContextOverflow {
  const byBytes = bytes > 0 ? (estimate * maxBytes) / bytes : estimate
  return ordered(estimate, Math.min(contextWindow, byBytes))
}

/** Kiro refused a request the local checks accepted (its own context limit): see {@link KIRO_REFUSAL_RATIO}. */
export function overflowByKiro(estimate: number, contextWindow: number): ContextOverflow {
  return ordered(estimate, Math.min(contextWindow, estimate * KIRO_REFUSAL_RATIO))
}

/** `prompt is too long: N tokens > M maximum.` followed by `detail`. */
export function promptTooLongMessage(overflow: ContextOverflow, detail: string): string {
  const { tokens, maximum } = ordered(overflow.tokens, overflow.maximum)
  return `prompt is too long: ${tokens} tokens > ${maximum} maximum. ${detail}`
}
