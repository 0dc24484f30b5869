/** Real token counts, as Kiro's newer runtime reports them in `metadataEvent` (docs/protocol.md §4.2). */
export interface KiroTokenUsage {
  uncachedInputTokens?: number
  outputTokens?: number
  totalTokens?: number
  cacheReadInputTokens?: number
  cacheWriteInputTokens?: number
  contextUsagePercentage?: number
}

/** A tool call, streamed as `toolUseEvent`s: one per input fragment, then one with `stop: true`. */
export interface ToolUseStep {
  name: string
  /** An object (serialized, then split into `fragments`) or the raw fragments to send as they are. */
  input?: Record<string, unknown> | readonly string[]
  /** @defaultValue a random `tooluse_…` id, fixed once the turn is compiled */
  id?: string
  /** Into how many pieces an object input is split. @defaultValue one per ~32 characters */
  fragments?: number
  /** Send the closing `stop: true` event; `false` leaves the call truncated. @defaultValue true */
  stop?: boolean
}

/** An HTTP error answered instead of a stream. */
export interface HttpErrorStep {
  status: number
  /** JSON-serialized unless a string. @defaultValue `{"message": "Simulated error."}` */
  body?: unknown
  /** e.g. `{ 'retry-after': '2', 'x-amzn-errortype': 'ThrottlingException' }` */
  headers?: Record<string, string>
}

/**
 * One step of a scripted turn. Steps run in order; each event step writes one or more binary
 * event-stream frames.
 *
 * Headers go out lazily, just before the first body byte (or at the end of the turn), so leading
 * `delayMs` steps delay the headers and a leading `{ stall: true }` never sends them (a response
 * timeout); `{ flushHeaders: true }` sends them early (headers, then silence: an idle timeout).
 */
export type ScriptStep =
  /** `assistantResponseEvent`s: one per string. */
  | { text: string | readonly string[] }
  | { toolUse: ToolUseStep }
  /** `reasoningContentEvent`s: one per text chunk, then one carrying the signature; or one redacted blob. */
  | { reasoning: { text: string | readonly string[]; signature?: string } | { redacted: string } }
  /** `meteringEvent` with this many credits. */
  | { metering: number }
  /** `contextUsageEvent` with this percentage (0-100). */
  | { contextUsage: number }
  /** `metadataEvent` carrying `tokenUsage`. */
  | { metadata: KiroTokenUsage }
  /** Any event type with any JSON payload. */
  | { event: string; payload: unknown }
  /** An exception frame (`:message-type: exception`), e.g. `ContentLengthExceededException`. */
  | { exception: { type: string; message?: string; reason?: string } }
  /** An HTTP error instead of a stream; only `delayMs` steps may come before it, nothing after. */
  | { error: HttpErrorStep }
  | { delayMs: number }
  | { flushHeaders: true }
  /** Never write again (the connection stays open until the client or `close()` ends it). */
  | { stall: true }
  /** Write the first half of a frame, then end the body cleanly: a truncated stream. */
  | { truncate: true }
  /** Destroy the connection (a TCP reset), with or without headers sent. */
  | { reset: true }
  /** Flip a bit of the message CRC of the next frame. */
  | { corruptCrc: true }
  /** Bytes written as they are. */
  | { raw: Uint8Array }

/** A whole response, as data. */
export type ScriptedTurn = readonly ScriptStep[]

/** Steps that write at least one event-stream frame. */
const FRAME_KINDS = new Set([
  'text',
  'toolUse',
  'reasoning',
  'metering',
  'contextUsage',
  'metadata',
  'event',
  'exception',
])

const TERMINAL = new Set(['stall', 'truncate', 'reset', 'error'])

const OTHER_KINDS = ['error', 'delayMs', 'flushHeaders', 'stall', 'truncate', 'reset', 'corruptCrc', 'raw']

/** The step's kind: its one key (`event` steps have two, `event` and `payload`). */
export function stepKind(step: ScriptStep): string {
  const keys = Object.keys(step)
  const kind = keys.length === 2 && 'event' in step && 'payload' in step ? 'event' : keys[0]
  if (kind === undefined || (keys.length !== 1 && kind !== 'event')) {
    throw new TypeError(`expected exactly one step key, got ${JSON.stringify(keys)}`)
  }
  if (!FRAME_KINDS.has(kind) && !OTHER_KINDS.includes(kind)) {
    throw new TypeError(`unknown step ${JSON.stringify(kind)}`)
  }
  return kind
}

/**
 * Checks a turn's structure and names the offending step: `turn.2.error: ...`.
 * @throws TypeError when a step is unknown or out of place.
 */
export function checkTurn(turn: ScriptedTurn): void {
  if (!Array.isArray(turn)) throw new TypeError('turn: must be an array of steps')
  let wrote = false
  let pendingCorrupt = false
  let previous: string | undefined
  turn.forEach((step, index) => {
    const at = `turn.${index}`
    if (typeof step !== 'object' || step === null) throw new TypeError(`${at}: must be an object`)
    let kind: string
    try {
      kind = stepKind(step)
    } catch (error) {
      throw new TypeError(`${at}: ${(error as Error).message}`)
    }
    if (previous !== undefined && TERMINAL.has(previous)) {
      throw new TypeError(`${at}: nothing can follow a ${previous} step`)
    }
    previous = kind
    if (kind === 'error' && wrote) {
      throw new TypeError(`${at}.error: an HTTP error must come before anything is written`)
    }
    if (kind === 'delayMs') {
      const ms = (step as { delayMs: unknown }).delayMs
      if (typeof ms !== 'number' || !(ms >= 0)) throw new TypeError(`${at}.delayMs: must be a number >= 0`)
      return
    }
    if (kind === 'corruptCrc') pendingCorrupt = true
    else if (kind !== 'error') {
      if (FRAME_KINDS.has(kind)) pendingCorrupt = false
      wrote = true
    }
  })
  if (pendingCorrupt) throw new TypeError('turn: corruptCrc must be followed by a step that writes a frame')
}
