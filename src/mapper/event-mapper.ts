import { type TypedMessage, typedMessageOf } from '../eventstream/typed-message.js'
import type { EventStreamMessage } from '../eventstream/types.js'
import { TokenCounter } from '../translate/tokens.js'
import type {
  KiroToolInputTruncation,
  RawMessageStreamEvent,
  StopReason,
} from '../types/anthropic-response.js'
import { Block, BlockWriter } from './block-writer.js'
import {
  type KiroPayload,
  malformedFrame,
  payloadObject,
  readFailure,
  streamFailureError,
} from './kiro-frames.js'
import { newMessageId } from './message-id.js'
import { ResponseInfo } from './response-info.js'
import { StopSequenceMatcher } from './stop-sequences.js'
import { type ThinkingSink, ThinkingTagParser } from './thinking-parser.js'
import { nativeSignature } from './thinking-signature.js'
import { ToolCall } from './tool-call.js'
import { UsageTracker } from './usage.js'

/** Options of {@link KiroEventMapper}. */
export interface KiroEventMapperOptions {
  /** The model name the caller asked for; `message.model` repeats it. */
  model: string
  /**
   * The Kiro model id the request was sent with: when the first event says another model answered
   * (the `auto` router's choice), `message.model` names that one instead.
   */
  kiroModelId?: string | undefined
  /** Kiro tool name -> the caller's original name. Names not in the map pass through. */
  toolNames?: ReadonlyMap<string, string> | undefined
  /**
   * `tags`: parse `<thinking>` out of the text (the translator injected the tags); `native`: Kiro's
   * `reasoningContentEvent` only. With `off` (the default) reasoning events are dropped.
   */
  thinking?: 'off' | 'tags' | 'native' | undefined
  /** The caller's `stop_sequences`, applied to the answer text. */
  stopSequences?: readonly string[] | undefined
  /** The model's context window in tokens, to turn `contextUsagePercentage` into input tokens. */
  contextWindow?: number | undefined
  /**
   * A local estimate of the request's input tokens: `message_start` usage and the last resort. A
   * function is called once, when the estimate is first needed (after the request was sent).
   */
  inputTokensEstimate?: number | (() => number) | undefined
  messageId?: string | undefined
}

/**
 * Maps one message of the client's decoder, appending its events to `out` rather than returning an
 * array per message. When it throws, `out` is as it was before the call (the events of a message
 * that failed are dropped, as `push` drops them). A function rather than a method, so that the
 * class offers what it always did.
 */
export function pushTyped(
  mapper: KiroEventMapper,
  message: TypedMessage,
  out: RawMessageStreamEvent[],
): void {
  typedPush(mapper, message, out)
}

/** Set by the class's static block: the one way in to its private `#pushTyped`. */
let typedPush: (mapper: KiroEventMapper, message: TypedMessage, out: RawMessageStreamEvent[]) => void

/** Where the block writer points between calls: nothing may be written there. */
const NO_EVENTS: RawMessageStreamEvent[] = Object.freeze([]) as unknown as RawMessageStreamEvent[]

/** A content event that arrived while another tool call's block was open, replayed when it closes. */
interface Deferred {
  eventType: string
  payload: KiroPayload
}

/**
 * Turns decoded Kiro event-stream messages into Anthropic `RawMessageStreamEvent`s as they arrive
 * (docs/protocol.md §4; docs/compatibility.md §0 items 6-8, §2). A pure state machine: feed
 * each message to {@link push}, then call {@link finish} when the body ended cleanly.
 *
 * Every sequence it returns starts with `message_start`, opens and closes blocks in index order
 * without interleaving, and, unless an error was thrown, ends with `message_delta` (with usage) and
 * `message_stop`. After a stop sequence, a cut-off tool input or `ContentLengthExceededException`
 * it closes the message itself, sets {@link done}, and ignores further input: abort the upstream.
 * An exception or error frame throws an `APIError` subclass; the events returned by earlier calls
 * stay valid and should be delivered before the error. After a throw the mapper is done.
 */
export class KiroEventMapper implements ThinkingSink {
  readonly #model: string
  readonly #kiroModelId: string | undefined
  readonly #messageId: string
  readonly #toolNames: ReadonlyMap<string, string> | undefined
  readonly #thinking: 'off' | 'tags' | 'native'
  readonly #contextWindow: number | undefined
  readonly #inputEstimateOption: number | (() => number) | undefined
  #inputEstimateValue: number | undefined
  readonly #parser: ThinkingTagParser | undefined
  readonly #stops: StopSequenceMatcher | undefined
  readonly #usage = new UsageTracker()
  readonly #info = new ResponseInfo()
  readonly #tools = new Map<string, ToolCall>()

