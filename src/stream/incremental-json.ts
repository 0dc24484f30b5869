import { parsePartialJson } from './partial-json.js'

enum State {
  /** A value (top level, after `:`, after `,` in an array). */
  Value,
  /** A value or `]`, right after `[`. */
  ValueOrClose,
  /** A key or `}`, right after `{`. */
  KeyOrClose,
  /** A key, after `,` in an object. */
  Key,
  Colon,
  CommaOrClose,
  String,
  Number,
  Literal,
  Done,
}

/**
 * `parsePartialJson` of a text that arrives in fragments, in time linear in the text: each fragment
 * is read once, and `snapshot()` equals `parsePartialJson(everything pushed so far)` after every
 * push (same value, same key order, same `SyntaxError` for input that is not a prefix of JSON).
 * A streamed tool input re-parsed from its start on every fragment costs time quadratic in its
 * length (docs/streaming.md, "Tool input").
 *
 * Values already complete are kept and shared between snapshots (they are never changed again);
 * the containers still open are copied into each new snapshot. A snapshot is only rebuilt after
 * something in it changed, so fragments inside a long string cost nothing more than their scan.
 * On anything irregular the text so far is parsed whole, by `parsePartialJson`, from then on.
 */
export class IncrementalPartialJson {
  readonly #fragments: string[] = []
  #length = 0
  /** Open containers, outermost first; `key` is the object member whose value is being read. */
  readonly #stack: Frame[] = []
  #state = State.Value
  /** A top-level value that completed (when `#state` is `Done`). */
  #top: unknown
  /** Raw text of the open string, number or literal, from the fragments before the current one. */
  readonly #token: string[] = []
  #escaped = false
  #stringIsKey = false
  #fallback = false
  #snapshot: { value: unknown } | undefined

  /** Characters pushed so far. */
  get length(): number {
    return this.#length
  }

  /** Fragments pushed so far. */
  get count(): number {
    return this.#fragments.length
  }

