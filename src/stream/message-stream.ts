import { APIUserAbortError } from '../errors/api-error.js'
import { ConfigurationError } from '../errors/configuration-error.js'
import { KiroError } from '../errors/kiro-error.js'
import type { ContentBlock, Message, RawMessageStreamEvent } from '../types/anthropic-response.js'
import { MessageAccumulator } from './accumulate.js'
import { EventQueue } from './event-queue.js'
import { Listeners } from './listeners.js'
import { fromNdjsonStream, toNdjsonStream } from './ndjson.js'
import { DEFAULT_HIGH_WATER_MARK, eventBytes, QueueBudget } from './queue-budget.js'
import { type QueuedEvents, takeQueued } from './queued-events.js'

/** The most a writer takes in one batch (about the events of a few network reads). */
const MAX_BATCH_BYTES = 64 * 1024

/** The events of a {@link MessageStream} and their listener signatures (those of `@anthropic-ai/sdk`). */
export interface MessageStreamEvents {
  /** The response headers arrived. */
  connect: () => void
  streamEvent: (event: RawMessageStreamEvent, snapshot: Message) => void
  text: (textDelta: string, textSnapshot: string) => void
  inputJson: (partialJson: string, jsonSnapshot: unknown) => void
  thinking: (thinkingDelta: string, thinkingSnapshot: string) => void
  signature: (signature: string) => void
  /** A content block is complete (on `content_block_stop`). */
  contentBlock: (content: ContentBlock) => void
  /** On `message_stop`. */
  message: (message: Message) => void
  finalMessage: (message: Message) => void
  error: (error: KiroError) => void
  abort: (error: APIUserAbortError) => void
  end: () => void
}

/** What the producer reports once the response headers arrived. */
export interface MessageStreamConnection {
  connected(info?: { requestId?: string | null | undefined; response?: Response | null | undefined }): void
}

/**
 * The source of a MessageStream: called once with the stream's abort signal, it yields events (or
 * batches of events) as they arrive. It should stop promptly when the signal aborts.
 */
export type MessageStreamProducer = (
  signal: AbortSignal,
  connection: MessageStreamConnection,
) => AsyncIterable<RawMessageStreamEvent | readonly RawMessageStreamEvent[]>

export interface MessageStreamOptions {
  /** The upstream request id, when known before the stream starts. */
  requestId?: string | null | undefined
  /** Aborts the stream when it aborts (a caller's signal). */
  signal?: AbortSignal | undefined
  /**
   * While the stream is read through its iterator, reading from upstream pauses once this many
   * bytes of events (about their text size) wait to be taken, and resumes as the iterator catches
   * up: a slow reader slows the upstream instead of filling memory. Listeners and `finalMessage()`
   * without an iterator read at the upstream's pace, as in the SDK.
   * @defaultValue 1 MiB
   */
  highWaterMark?: number | undefined
}

type EmittedValue<E extends keyof MessageStreamEvents> =
  Parameters<MessageStreamEvents[E]> extends [infer P]
    ? P
    : Parameters<MessageStreamEvents[E]> extends []
      ? undefined
      : Parameters<MessageStreamEvents[E]>

/**
 * A streaming Anthropic message, shaped like `@anthropic-ai/sdk`'s `MessageStream`: iterate it for
 * `RawMessageStreamEvent`s, listen to its events, or await `finalMessage()`.
 *
 * It starts reading as soon as it is created, like the SDK's. Unlike the SDK's, the events are kept
 * for its one iterator until it reads them, so iterating late misses nothing. Leaving a `for await`
 * early (`break`, `return`, a throw) aborts the request. An error with no `error` listener, no
 * iterator and no awaited helper becomes an unhandled rejection, as in the SDK.
 *
 * @example
 * ```ts
 * const stream = client.messages.stream({ model, max_tokens: 1024, messages })
 * stream.on('text', (delta) => process.stdout.write(delta))
 * const message = await stream.finalMessage()
 * ```
 */
