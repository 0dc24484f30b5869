import fc from 'fast-check'

// Secrets and their echoes, for the property tests of the scrubber (docs/security.md, "Secrets").

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=:-_.'.split('')

/** A secret as Kiro, AWS SSO-OIDC and API keys make them: 20-300 token characters. */
export const secretArb = fc
  .array(fc.constantFrom(...TOKEN_CHARS), { minLength: 20, maxLength: 300 })
  .map((chars) => chars.join(''))

const percentAll = (text: string) =>
  [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')
const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1)
const jsonSlashes = (text: string) => jsonEscaped(text).replaceAll('/', '\\/')
const unicodeAll = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')

/** The ways an upstream may echo a string: as is, percent-encoded, JSON-escaped, twice. */
const ENCODINGS: ReadonlyArray<(text: string) => string> = [
  (text) => text,
  encodeURIComponent,
  percentAll,
  jsonEscaped,
  jsonSlashes,
  unicodeAll,
  (text) => jsonEscaped(jsonEscaped(text)),
  (text) => encodeURIComponent(encodeURIComponent(text)),
]

/** Junk between the pieces of a split echo: never token characters, so pieces stay apart. */
const junkArb = fc.constantFrom(' ', '\n', '", "', ' ... ', '<br>', '\t|\t')

/** An echo of `secret`: whole, a 16+ character part, or split in 16+ character pieces; then encoded. */
export function echoArb(secret: string): fc.Arbitrary<string> {
  const whole = fc.constant(secret)
  const part = fc
    .integer({ min: 0, max: secret.length - 16 })
    .chain((start) =>
      fc.integer({ min: start + 16, max: secret.length }).map((end) => secret.slice(start, end)),
    )
  const split = fc
    .array(fc.integer({ min: 16, max: Math.max(16, secret.length - 16) }), { minLength: 1, maxLength: 3 })
    .chain((cuts) => junkArb.map((junk) => splitAt(secret, cuts).join(junk)))
  return fc
    .tuple(fc.oneof(whole, part, split), fc.constantFrom(...ENCODINGS), fc.string(), fc.string())
    .map(([text, encode, before, after]) => `${before}${encode(text)}${after}`)
}

function splitAt(secret: string, cuts: number[]): string[] {
  const points = [...new Set(cuts)]
    .filter((cut) => cut >= 16 && secret.length - cut >= 16)
    .sort((a, b) => a - b)
  const pieces: string[] = []
  let from = 0
  for (const point of points) {
    if (point - from < 16) continue
    pieces.push(secret.slice(from, point))
    from = point
  }
  pieces.push(secret.slice(from))
  return pieces
}

/** Undoes percent-encoding and JSON escapes, repeatedly: what a reader could recover. */
function decodings(text: string): string[] {
  const out = [text]
  let current = text
  for (let i = 0; i < 3; i++) {
    const next = current
      .replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\(["\\/])/g, '$1')
    if (next === current) break
    out.push(next)
    current = next
  }
  return out
}

/** True when `output` (or a decoding of it) holds 16 consecutive characters of `secret`. */
export function reveals(output: string, secret: string): boolean {
  for (const text of decodings(output)) {
    for (let i = 0; i + 16 <= secret.length; i++) if (text.includes(secret.slice(i, i + 16))) return true
  }
  return false
}
