import { type DecodedView, decodeOnce, identityView } from './decoded-view.js'
import { SECRET_PATTERNS } from './secret-patterns.js'

/**
 * The secret scrubber (docs/security.md, "Secrets"): every string that leaves the library goes
 * through {@link redactSecrets}; credentials announce their values with {@link registerSecret}.
 * Only error paths pay for scrubbing; registering an already known value is one `Set` lookup.
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]'
/** Any run of this many characters of a known secret is cut, wherever it appears. */
const MIN_SECRET_SUBSTRING = 16
/** Shorter values are not registered: replacing them could garble ordinary text (test placeholders). */
const MIN_SECRET_LENGTH = 8
/** Secrets kept (the oldest is forgotten first): many logins of a pool, each rotating hourly. */
const MAX_SECRETS = 1024
/** Layers of escapes undone (`%252F` is two). */
const MAX_DECODE_PASSES = 3
/** Longest upstream text that goes into an error message. */
const MAX_QUOTED_LENGTH = 300
/** Long opaque runs look like tokens even when we do not know them (a server echoing another secret). */
const OPAQUE_RUN = /[A-Za-z0-9+/=_.:-]{48,}/g

const secrets = new Set<string>()
/** Where each aligned block of every registered secret sits; rebuilt after a change. */
let index: Index | undefined

/**
 * Declares a value that must never appear in anything the library emits: an access or refresh
 * token, a client secret, an API key. Credentials sources call it when they load or refresh a
 * login; the server for its own keys. Values under 8 characters are ignored. Cheap when the value
 * is already known, so it may sit on a request path.
 */
export function registerSecret(value: string | undefined | null): void {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return
  secrets.add(value)
  if (secrets.size > MAX_SECRETS) secrets.delete(secrets.values().next().value as string)
  index = undefined
}

/** Forgets every registered secret (for tests). */
export function clearSecrets(): void {
  secrets.clear()
  index = undefined
}

/**
 * Any run of 16 characters of a secret contains one of its blocks of 8 that start at a multiple
 * of 8. So only those blocks are indexed (an eighth of the windows); a block found in a text is
 * extended both ways along the secret, and cut when the run reaches 16.
 */
const BLOCK = MIN_SECRET_SUBSTRING / 2

interface Index {
  blocks: Map<string, Array<{ secret: string; offset: number }>>
  /** Secrets shorter than a run, matched whole. */
  short: string[]
}

function buildIndex(values: Iterable<string>): Index {
  const blocks: Index['blocks'] = new Map()
  const short: string[] = []
  for (const secret of values) {
    if (secret.length < MIN_SECRET_SUBSTRING) short.push(secret)
    for (let offset = 0; offset + BLOCK <= secret.length; offset += BLOCK) {
      const block = secret.slice(offset, offset + BLOCK)
      const places = blocks.get(block)
      if (places === undefined) blocks.set(block, [{ secret, offset }])
      else places.push({ secret, offset })
    }
  }
  return { blocks, short }
}

function registeredIndex(): Index {
  index ??= buildIndex(secrets)
  return index
}

/**
 * `text` with every secret replaced by `[redacted]`: whole or partial echoes (any run of 16
 * characters) of a registered secret or of `extra`, also when percent-encoded, JSON- or
 * HTML-escaped (up to three layers); bearer tokens, JWTs, Kiro tokens and API keys, and the values
 * of fields named like secrets (`accessToken`, `client_secret`, `x-api-key`...).
 */
export function redactSecrets(text: string, extra?: ReadonlyArray<string | undefined>): string {
  if (typeof text !== 'string' || text.length < MIN_SECRET_LENGTH) return text
  const indexes = [registeredIndex()]
  if (extra !== undefined) {
    const usable = extra.filter(
      (value): value is string => value !== undefined && value.length >= MIN_SECRET_LENGTH,
    )
    if (usable.length > 0) indexes.push(buildIndex(usable))
  }
  const ranges: Array<[number, number]> = []
  let view: DecodedView | undefined = identityView(text)
  for (let pass = 0; view !== undefined && pass <= MAX_DECODE_PASSES; pass++) {
    for (const index of indexes) findKnown(view, index, ranges)
    findPatterns(view, ranges)
    view = decodeOnce(view)
  }
  return ranges.length === 0 ? text : cut(text, ranges)
}

