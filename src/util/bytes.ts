/** Joins byte arrays into one new array (one copy). `length`, when known, saves a pass. */
export function concatBytes(parts: readonly Uint8Array[], length?: number): Uint8Array {
  let total = length ?? 0
  if (length === undefined) for (const part of parts) total += part.byteLength
  const out = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}
