/**
 * An incremental JSON syntax checker for tool inputs, fed the fragments of one `toolUseEvent` call
 * as they arrive. It answers two questions without building any value: is everything so far a
 * prefix of some JSON object, and is the object complete.
 *
 * The mapper forwards a fragment only while the answer to the first stays yes, so every
 * `input_json_delta` sequence it emits can be partial-parsed by an Anthropic SDK (whose parser
 * throws on anything that is not a prefix of valid JSON). Kiro's tool input is a JSON object
 * (docs/protocol.md §4.2), so the top-level value must be an object.
 */

enum Mode {
  /** Before the top-level `{`. */
  Start,
  /** A value: after `:` or after `,` in an array. */
  Value,
  /** A value or `]`: right after `[`. */
  ValueOrEnd,
  /** A key: after `,` in an object. */
  Key,
  /** A key or `}`: right after `{`. */
  KeyOrEnd,
  Colon,
  /** `,` or the closer of the enclosing container, after a value. */
  CommaOrEnd,
  String,
  Number,
  Literal,
  /** The top-level object is closed; only whitespace may follow. */
  Done,
  Failed,
}

// Number sub-states (JSON grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?).
const NUM_SIGN = 0
const NUM_ZERO = 1
const NUM_INT = 2
const NUM_DOT = 3
const NUM_FRAC = 4
const NUM_EXP = 5
const NUM_EXP_SIGN = 6
const NUM_EXP_DIGITS = 7

const OBJECT = 0
const ARRAY = 1

const LITERALS = ['true', 'false', 'null'] as const

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66)
}

export class JsonPrefixChecker {
  #mode: Mode = Mode.Start
  readonly #stack: number[] = []
  #stringIsKey = false
  /** 0: none; 1: after a backslash; 2-5: inside `\uXXXX`, counting hex digits. */
  #escape = 0
  #number = NUM_SIGN
  #literal = ''
  #literalPos = 0

  /** The top-level object has been closed (trailing whitespace allowed). */
  get complete(): boolean {
    return this.#mode === Mode.Done
  }

  get failed(): boolean {
    return this.#mode === Mode.Failed
  }