function findKnown(view: DecodedView, known: Index, ranges: Array<[number, number]>): void {
  const { text, starts, ends } = view
  if (known.blocks.size > 0) {
    for (let i = 0; i + BLOCK <= text.length; i++) {
      const places = known.blocks.get(text.slice(i, i + BLOCK))
      if (places === undefined) continue
      for (const { secret, offset } of places) {
        let from = i
        let to = i + BLOCK
        while (from > 0 && offset - (i - from) > 0 && text[from - 1] === secret[offset - (i - from) - 1])
          from--
        while (
          to < text.length &&
          offset + (to - i) < secret.length &&
          text[to] === secret[offset + (to - i)]
        )
          to++
        if (to - from >= MIN_SECRET_SUBSTRING || to - from === secret.length) {
          ranges.push([starts[from]!, ends[to - 1]!])
        }
      }
    }
  }
  for (const secret of known.short) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      ranges.push([starts[at]!, ends[at + secret.length - 1]!])
    }
  }
}

function findPatterns(view: DecodedView, ranges: Array<[number, number]>): void {
  const { text, starts, ends } = view
  for (const pattern of SECRET_PATTERNS) {
    pattern.lastIndex = 0
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      // The last group is the secret when there are groups (a field's value), else the whole match.
      const indices = match.indices?.[match.length - 1] ?? match.indices?.[0]
      if (indices !== undefined && indices[1] > indices[0]) {
        ranges.push([starts[indices[0]]!, ends[indices[1] - 1]!])
      }
      if (match[0].length === 0) pattern.lastIndex++
    }
  }
}

/** Replaces the (possibly overlapping) ranges with one marker each. */
function cut(text: string, ranges: Array<[number, number]>): string {
  ranges.sort((a, b) => a[0] - b[0])
  let out = ''
  let at = 0
  let i = 0
  while (i < ranges.length) {
    let [start, end] = ranges[i]!
    for (i++; i < ranges.length && ranges[i]![0] <= end; i++) end = Math.max(end, ranges[i]![1])
    if (start < at) start = at
    out += text.slice(at, start) + REDACTED
    at = end
  }
  return out + text.slice(at)
}

/**
 * A copy of a JSON-like value (an upstream error body) with every string redacted, keys included.
 * Other values are kept; nesting deeper than 32 levels is dropped.
 */
export function redactValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactSecrets(value) as T
  if (typeof value !== 'object' || value === null) return value
  if (depth >= 32) return undefined as T
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1)) as T
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[redactSecrets(key)] = redactValue(item, depth + 1)
  return out as T
}

/** Header names whose values are credentials: never kept on an error. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-amz-security-token',
])

/** A copy of `headers` without credential headers, every other value redacted. */
export function safeHeaders(headers: Headers | undefined): Headers | undefined {
  if (headers === undefined) return undefined
  const out = new Headers()
  headers.forEach((value, name) => {
    if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) out.append(name, redactSecrets(value))
  })
  return out
}

/**
 * Makes upstream text safe to quote in an error message: secrets redacted (`secrets` on top of the
 * registered ones, and any long opaque run, which may be a token we do not know), control
 * characters dropped, cut to 300 characters.
 */
export function redact(text: string, extra: ReadonlyArray<string | undefined>): string {
  let out = redactSecrets(text, extra).replace(OPAQUE_RUN, REDACTED)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
  return out.length > MAX_QUOTED_LENGTH ? `${out.slice(0, MAX_QUOTED_LENGTH)}…` : out
}
