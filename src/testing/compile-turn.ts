import { concatBytes } from '../util/bytes.js'
import { corruptCrc, eventFrame, exceptionFrame } from './frames.js'
import { checkTurn, type ScriptedTurn, type ScriptStep, stepKind, type ToolUseStep } from './script.js'

/** What the server does, in order. Frames are encoded ahead, and adjacent frames share one buffer. */
export type TurnAction =
  | { kind: 'frames'; bytes: Uint8Array; count: number }
  | { kind: 'raw'; bytes: Uint8Array }
  | { kind: 'delay'; ms: number }
  | { kind: 'flush-headers' }
  | { kind: 'stall' }
  | { kind: 'truncate'; bytes: Uint8Array }
  | { kind: 'reset' }
  | { kind: 'http-error'; status: number; headers: Record<string, string>; body: string }

export interface CompiledTurn {
  readonly actions: readonly TurnAction[]
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** A Kiro-looking tool use id: `tooluse_` and 22 random letters and digits. */
function randomToolUseId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22))
  let id = 'tooluse_'
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length]
  return id
}

/** Splits by code points, so no fragment ends inside a surrogate pair. */
function split(text: string, pieces: number): string[] {
  const points = Array.from(text)
  const count = Math.max(1, Math.min(pieces, points.length))
  const size = Math.ceil(points.length / count)
  const out: string[] = []
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''))
  return out.length > 0 ? out : ['']
}

function toolUseFrames(step: ToolUseStep): Uint8Array[] {
  const toolUseId = step.id ?? randomToolUseId()
  const { name } = step
  let fragments: readonly string[]
  if (Array.isArray(step.input)) fragments = step.input as readonly string[]
  else {
    const json = JSON.stringify(step.input ?? {})
    fragments = split(json, step.fragments ?? Math.ceil(json.length / 32))
  }
  const frames = fragments.map((input) => eventFrame('toolUseEvent', { name, toolUseId, input }))
  if (step.stop !== false) frames.push(eventFrame('toolUseEvent', { name, toolUseId, stop: true }))
  return frames
}

function chunks(text: string | readonly string[]): readonly string[] {
  return typeof text === 'string' ? [text] : text
}

/** The frames of one event step (docs/protocol.md §4.2 payload shapes). */
function framesOf(step: ScriptStep): Uint8Array[] {
  if ('text' in step)
    return chunks(step.text).map((content) => eventFrame('assistantResponseEvent', { content }))
  if ('toolUse' in step) return toolUseFrames(step.toolUse)
  if ('reasoning' in step) {
    const r = step.reasoning
    if ('redacted' in r) return [eventFrame('reasoningContentEvent', { redactedContent: r.redacted })]
    const frames = chunks(r.text).map((text) => eventFrame('reasoningContentEvent', { text }))
    if (r.signature !== undefined)
      frames.push(eventFrame('reasoningContentEvent', { signature: r.signature }))
    return frames
  }
  if ('metering' in step) {
    return [eventFrame('meteringEvent', { unit: 'credit', unitPlural: 'credits', usage: step.metering })]
  }
  if ('contextUsage' in step) {
    return [eventFrame('contextUsageEvent', { contextUsagePercentage: step.contextUsage })]
  }
  if ('metadata' in step) return [eventFrame('metadataEvent', { tokenUsage: step.metadata })]
  if ('event' in step) return [eventFrame(step.event, step.payload)]
  if ('exception' in step) {
    const { type, message, reason } = step.exception
    return [exceptionFrame(type, { message: message ?? `Simulated ${type}.`, ...(reason ? { reason } : {}) })]
  }
  return []
}

/**
 * Turns a scripted turn into server actions: every frame encoded once, adjacent frames joined so the
 * server writes them in one call. Pure apart from the random tool ids it assigns.
 * @throws TypeError naming the step when the turn is malformed.
 */
export function compileTurn(turn: ScriptedTurn): CompiledTurn {
  checkTurn(turn)
  const actions: TurnAction[] = []
  let pending: Uint8Array[] = []
  let corruptNext = false
  const flush = () => {
    if (pending.length === 0) return
    actions.push({ kind: 'frames', bytes: concatBytes(pending), count: pending.length })
    pending = []
  }
  for (const step of turn) {
    const kind = stepKind(step)
    const frames = framesOf(step)
    if (frames.length > 0) {
      if (corruptNext) frames[0] = corruptCrc(frames[0]!)
      corruptNext = false
      pending.push(...frames)
      continue
    }
    if (kind === 'corruptCrc') {
      corruptNext = true
      continue
    }
    flush()
    if ('delayMs' in step) actions.push({ kind: 'delay', ms: step.delayMs })
    else if ('raw' in step) actions.push({ kind: 'raw', bytes: step.raw })
    else if ('flushHeaders' in step) actions.push({ kind: 'flush-headers' })
    else if ('stall' in step) actions.push({ kind: 'stall' })
    else if ('reset' in step) actions.push({ kind: 'reset' })
    else if ('truncate' in step) {
      const frame = eventFrame('assistantResponseEvent', { content: 'This frame is cut off in the middle.' })
      actions.push({ kind: 'truncate', bytes: frame.subarray(0, frame.length >> 1) })
    } else if ('error' in step) {
      const { status, body, headers } = step.error
      actions.push({
        kind: 'http-error',
        status,
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body ?? { message: 'Simulated error.' }),
      })
    }
  }
  flush()
  return { actions }
}
