/**
 * A text with its escapes decoded (`%2F`, `\u002f`, `\/`, `&#47;`), each character remembering
 * the span of the original text it came from: a secret echoed percent-encoded or JSON-escaped is
 * found in the view and cut out of the original (docs/security.md, "Secrets").
 */
export interface DecodedView {
  text: string
  /** `starts[i]`..`ends[i]` is the original span of `text[i]`. */
  starts: Int32Array
  ends: Int32Array
}

const HEX = /^[0-9a-fA-F]+$/
const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  "'": "'",
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** Decodes one escape at `i`: the character and the escape's length, or undefined. */
function escapeAt(text: string, i: number): [string, number] | undefined {
  const c = text[i]
  if (c === '%') {
    const hex = text.slice(i + 1, i + 3)
    if (hex.length === 2 && HEX.test(hex)) return [String.fromCharCode(Number.parseInt(hex, 16)), 3]
    return undefined
  }
  if (c === '\\') {
    const next = text[i + 1]
    if (next === undefined) return undefined
    if (next === 'u' || next === 'x') {
      const width = next === 'u' ? 4 : 2
      const hex = text.slice(i + 2, i + 2 + width)
      if (hex.length === width && HEX.test(hex)) {
        return [String.fromCharCode(Number.parseInt(hex, 16)), 2 + width]
      }
      return undefined
    }
    const simple = SIMPLE_ESCAPES[next]
    return simple === undefined ? undefined : [simple, 2]
  }
  if (c === '&' && text[i + 1] === '#') {
    const end = text.indexOf(';', i + 2)
    if (end === -1 || end - i > 10) return undefined
    const body = text.slice(i + 2, end)
    const code =
      body[0] === 'x' || body[0] === 'X'
        ? HEX.test(body.slice(1))
          ? Number.parseInt(body.slice(1), 16)
          : Number.NaN
        : /^\d+$/.test(body)
          ? Number(body)
          : Number.NaN
    if (!Number.isInteger(code) || code > 0xffff) return undefined
    return [String.fromCharCode(code), end - i + 1]
  }
  return undefined
}

/** The identity view of `text`. */
export function identityView(text: string): DecodedView {
  const starts = new Int32Array(text.length)
  const ends = new Int32Array(text.length)
  for (let i = 0; i < text.length; i++) {
    starts[i] = i
    ends[i] = i + 1
  }
  return { text, starts, ends }
}

/** One more layer of escapes decoded, or undefined when `view` holds none. */
export function decodeOnce(view: DecodedView): DecodedView | undefined {
  const source = view.text
  if (!/[%\\&]/.test(source)) return undefined
  let text = ''
  const starts: number[] = []
  const ends: number[] = []
  let changed = false
  for (let i = 0; i < source.length; ) {
    const decoded = escapeAt(source, i)
    if (decoded === undefined) {
      text += source[i]
      starts.push(view.starts[i]!)
      ends.push(view.ends[i]!)
      i++
      continue
    }
    const [char, length] = decoded
    text += char
    starts.push(view.starts[i]!)
    ends.push(view.ends[i + length - 1]!)
    i += length
    changed = true
  }
  return changed ? { text, starts: Int32Array.from(starts), ends: Int32Array.from(ends) } : undefined
}
