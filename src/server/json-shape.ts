/** The deepest nesting a request body may have: real schemas and tool inputs stay far below it. */
export const MAX_JSON_DEPTH = 256
/** The most JSON values a request body may hold (see docs/security.md, "Request limits"). */
export const MAX_JSON_VALUES = 100_000

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d
const COMMA = 0x2c

/** What a body would cost to parse: how deep it nests and about how many values it holds. */
export interface JsonShape {
  depth: number
  values: number
}

/**
 * One pass over the bytes of a JSON text, outside strings: the nesting depth and the number of
 * values (containers and separators). It runs before `JSON.parse`, so that a body nested
 * thousands of levels deep (which would overflow the stack of any recursive walk) or made of
 * millions of tiny values (which takes `JSON.parse` far longer per byte than text does) is refused
 * without being parsed. Stops early once a limit is passed.
 */
export function scanJson(
  bytes: Uint8Array,
  maxDepth = MAX_JSON_DEPTH,
  maxValues = MAX_JSON_VALUES,
): JsonShape {
  let depth = 0
  let deepest = 0
  let values = 1
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (inString) {
      if (byte === BACKSLASH) i++
      else if (byte === QUOTE) inString = false
      continue
    }
    if (byte === QUOTE) inString = true
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      depth++
      values++
      if (depth > deepest) {
        deepest = depth
        if (deepest > maxDepth) break
      }
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--
    else if (byte === COMMA && ++values > maxValues) break
  }
  return { depth: deepest, values }
}
