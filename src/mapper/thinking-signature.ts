/**
 * How a thinking block's `signature` says where the block came from, so that a translator fed the
 * block back in history can replay it the way Kiro expects (docs/protocol.md §3.8, §3.9):
 *
 * - thinking parsed out of `<thinking>` tags in the text: the fixed signature {@link TAG_THINKING_SIGNATURE};
 *   replayed as `<thinking>...</thinking>` text in front of the assistant content.
 * - Kiro's native reasoning (`reasoningContentEvent`): Kiro's opaque signature behind
 *   {@link NATIVE_SIGNATURE_PREFIX}; replayed as `reasoningContent` with the original blob.
 *
 * `redacted_thinking.data` is Kiro's `redactedContent` (base64) unchanged.
 */
export const TAG_THINKING_SIGNATURE = 'kiro-tags.v1'
export const NATIVE_SIGNATURE_PREFIX = 'kiro-native.v1.'

export type ThinkingOrigin = 'tags' | 'native' | 'unknown'

export function nativeSignature(kiroSignature: string): string {
  return NATIVE_SIGNATURE_PREFIX + kiroSignature
}

/** Where a thinking block with this signature came from; `unknown` for blocks made elsewhere (e.g. by Anthropic). */
export function thinkingOrigin(signature: string | null | undefined): ThinkingOrigin {
  if (signature === TAG_THINKING_SIGNATURE) return 'tags'
  if (signature?.startsWith(NATIVE_SIGNATURE_PREFIX)) return 'native'
  return 'unknown'
}

/** Kiro's own signature inside a native one, or undefined. */
export function kiroSignatureOf(signature: string | null | undefined): string | undefined {
  return signature?.startsWith(NATIVE_SIGNATURE_PREFIX)
    ? signature.slice(NATIVE_SIGNATURE_PREFIX.length)
    : undefined
}
