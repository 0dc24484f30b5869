/** Kiro's measured body limit: about 615 KB; 600,000 bytes leaves a margin (docs/protocol.md §3.5 rule 10). */
export const DEFAULT_MAX_BODY_BYTES = 600_000

type ByteLength = (text: string, encoding: 'utf8') => number
const nodeByteLength: ByteLength | undefined = (globalThis as { Buffer?: { byteLength?: ByteLength } }).Buffer
  ?.byteLength

/** UTF-8 length of a string: Node's native count where it exists, else {@link utf8LengthByScan}. */
export function utf8Length(text: string): number {
  return nodeByteLength === undefined ? utf8LengthByScan(text) : nodeByteLength(text, 'utf8')
}

/** UTF-8 length by a scan of the UTF-16 code units (runtimes without `Buffer`). */
export function utf8LengthByScan(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) bytes += 1
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two UTF-16 units, four bytes.
      bytes += 2
      i++
    } else bytes += 2 // three bytes (a lone surrogate too: it encodes as U+FFFD)
  }
  return bytes
}

/** True when `text` encodes to at most `max` UTF-8 bytes; skips the count when the length decides. */
export function fitsInBytes(text: string, max: number): boolean {
  if (text.length * 3 <= max) return true
  if (text.length > max) return false
  return utf8Length(text) <= max
}
