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
  if (text.length === 0) return 0
  let ascii = 0
  let other = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) ascii++
    else {
      other++
      // A surrogate pair is one code point.
      if (code >= 0xd800 && code < 0xdc00) i++
    }
  }
  return Math.max(1, Math.ceil(ascii / 3.6 + other))
}
