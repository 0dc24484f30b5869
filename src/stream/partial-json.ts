/**
 * Parses a prefix of a JSON value the way `@anthropic-ai/sdk` reads a streaming tool input: complete
 * members are kept; a member cut off at the end (a string or number still open, a key without a
 * value, a half-written literal, a trailing comma) is dropped; open containers are closed. It never
 * invents a value: everything in the result was received whole.
 *
 * This is what `inputJson` snapshots and a cut-off tool call's `input` hold, so a MessageStream and an
 * Anthropic SDK reading the same events agree. Input that is not a prefix of valid JSON throws a
 * SyntaxError, like `JSON.parse`.
 */
export function parsePartialJson(text: string): unknown {
  const parser = new PartialParser(text)
  const value = parser.value()
  if (value === INCOMPLETE) throw new SyntaxError('Unexpected end of JSON input')
  parser.end()
  return value
}

const INCOMPLETE: unique symbol = Symbol('incomplete')
type Parsed = unknown | typeof INCOMPLETE

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const NUMBER_CHARS = /[-+.eE0-9]*/y

class PartialParser {
  #pos = 0
  /** Set once the end of the text was reached inside a value: every enclosing container stops there. */
  #cut = false

  constructor(private readonly text: string) {}

  value(): Parsed {
    this.#skipWhitespace()
    if (this.#pos >= this.text.length) return this.#eof()
    const c = this.text[this.#pos]
    if (c === '{') return this.#object()
    if (c === '[') return this.#array()
    if (c === '"') return this.#string()
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.#number()
    return this.#literal()
  }

  end(): void {
    this.#skipWhitespace()
    if (this.#pos < this.text.length) this.#fail()
  }

  #object(): Parsed {
    const result: Record<string, unknown> = {}
    this.#pos++
    this.#skipWhitespace()
    if (this.#pos >= this.text.length) return this.#truncated(result)
    if (this.text[this.#pos] === '}') {
      this.#pos++
      return result
    }
    for (;;) {
      this.#skipWhitespace()
      if (this.#pos >= this.text.length) return this.#truncated(result)
      if (this.text[this.#pos] !== '"') this.#fail()
      const key = this.#string()
      if (key === INCOMPLETE) return this.#truncated(result)
      this.#skipWhitespace()
      if (this.#pos >= this.text.length) return this.#truncated(result)
      if (this.text[this.#pos] !== ':') this.#fail()
      this.#pos++
      const member = this.value()
      if (member !== INCOMPLETE) setOwn(result, key as string, member)
      if (this.#cut) return result
      this.#skipWhitespace()
      if (this.#pos >= this.text.length) return this.#truncated(result)
      const c = this.text[this.#pos++]
      if (c === '}') return result
      if (c !== ',') this.#fail()
    }
  }

  #array(): Parsed {
    const result: unknown[] = []
    this.#pos++
    this.#skipWhitespace()
    if (this.#pos >= this.text.length) return this.#truncated(result)
    if (this.text[this.#pos] === ']') {
      this.#pos++
      return result
    }
    for (;;) {
      const item = this.value()
      if (item !== INCOMPLETE) result.push(item)
      if (this.#cut) return result
      this.#skipWhitespace()
      if (this.#pos >= this.text.length) return this.#truncated(result)
      const c = this.text[this.#pos++]
      if (c === ']') return result
      if (c !== ',') this.#fail()
    }
  }

  #string(): Parsed {
    const start = this.#pos
    let i = start + 1
    for (;;) {
      const quote = this.text.indexOf('"', i)
      if (quote === -1) {
        this.#pos = this.text.length
        return this.#eof()
      }
      let backslashes = 0
      for (let j = quote - 1; j > start && this.text[j] === '\\'; j--) backslashes++
      if (backslashes % 2 === 0) {
        this.#pos = quote + 1
        return JSON.parse(this.text.slice(start, quote + 1))
      }
      i = quote + 1
    }
  }

  #number(): Parsed {
    NUMBER_CHARS.lastIndex = this.#pos
    NUMBER_CHARS.test(this.text)
    const end = NUMBER_CHARS.lastIndex
    // More digits may follow a number that runs to the end of the text.
    if (end >= this.text.length) {
      this.#pos = end
      return this.#eof()
    }
    NUMBER.lastIndex = this.#pos
    if (!NUMBER.test(this.text) || NUMBER.lastIndex !== end) this.#fail()
    const value = Number(this.text.slice(this.#pos, end))
    this.#pos = end
    return value
  }

  #literal(): Parsed {
    for (const [word, value] of LITERALS) {
      const rest = this.text.slice(this.#pos, this.#pos + word.length)
      if (rest === word) {
        this.#pos += word.length
        return value
      }
      if (this.#pos + rest.length === this.text.length && word.startsWith(rest) && rest.length > 0) {
        this.#pos = this.text.length
        return this.#eof()
      }
    }
    return this.#fail()
  }

  #skipWhitespace(): void {
    const text = this.text
    let pos = this.#pos
    while (pos < text.length) {
      const c = text.charCodeAt(pos)
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break
      pos++
    }
    this.#pos = pos
  }

  #eof(): typeof INCOMPLETE {
    this.#cut = true
    return INCOMPLETE
  }

  #truncated<T>(value: T): T {
    this.#cut = true
    return value
  }

  #fail(): never {
    throw new SyntaxError(`Unexpected token in JSON at position ${this.#pos}`)
  }
}

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
]

/** `JSON.parse` makes `__proto__` an own property; plain assignment would set the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    target[key] = value
  }
}
