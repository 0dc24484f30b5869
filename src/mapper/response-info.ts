import { anthropicModelId } from '../translate/models.js'
import type { KiroResponseInfo, KiroSideEvent, StopReason } from '../types/anthropic-response.js'
import type { KiroPayload } from './kiro-frames.js'

/** Bounds of `kiro_events`: a hostile upstream cannot grow a message without limit. */
const MAX_SIDE_EVENTS = 100
const MAX_SIDE_BYTES = 64 * 1024

/**
 * Kiro's `stopReason` values that say something Anthropic's `stop_reason` can say
 * (docs/protocol.md §9.4); the others (`END_TURN`, `TOOL_USE`, `STOP_SEQUENCE`, `MALFORMED_*`)
 * leave the stop reason to what the stream showed.
 */
const STOP_REASONS: ReadonlyMap<string, StopReason> = new Map([
  ['MAX_TOKENS', 'max_tokens'],
  ['MODEL_CONTEXT_WINDOW_EXCEEDED', 'model_context_window_exceeded'],
  ['CONTENT_FILTERED', 'refusal'],
  ['GUARDRAIL_INTERVENED', 'refusal'],
])

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

/**
 * Collects the response fields outside the content and usage (docs/protocol.md §4.2, §9.4): the
 * model that answered, Kiro's stop reason, the conversation and utterance ids, the context usage,
 * and the informational events. Each reader runs only for the event that carries its field.
 */
export class ResponseInfo {
  #info: KiroResponseInfo | undefined
  #sideBytes = 0

  #set(): KiroResponseInfo {
    this.#info ??= {}
    return this.#info
  }

  /** `assistantResponseEvent.modelId`. */
  modelId(value: unknown): void {
    const id = text(value)
    if (id !== undefined && this.#info?.kiro_model_id !== id) this.#set().kiro_model_id = id
  }

  /**
   * The `model` of `message_start`: the caller's name, unless the first event already says Kiro
   * answered with another model than the one asked for (its Anthropic-style id then).
   */
  static startModel(requested: string, asked: string | undefined, reported: unknown): string {
    const id = text(reported)
    return id === undefined || asked === undefined || id === asked ? requested : anthropicModelId(id)
  }

  /** `metadataEvent.stopReason` / `messageStopEvent.stopReason`. */
  stopReason(value: unknown): void {
    const reason = text(value)
    if (reason !== undefined) this.#set().kiro_stop_reason = reason
  }

  contextUsage(value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
      this.#set().kiro_context_usage_percentage = value
    }
  }

  /** `messageMetadataEvent`. */
  messageMetadata(payload: KiroPayload): void {
    const conversationId = text(payload.conversationId)
    const utteranceId = text(payload.utteranceId)
    if (conversationId !== undefined) this.#set().kiro_conversation_id = conversationId
    if (utteranceId !== undefined) this.#set().kiro_utterance_id = utteranceId
  }

  /** An informational event, kept as it arrived while the bounds allow. */
  side(type: string, payload: KiroPayload, bytes: number): void {
    const info = this.#set()
    const events = info.kiro_events ?? []
    if (events.length >= MAX_SIDE_EVENTS || this.#sideBytes + bytes > MAX_SIDE_BYTES) return
    this.#sideBytes += bytes
    events.push({ type, payload } satisfies KiroSideEvent)
    info.kiro_events = events
  }

  /** Kiro's verdict as an Anthropic stop reason, when it has one. */
  get anthropicStopReason(): StopReason | undefined {
    const reason = this.#info?.kiro_stop_reason
    return reason === undefined ? undefined : STOP_REASONS.get(reason.toUpperCase())
  }

  /** The fields to put on `message_delta`; undefined when Kiro sent none. */
  get fields(): KiroResponseInfo | undefined {
    return this.#info
  }
}