export class MessageStream
  implements AsyncIterable<RawMessageStreamEvent>, QueuedEvents<RawMessageStreamEvent>
{
  /** Aborting it aborts the request. */
  readonly controller = new AbortController()
  /** Messages completed by this stream (one for a Kiro response). */
  readonly receivedMessages: Message[] = []

  readonly #listeners = new Listeners<MessageStreamEvents>()
  readonly #accumulator = new MessageAccumulator()
  readonly #queue = new EventQueue<RawMessageStreamEvent>()
  readonly #budget: QueueBudget
  readonly #end: Promise<void>
  readonly #connect: Promise<Response | null>
  #resolveEnd!: () => void
  #rejectEnd!: (error: unknown) => void
  #resolveConnect!: (response: Response | null) => void
  #rejectConnect!: (error: unknown) => void
  #connected = false
  #ended = false
  #errored = false
  #aborted = false
  #iterated = false
  #handled = false
  #requestId: string | null | undefined
  #response: Response | null | undefined

  constructor(produce: MessageStreamProducer, options: MessageStreamOptions = {}) {
    this.#requestId = options.requestId
    const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK
    if (typeof highWaterMark !== 'number' || !(highWaterMark >= 0)) {
      throw new ConfigurationError(
        'highWaterMark',
        `must be a number of bytes >= 0, got ${String(highWaterMark)}`,
      )
    }
    this.#budget = new QueueBudget(highWaterMark)
    this.#end = new Promise<void>((resolve, reject) => {
      this.#resolveEnd = resolve
      this.#rejectEnd = reject
    })
    this.#connect = new Promise<Response | null>((resolve, reject) => {
      this.#resolveConnect = resolve
      this.#rejectConnect = reject
    })
    // Rejections are reported through the helpers and listeners, never as unhandled by themselves.
    this.#end.catch(() => {})
    this.#connect.catch(() => {})
    const signal = options.signal
    if (signal) {
      if (signal.aborted) this.controller.abort()
      else {
        const onAbort = () => this.abort()
        signal.addEventListener('abort', onAbort, { once: true })
        this.#end.then(
          () => signal.removeEventListener('abort', onAbort),
          () => signal.removeEventListener('abort', onAbort),
        )
      }
    }
    void this.#run(produce)
  }

  /** A stream over a fixed or async sequence of events (for tests and replays). */
  static fromEvents(
    events: Iterable<RawMessageStreamEvent> | AsyncIterable<RawMessageStreamEvent>,
    options?: MessageStreamOptions,
  ): MessageStream {
    return new MessageStream(async function* () {
      yield* events
    }, options)
  }

  /** Reads the NDJSON that {@link toReadableStream} produces (e.g. sent from a server to a browser). */
  static fromReadableStream(stream: ReadableStream<Uint8Array>): MessageStream {
    return new MessageStream(
      (signal) => fromNdjsonStream(stream, signal) as AsyncIterable<RawMessageStreamEvent>,
    )
  }

  /** The upstream (Kiro) request id, once the response headers arrived. */
  get request_id(): string | null | undefined {
    return this.#requestId
  }

  get response(): Response | null | undefined {
    return this.#response
  }

  /** The message accumulated so far; undefined before `message_start`. */
  get currentMessage(): Message | undefined {
    return this.#accumulator.snapshot
  }

  get ended(): boolean {
    return this.#ended
  }

  get errored(): boolean {
    return this.#errored
  }

  get aborted(): boolean {
    return this.#aborted
  }

  /** Aborts the request; awaiting helpers reject with `APIUserAbortError`. No effect once ended. */
  abort(): void {
    this.controller.abort()
    if (!this.#ended) this.#fail(new APIUserAbortError())
  }

  /** Adds a listener (added twice, it is called twice). */
  on<E extends keyof MessageStreamEvents>(event: E, listener: MessageStreamEvents[E]): this {
    this.#listeners.add(event, listener, false)
    return this
  }

  /** Adds a listener removed after its first call. */
  once<E extends keyof MessageStreamEvents>(event: E, listener: MessageStreamEvents[E]): this {
    this.#listeners.add(event, listener, true)
    return this
  }

  /** Removes one registration of a listener. */
  off<E extends keyof MessageStreamEvents>(event: E, listener: MessageStreamEvents[E]): this {
    this.#listeners.remove(event, listener)
    return this
  }

  /** Resolves the next time `event` is emitted (with its argument); rejects if the stream errors first. */
  emitted<E extends keyof MessageStreamEvents>(event: E): Promise<EmittedValue<E>> {
    this.#handled = true
    return new Promise((resolve, reject) => {
      if (event !== 'error') this.once('error', reject)
      const listener = (...args: unknown[]) => resolve((args.length > 1 ? args : args[0]) as EmittedValue<E>)
      this.once(event, listener as MessageStreamEvents[E])
    })
  }

  /** Resolves when the stream ends; rejects with its error, or `APIUserAbortError` after an abort. */
  async done(): Promise<void> {
    this.#handled = true
    await this.#end
  }

  /** The complete assistant message. */
  async finalMessage(): Promise<Message> {
    await this.done()
    return this.#final()
  }

  /** The text blocks of the final message, joined with a single space (as the SDK does). */
  async finalText(): Promise<string> {
    await this.done()
    const texts: string[] = []
    for (const block of this.#final().content) if (block.type === 'text') texts.push(block.text)
    if (texts.length === 0)
      throw new KiroError('stream ended without producing a content block with type=text')
    return texts.join(' ')
  }

  /** This stream with the upstream `Response` and request id, once the headers arrived. */
  async withResponse(): Promise<{
    data: MessageStream
    response: Response
    request_id: string | null | undefined
  }> {
    this.#handled = true
    const response = await this.#connect
    if (!response) throw new KiroError('Could not resolve a `Response` object')
    return { data: this, response, request_id: this.#requestId }
  }

  /** The events as NDJSON bytes (one JSON event per line); {@link fromReadableStream} reads them back. */
  toReadableStream(): ReadableStream<Uint8Array> {
    return toNdjsonStream(this[Symbol.asyncIterator]())
  }

  [Symbol.asyncIterator](): AsyncIterator<RawMessageStreamEvent> {
    if (this.#iterated)
      throw new KiroError('Cannot iterate over a consumed stream: a MessageStream has one reader.')
    this.#iterated = true
    // Most reads find an event already queued: answered at once, with no async function or extra
    // promise per event (a long answer is thousands of reads).
    const taken = (result: IteratorResult<RawMessageStreamEvent>) => {
      if (!result.done) this.#budget.take(result.value)
      return result
    }
    return {
      next: () => {
        const queued = this.#queue.poll()
        if (queued === undefined) return this.#queue.next().then(taken)
        this.#budget.take(queued.value)
        return Promise.resolve(queued)
      },
      return: () => {
        this.abort()
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }

  /**
   * The events already received that its iterator has not read yet (up to about 64 KiB), taken at once (for a writer that
   * batches them into one write, docs/server.md). Empty before the iterator's first read.
   * @internal
   */
  [takeQueued](): RawMessageStreamEvent[] {
    if (!this.#iterated) return []
    // At most about one batch: a writer stalled on a slow socket then holds one batch, not the
    // whole backpressure budget on top of the queue.
    let bytes = 0
    const taken = this.#queue.takeQueued((event) => {
      const weight = eventBytes(event)
      bytes += weight
      return weight
    }, MAX_BATCH_BYTES)
    // Taken is read: the backpressure budget counts them out as `next()` does.
    this.#budget.takeBytes(bytes)
    return taken
  }

  async #run(produce: MessageStreamProducer): Promise<void> {
    const signal = this.controller.signal
    // Start one microtask after the constructor returns, as the SDK does: a producer that throws at
    // once, or a caller signal that is already aborted, must reach the listeners and helpers the
    // caller attaches right after creating the stream (an unhandled rejection otherwise).
    await Promise.resolve()
    try {
      if (signal.aborted) throw new APIUserAbortError()
      const connection: MessageStreamConnection = { connected: (info) => this.#markConnected(info) }
      for await (const item of produce(signal, connection)) {
        if (this.#ended || signal.aborted) break
        if (!this.#connected) this.#markConnected()
        if (isBatch(item)) for (const event of item) this.#add(event)
        else this.#add(item)
        // Backpressure: an iterator that is behind holds the upstream read (docs/security.md).
        if (this.#iterated && this.#budget.full && !this.#ended) {
          await this.#budget.room()
          if (this.#ended || signal.aborted) break
        }
      }
      if (this.#ended) return
      if (signal.aborted) throw new APIUserAbortError()
      if (!this.#accumulator.snapshot) throw new KiroError('request ended without sending any chunks')
      const final = this.receivedMessages.at(-1)
      if (final) this.#emit('finalMessage', final)
      this.#finish()
    } catch (error) {
      this.#fail(error)
    }
  }

  #markConnected(info?: {
    requestId?: string | null | undefined
    response?: Response | null | undefined
  }): void {
    if (this.#connected || this.#ended) return
    this.#connected = true
    const response = info?.response ?? null
    this.#response = response
    const fromHeaders = response?.headers.get('x-amzn-requestid') ?? response?.headers.get('request-id')
    this.#requestId = info?.requestId ?? fromHeaders ?? this.#requestId
    this.#resolveConnect(response)
    this.#emit('connect')
  }

  #add(event: RawMessageStreamEvent): void {
    const snapshot = this.#accumulator.push(event)
    this.#budget.add(event)
    this.#queue.push(event)
    if (!snapshot) return
    this.#emit('streamEvent', event, snapshot)
    switch (event.type) {
      case 'content_block_delta': {
        const block = snapshot.content[event.index]
        const delta = event.delta
        if (delta.type === 'text_delta') {
          if (block?.type === 'text') this.#emit('text', delta.text, block.text)
        } else if (delta.type === 'input_json_delta') {
          // Reading `input` partial-parses the JSON so far: only pay for it when someone listens.
          if (
            (block?.type === 'tool_use' || block?.type === 'server_tool_use') &&
            this.#listeners.has('inputJson')
          ) {
            this.#emit('inputJson', delta.partial_json, block.input)
          }
        } else if (block?.type === 'thinking') {
          if (delta.type === 'thinking_delta') this.#emit('thinking', delta.thinking, block.thinking)
          else this.#emit('signature', block.signature)
        }
        break
      }
      case 'content_block_stop': {
        const block = snapshot.content[event.index]
        if (block) this.#emit('contentBlock', block)
        break
      }
      case 'message_stop':
        this.receivedMessages.push(snapshot)
        this.#emit('message', snapshot)
        break
    }
  }

  #final(): Message {
    const message = this.receivedMessages.at(-1)
    if (!message) throw new KiroError('stream ended without producing a Message with role=assistant')
    return message
  }

  #emit<E extends keyof MessageStreamEvents>(event: E, ...args: Parameters<MessageStreamEvents[E]>): boolean {
    if (this.#ended) return false
    return this.#listeners.emit(event, ...args)
  }

  #finish(): void {
    this.#emit('end')
    this.#ended = true
    this.#queue.close()
    this.#budget.release()
    this.#resolveEnd()
  }

  #fail(cause: unknown): void {
    if (this.#ended) return
    const aborted =
      cause instanceof APIUserAbortError ||
      (this.controller.signal.aborted && !KiroError.isInstance(cause)) ||
      (cause instanceof Error && cause.name === 'AbortError')
    const error: KiroError = aborted
      ? cause instanceof APIUserAbortError
        ? cause
        : new APIUserAbortError()
      : KiroError.isInstance(cause)
        ? cause
        : new KiroError(cause instanceof Error ? cause.message : String(cause), { cause })
    this.controller.abort()
    if (aborted) {
      this.#aborted = true
      this.#emit('abort', error as APIUserAbortError)
    } else {
      this.#errored = true
      const heard = this.#emit('error', error)
      if (!heard && !this.#handled && !this.#iterated) {
        // Nobody can see this error otherwise: surface it as the SDK does.
        void Promise.reject(error)
      }
    }
    this.#rejectConnect(error)
    this.#rejectEnd(error)
    this.#queue.fail(error)
    this.#emit('end')
    this.#ended = true
    this.#budget.release()
  }
}

function isBatch(
  item: RawMessageStreamEvent | readonly RawMessageStreamEvent[],
): item is readonly RawMessageStreamEvent[] {
  return Array.isArray(item)
}