  /** The text of the first `count` fragments (all of them by default). */
  text(count = this.#fragments.length): string {
    return (count === this.#fragments.length ? this.#fragments : this.#fragments.slice(0, count)).join('')
  }

  /** Reads one more fragment. */
  push(fragment: string): void {
    this.#fragments.push(fragment)
    this.#length += fragment.length
    if (!this.#fallback && !this.#read(fragment)) this.#fallback = true
  }

  /** `parsePartialJson` of all fragments so far; throws its `SyntaxError` when it would. */
  snapshot(): unknown {
    if (this.#fallback) return parsePartialJson(this.text())
    if (this.#snapshot === undefined) this.#snapshot = { value: this.#build() }
    return this.#snapshot.value
  }

  #build(): unknown {
    if (this.#state === State.Done) return this.#top
    if (this.#stack.length === 0) throw new SyntaxError('Unexpected end of JSON input')
    let child: unknown
    for (let depth = this.#stack.length - 1; depth >= 0; depth--) {
      const frame = this.#stack[depth] as Frame
      const copy = Array.isArray(frame.container) ? frame.container.slice() : { ...frame.container }
      if (depth < this.#stack.length - 1) attach(copy, frame.key, child)
      child = copy
    }
    return child
  }

  /** Scans a fragment; false when the text stopped being something this reader handles. */
  #read(text: string): boolean {
    let i = 0
    const length = text.length
    while (i < length) {
      switch (this.#state) {
        case State.String: {
          const start = i
          while (i < length) {
            const c = text.charCodeAt(i)
            if (this.#escaped) this.#escaped = false
            else if (c === BACKSLASH) this.#escaped = true
            else if (c === QUOTE) break
            i++
          }
          if (i === length) {
            this.#token.push(start === 0 ? text : text.slice(start))
            return true
          }
          this.#token.push(text.slice(start, ++i))
          const raw = this.#token.join('')
          this.#token.length = 0
          let value: string
          try {
            value = JSON.parse(raw) as string
          } catch {
            return false
          }
          if (this.#stringIsKey) {
            ;(this.#stack[this.#stack.length - 1] as Frame).key = value
            this.#state = State.Colon
          } else this.#complete(value)
          continue
        }
        case State.Number: {
          const start = i
          while (i < length && isNumberChar(text.charCodeAt(i))) i++
          if (i === length) {
            this.#token.push(start === 0 ? text : text.slice(start))
            return true
          }
          this.#token.push(text.slice(start, i))
          const raw = this.#token.join('')
          this.#token.length = 0
          NUMBER.lastIndex = 0
          if (!NUMBER.test(raw) || NUMBER.lastIndex !== raw.length) return false
          this.#complete(Number(raw))
          continue
        }
        case State.Literal: {
          this.#token.push(text[i] as string)
          i++
          const raw = this.#token.join('')
          const word = LITERALS.find(([name]) => name.startsWith(raw))
          if (word === undefined) return false
          if (word[0] === raw) {
            this.#token.length = 0
            this.#complete(word[1])
          }
          continue
        }
        default:
          break
      }
      const c = text.charCodeAt(i)
      i++
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue
      if (!this.#structural(c)) return false
    }
    return true
  }

  /** One character outside strings, numbers and literals, whitespace excluded. */
  #structural(c: number): boolean {
    switch (this.#state) {
      case State.Value:
      case State.ValueOrClose:
        if (c === CLOSE_ARRAY && this.#state === State.ValueOrClose) return this.#close()
        return this.#startValue(c)
      case State.KeyOrClose:
        if (c === CLOSE_OBJECT) return this.#close()
        return this.#startKey(c)
      case State.Key:
        return this.#startKey(c)
      case State.Colon:
        if (c !== COLON) return false
        this.#state = State.Value
        return true
      case State.CommaOrClose: {
        const frame = this.#stack[this.#stack.length - 1] as Frame
        const isArray = Array.isArray(frame.container)
        if (c === (isArray ? CLOSE_ARRAY : CLOSE_OBJECT)) return this.#close()
        if (c !== COMMA) return false
        this.#state = isArray ? State.Value : State.Key
        return true
      }
      default:
        // Done: only whitespace may follow the top-level value.
        return false
    }
  }

  #startKey(c: number): boolean {
    if (c !== QUOTE) return false
    this.#token.push('"')
    this.#stringIsKey = true
    this.#escaped = false
    this.#state = State.String
    return true
  }

  #startValue(c: number): boolean {
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const frame: Frame = { container: c === OPEN_OBJECT ? {} : [], key: '' }
      this.#stack.push(frame)
      this.#state = c === OPEN_OBJECT ? State.KeyOrClose : State.ValueOrClose
      this.#snapshot = undefined
      return true
    }
    if (c === QUOTE) {
      this.#token.push('"')
      this.#stringIsKey = false
      this.#escaped = false
      this.#state = State.String
      return true
    }
    const char = String.fromCharCode(c)
    if (c === MINUS || (c >= 0x30 && c <= 0x39)) {
      this.#token.push(char)
      this.#state = State.Number
      return true
    }
    if (!LITERALS.some(([name]) => name.startsWith(char))) return false
    this.#token.push(char)
    this.#state = State.Literal
    // A whole literal in one character cannot happen: the shortest is four.
    return true
  }

  /** A value completed: it becomes a member of the open container, or the top-level value. */
  #complete(value: unknown): void {
    this.#snapshot = undefined
    const frame = this.#stack[this.#stack.length - 1]
    if (frame === undefined) {
      this.#top = value
      this.#state = State.Done
      return
    }
    attach(frame.container, frame.key, value)
    this.#state = State.CommaOrClose
  }

  #close(): boolean {
    const frame = this.#stack.pop() as Frame
    this.#complete(frame.container)
    return true
  }
}

interface Frame {
  container: Record<string, unknown> | unknown[]
  key: string
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const MINUS = 0x2d
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
]

/** The characters `parsePartialJson` reads as part of a number: `[-+.eE0-9]`. */
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45
}

/** A member of an array, or of an object as `JSON.parse` sets it (`__proto__` as an own property). */
function attach(container: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  if (Array.isArray(container)) container.push(value)
  else if (key === '__proto__') {
    Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true })
  } else container[key] = value
}