  readonly #writer = new BlockWriter()
  #started = false
  #done = false
  #openTool: ToolCall | undefined
  #deferred: Deferred[] = []
  #completedTools = 0
  #truncation: KiroToolInputTruncation | undefined
  /** Counts everything emitted as text, thinking or tool input, for the output estimate. */
  readonly #output = new TokenCounter()

  constructor(options: KiroEventMapperOptions) {
    this.#model = options.model
    this.#kiroModelId = options.kiroModelId
    this.#messageId = options.messageId ?? newMessageId()
    this.#toolNames = options.toolNames
    this.#thinking = options.thinking ?? 'off'
    this.#contextWindow = options.contextWindow
    this.#inputEstimateOption = options.inputTokensEstimate
    this.#parser = this.#thinking === 'tags' ? new ThinkingTagParser(this) : undefined
    const stops = options.stopSequences?.filter((s) => s.length > 0)
    this.#stops = stops && stops.length > 0 ? new StopSequenceMatcher(stops) : undefined
  }

  /** The input estimate, made at most once and only when needed (docs/streaming.md, "Usage"). */
  #inputEstimate(): number {
    if (this.#inputEstimateValue === undefined) {
      const option = this.#inputEstimateOption
      this.#inputEstimateValue = typeof option === 'function' ? option() : (option ?? 0)
    }
    return this.#inputEstimateValue
  }

  /** Counts emitted output for the estimate, unless Kiro already gave the real count. */
  #countOutput(text: string): void {
    if (!this.#usage.hasTokens) this.#output.add(text)
  }

  /** True once the message is closed (or failed): further input is ignored. */
  get done(): boolean {
    return this.#done
  }

  /** Set when a tool call's input was cut off; the message then stops with `max_tokens`. */
  get truncation(): KiroToolInputTruncation | undefined {
    return this.#truncation
  }

  static {
    typedPush = (mapper, message, out) => mapper.#pushTyped(message, out)
  }

  /** Maps one decoded message; returns the events it completes (often none or one). */
  push(message: EventStreamMessage): RawMessageStreamEvent[] {
    const out: RawMessageStreamEvent[] = []
    this.#pushTyped(typedMessageOf(message), out)
    return out
  }

  /** {@link push} on a typed message, into `out` (see the module's `pushTyped`). */
  #pushTyped(message: TypedMessage, out: RawMessageStreamEvent[]): void {
    if (this.#done) return
    const before = out.length
    this.#writer.out = out
    try {
      const messageType = message.headers.messageType
      if (messageType === 'event') this.#event(message, message.headers.eventType ?? '')
      else if (messageType === 'exception' || messageType === 'error') this.#fail(message, messageType)
    } catch (error) {
      // A typed error ends the message: nothing after it can be trusted to fit what was sent.
      this.#done = true
      out.length = before
      throw error
    } finally {
      // Let go of the caller's array, which holds the events until it is delivered.
      this.#writer.out = NO_EVENTS
    }
  }

  /** The upstream body ended cleanly: closes open blocks and the message. */
  finish(): RawMessageStreamEvent[] {
    if (this.#done) return []
    const out: RawMessageStreamEvent[] = []
    this.#writer.out = out
    try {
      this.#finish()
    } finally {
      this.#writer.out = NO_EVENTS
    }
    return out
  }

  #finish(): void {
    if (!this.#started) {
      this.#done = true
      throw malformedFrame('the response ended without any event')
    }
    if (this.#openTool) {
      this.#cut(this.#openTool, 'stream_ended')
      return
    }
    // A reply that ends inside its thinking (no answer yet) was stopped by Kiro's output limit.
    const unclosedThinking = this.#settleText()
    // Settling can release held text that completes a stop sequence: the message is closed then.
    if (this.#done) return
    // A completed tool call decides (the caller must run it); then Kiro's own verdict, when it
    // says something Anthropic can (docs/protocol.md §9.4); then what the stream showed.
    const stopReason: StopReason =
      this.#completedTools > 0
        ? 'tool_use'
        : (this.#info.anthropicStopReason ?? (unclosedThinking ? 'max_tokens' : 'end_turn'))
    this.#end(stopReason, null)
  }

  #event(message: TypedMessage, eventType: string): void {
    switch (eventType) {
      case 'assistantResponseEvent': {
        const payload = payloadObject(message, eventType)
        const modelId = payload.modelId
        if (!this.#started) this.#start(modelId)
        if (modelId !== undefined) this.#info.modelId(modelId)
        this.#dispatch(eventType, payload)
        return
      }
      case 'toolUseEvent':
      case 'reasoningContentEvent':
        this.#start()
        this.#dispatch(eventType, payloadObject(message, eventType))
        return
    }
    this.#start()
    switch (eventType) {
      case 'meteringEvent':
        this.#usage.metering(payloadObject(message, eventType))
        break
      case 'contextUsageEvent': {
        const payload = payloadObject(message, eventType)
        this.#usage.contextUsage(payload)
        this.#info.contextUsage(payload.contextUsagePercentage)
        break
      }
      case 'metadataEvent':
        this.#metadata(payloadObject(message, eventType))
        break
      case 'messageMetadataEvent':
        this.#info.messageMetadata(payloadObject(message, eventType))
        break
      case 'messageStopEvent': {
        const payload = payloadObject(message, eventType)
        this.#info.stopReason(payload.stopReason)
        // Anything beyond the stop reason is kept as it came.
        for (const key in payload) {
          if (key !== 'stopReason') {
            this.#info.side(eventType, payload, message.payloadEnd - message.payloadStart)
            break
          }
        }
        break
      }
      case 'invalidStateEvent':
      case 'error':
        this.#fail(message, 'event')
        break
      default:
        // Code references, web links, follow-up prompts, citations, ...: nothing Anthropic has a
        // place for; kept as they came (an unreadable payload is skipped, it is only informational).
        this.#side(message, eventType)
    }
  }

  /** `metadataEvent`: token usage, and Kiro's stop reason and context usage (docs/protocol.md §4.2, §9.4). */
  #metadata(payload: KiroPayload): void {
    this.#usage.metadata(payload)
    if (payload.stopReason !== undefined) this.#info.stopReason(payload.stopReason)
    const usage = payload.tokenUsage as { contextUsagePercentage?: unknown } | undefined
    const percentage = payload.contextUsagePercentage ?? usage?.contextUsagePercentage
    if (percentage !== undefined) {
      this.#usage.contextUsage({ contextUsagePercentage: percentage })
      this.#info.contextUsage(percentage)
    }
  }

  #side(message: TypedMessage, eventType: string): void {
    let payload: KiroPayload
    try {
      payload = payloadObject(message, eventType)
    } catch {
      return
    }
    this.#info.side(eventType, payload, message.payloadEnd - message.payloadStart)
  }

  #start(reportedModel?: unknown): void {
    if (this.#started) return
    this.#started = true
    this.#writer.start({
      id: this.#messageId,
      type: 'message',
      role: 'assistant',
      model: ResponseInfo.startModel(this.#model, this.#kiroModelId, reportedModel),
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      container: null,
      diagnostics: null,
      usage: UsageTracker.initial(this.#inputEstimate()),
    })
  }

  #dispatch(eventType: string, payload: KiroPayload): void {
    if (this.#done) return
    if (eventType === 'toolUseEvent') {
      this.#tool(payload)
      return
    }
    // Anthropic blocks cannot interleave: content that arrives during a tool call waits for its end.
    if (this.#openTool) {
      this.#deferred.push({ eventType, payload })
      return
    }
    if (eventType === 'assistantResponseEvent') {
      const content = payload.content
      if (typeof content === 'string') {
        if (content.length > 0) this.#text(content)
      } else if (content !== undefined && content !== null) {
        throw malformedFrame('assistantResponseEvent.content is not a string')
      }
    } else if (this.#thinking !== 'off') {
      this.#reasoning(payload)
    }
  }

  #text(content: string): void {
    if (this.#parser) this.#parser.push(content)
    else this.visibleText(content)
  }

  /** @internal ThinkingSink: answer text, after tag parsing. */
  visibleText(text: string): void {
    if (this.#done) return
    if (!this.#stops) {
      this.#emitText(text)
      return
    }
    const safe = this.#stops.push(text)
    if (safe.length > 0) this.#emitText(safe)
    const hit = this.#stops.hit
    if (hit !== undefined) this.#end('stop_sequence', hit)
  }

  /** @internal ThinkingSink: tag-parsed thinking text. */
  thinkingText(text: string): void {
    if (this.#done) return
    this.#writer.ensureOpen(Block.TagThinking)
    this.#writer.delta({ type: 'thinking_delta', thinking: text })
    this.#countOutput(text)
  }

  /** @internal ThinkingSink: a real `</thinking>`. */
  thinkingEnd(): void {
    if (this.#writer.open === Block.TagThinking) this.#writer.close()
  }

  #emitText(text: string): void {
    this.#writer.ensureOpen(Block.Text)
    this.#writer.delta({ type: 'text_delta', text })
    this.#countOutput(text)
  }

  #reasoning(payload: KiroPayload): void {
    const { text, signature, redactedContent } = payload
    if (this.#writer.open !== Block.NativeThinking) {
      this.#settleText()
      if (this.#done) return
    }
    if (typeof text === 'string' && text.length > 0) {
      this.#writer.ensureOpen(Block.NativeThinking)
      this.#writer.delta({ type: 'thinking_delta', thinking: text })
      this.#countOutput(text)
    }
    if (typeof signature === 'string' && signature.length > 0) {
      this.#writer.ensureOpen(Block.NativeThinking)
      this.#writer.delta({ type: 'signature_delta', signature: nativeSignature(signature) })
    }
    if (typeof redactedContent === 'string' && redactedContent.length > 0) {
      this.#writer.wholeBlock({ type: 'redacted_thinking', data: redactedContent })
    }
  }

  #tool(payload: KiroPayload): void {
    const id = payload.toolUseId
    if (typeof id !== 'string' || id.length === 0) throw malformedFrame('a toolUseEvent has no toolUseId')
    let call = this.#tools.get(id)
    // A call that already stopped is repeated: Kiro sometimes sends an event twice.
    if (call?.state === 'done') return
    if (!call) {
      const name = payload.name
      if (typeof name !== 'string' || name.length === 0) {
        throw malformedFrame(`the first toolUseEvent of ${id} has no name`)
      }
      call = new ToolCall(id, this.#toolNames?.get(name) ?? name)
      this.#tools.set(id, call)
    }
    if (this.#openTool && this.#openTool !== call) {
      this.#deferred.push({ eventType: 'toolUseEvent', payload })
      return
    }
    if (call.state === 'held') {
      this.#settleText()
      if (this.#done) return
      call.state = 'open'
      call.index = this.#writer.nextIndex
      this.#openTool = call
      this.#writer.openBlock(Block.Tool, {
        type: 'tool_use',
        id,
        name: call.name,
        input: {},
        caller: { type: 'direct' },
      })
    }
    const fragment = ToolCall.fragmentOf(payload.input)
    if (fragment.length > 0) {
      const forward = call.accept(fragment)
      if (forward === undefined) {
        this.#cut(call, 'invalid_json')
        return
      }
      if (forward.length > 0) {
        this.#writer.delta({ type: 'input_json_delta', partial_json: forward })
        this.#countOutput(forward)
      }
    }
    if (payload.stop !== true) return
    if (!call.complete) {
      this.#cut(call, 'invalid_json')
      return
    }
    call.state = 'done'
    this.#completedTools++
    this.#writer.close()
    this.#openTool = undefined
    this.#replay()
  }

  #replay(): void {
    const deferred = this.#deferred
    this.#deferred = []
    for (const item of deferred) this.#dispatch(item.eventType, item.payload)
  }

  /** A tool input that cannot complete: its block closes as received and the message stops here. */
  #cut(call: ToolCall, reason: KiroToolInputTruncation['reason']): void {
    this.#truncation = call.truncation(reason)
    this.#writer.close()
    this.#openTool = undefined
    this.#end('max_tokens', null)
  }

  /**
   * Text must be complete before another block starts: settles the tag parser and the stop matcher.
   * Returns true when a `<thinking>` block was still unclosed (it is closed here).
   */
  #settleText(): boolean {
    let unclosed = false
    if (this.#parser) {
      this.#parser.interrupt()
      if (this.#parser.inThinking) {
        // An unclosed thinking block ends where the tool call or the reply's end begins.
        unclosed = true
        if (this.#writer.open === Block.TagThinking) this.#writer.close()
        this.#parser.leaveThinking()
      }
    }
    const held = this.#stops?.flush()
    if (held && !this.#done) this.#emitText(held)
    return unclosed
  }

  #end(stopReason: StopReason, stopSequence: string | null): void {
    this.#deferred = []
    const usage = this.#usage.final(this.#output, this.#contextWindow, () => this.#inputEstimate())
    this.#writer.end(stopReason, stopSequence, usage, this.#truncation, this.#info.fields)
    this.#done = true
  }

  #fail(message: TypedMessage, messageType: string): void {
    const failure = readFailure(message, messageType)
    if (failure.kiroErrorType === 'ContentLengthExceededException') {
      // Kiro's output limit: the answer so far is valid and stops as Anthropic's max_tokens does.
      this.#start()
      if (this.#openTool) {
        this.#cut(this.#openTool, 'stream_ended')
        return
      }
      this.#settleText()
      if (!this.#done) this.#end('max_tokens', null)
      return
    }
    throw streamFailureError(failure)
  }
}