  /** Feeds a fragment; false as soon as the input stops being a prefix of a JSON object (then for good). */
  push(fragment: string): boolean {
    if (this.#mode === Mode.Failed) return false
    for (let i = 0; i < fragment.length; i++) {
      if (!this.#step(fragment.charCodeAt(i))) {
        this.#mode = Mode.Failed
        return false
      }
    }
    return true
  }

  #step(code: number): boolean {
    switch (this.#mode) {
      case Mode.String:
        return this.#inString(code)
      case Mode.Number:
        if (this.#inNumber(code)) return true
        if (!this.#numberCanEnd()) return false
        this.#valueDone()
        return this.#step(code)
      case Mode.Literal: {
        if (code !== this.#literal.charCodeAt(this.#literalPos)) return false
        this.#literalPos++
        if (this.#literalPos === this.#literal.length) this.#valueDone()
        return true
      }
      default:
        if (isWhitespace(code)) return true
        return this.#structural(code)
    }
  }

  #structural(code: number): boolean {
    switch (this.#mode) {
      case Mode.Start:
        if (code !== 0x7b /* { */) return false
        this.#open(OBJECT)
        return true
      case Mode.KeyOrEnd:
        if (code === 0x7d /* } */) return this.#close(OBJECT)
        return this.#startKey(code)
      case Mode.Key:
        return this.#startKey(code)
      case Mode.Colon:
        if (code !== 0x3a /* : */) return false
        this.#mode = Mode.Value
        return true
      case Mode.ValueOrEnd:
        if (code === 0x5d /* ] */) return this.#close(ARRAY)
        return this.#startValue(code)
      case Mode.Value:
        return this.#startValue(code)
      case Mode.CommaOrEnd: {
        const top = this.#stack[this.#stack.length - 1]
        if (code === 0x2c /* , */) {
          this.#mode = top === OBJECT ? Mode.Key : Mode.Value
          return true
        }
        if (code === 0x7d) return this.#close(OBJECT)
        if (code === 0x5d) return this.#close(ARRAY)
        return false
      }
      default:
        // Done: only whitespace (handled by the caller) may follow the top-level object.
        return false
    }
  }

  #startKey(code: number): boolean {
    if (code !== 0x22 /* " */) return false
    this.#mode = Mode.String
    this.#stringIsKey = true
    return true
  }

  #startValue(code: number): boolean {
    if (code === 0x22) {
      this.#mode = Mode.String
      this.#stringIsKey = false
      return true
    }
    if (code === 0x7b) {
      this.#open(OBJECT)
      return true
    }
    if (code === 0x5b /* [ */) {
      this.#open(ARRAY)
      return true
    }
    if (code === 0x2d /* - */ || isDigit(code)) {
      this.#mode = Mode.Number
      this.#number = code === 0x2d ? NUM_SIGN : code === 0x30 ? NUM_ZERO : NUM_INT
      return true
    }
    for (const literal of LITERALS) {
      if (code === literal.charCodeAt(0)) {
        this.#mode = Mode.Literal
        this.#literal = literal
        this.#literalPos = 1
        return true
      }
    }
    return false
  }

  #inString(code: number): boolean {
    if (this.#escape === 1) {
      // Allowed escapes: \" \\ \/ \b \f \n \r \t \uXXXX
      if (code === 0x75 /* u */) this.#escape = 2
      else if (
        code === 0x22 ||
        code === 0x5c ||
        code === 0x2f ||
        code === 0x62 ||
        code === 0x66 ||
        code === 0x6e ||
        code === 0x72 ||
        code === 0x74
      ) {
        this.#escape = 0
      } else return false
      return true
    }
    if (this.#escape >= 2) {
      if (!isHex(code)) return false
      this.#escape = this.#escape === 5 ? 0 : this.#escape + 1
      return true
    }
    if (code === 0x22) {
      if (this.#stringIsKey) this.#mode = Mode.Colon
      else this.#valueDone()
      return true
    }
    if (code === 0x5c /* \ */) {
      this.#escape = 1
      return true
    }
    // Raw control characters are not allowed inside JSON strings.
    return code >= 0x20
  }

  /** Advances the number sub-state; false when `code` does not continue the number. */
  #inNumber(code: number): boolean {
    const digit = isDigit(code)
    switch (this.#number) {
      case NUM_SIGN:
        if (!digit) return false
        this.#number = code === 0x30 ? NUM_ZERO : NUM_INT
        return true
      case NUM_ZERO:
      case NUM_INT:
        if (digit && this.#number === NUM_INT) return true
        if (code === 0x2e /* . */) this.#number = NUM_DOT
        else if (code === 0x65 || code === 0x45) this.#number = NUM_EXP
        else return false
        return true
      case NUM_DOT:
      case NUM_FRAC:
        if (digit) {
          this.#number = NUM_FRAC
          return true
        }
        if (this.#number === NUM_FRAC && (code === 0x65 || code === 0x45)) {
          this.#number = NUM_EXP
          return true
        }
        return false
      case NUM_EXP:
        if (code === 0x2b || code === 0x2d) {
          this.#number = NUM_EXP_SIGN
          return true
        }
        if (!digit) return false
        this.#number = NUM_EXP_DIGITS
        return true
      default:
        // NUM_EXP_SIGN, NUM_EXP_DIGITS
        if (!digit) return false
        this.#number = NUM_EXP_DIGITS
        return true
    }
  }

  #numberCanEnd(): boolean {
    const n = this.#number
    return n === NUM_ZERO || n === NUM_INT || n === NUM_FRAC || n === NUM_EXP_DIGITS
  }

  #open(kind: number): void {
    this.#stack.push(kind)
    this.#mode = kind === OBJECT ? Mode.KeyOrEnd : Mode.ValueOrEnd
  }

  #close(kind: number): boolean {
    if (this.#stack[this.#stack.length - 1] !== kind) return false
    this.#stack.pop()
    this.#valueDone()
    return true
  }

  #valueDone(): void {
    this.#mode = this.#stack.length === 0 ? Mode.Done : Mode.CommaOrEnd
  }
}
