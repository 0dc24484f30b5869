/**
 * A small synchronous, deterministic 128-bit string hash for ids (conversation ids, shortened
 * tool names). Not cryptographic: nothing secret is hashed and no attacker gains from a collision
 * beyond confusing their own request. Web Crypto is async and `node:crypto` is absent on edge
 * runtimes; the translator must stay a pure synchronous function.
 */

function finalize(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Four 32-bit lanes over the UTF-16 code units, each a multiply-xor chain with its own prime. */
function hash128(input: string): [number, number, number, number] {
  let a = 0x811c9dc5
  let b = 0x9e3779b9
  let c = 0x2545f491
  let d = 0x6c8e9cf5
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i)
    a = Math.imul(a ^ k, 0x01000193)
    b = Math.imul(b ^ k, 0x5bd1e995)
    c = Math.imul(c ^ k, 0x1b873593)
    d = Math.imul(d ^ k, 0xcc9e2d51)
  }
  // Cross the lanes so each output word depends on all four chains and on the length.
  a = finalize(a ^ input.length ^ d)
  b = finalize(b ^ a)
  c = finalize(c ^ b)
  d = finalize(d ^ c)
  return [a, b, c, d]
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0')
}

/** `chars` lowercase hex characters (at most 32) of the hash of `input`. */
export function hashHex(input: string, chars: number): string {
  const [a, b, c, d] = hash128(input)
  return (hex8(a) + hex8(b) + hex8(c) + hex8(d)).slice(0, chars)
}

/** A UUID-shaped id (version 8, "custom", RFC 9562) derived from `input`. */
export function hashUuid(input: string): string {
  const h = hashHex(input, 32)
  const variant = ((Number.parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}
