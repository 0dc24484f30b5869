import type { AnthropicBackend, BackendRequestOptions } from '../../src/server/backend.js'
import type { ModelInfo } from '../../src/server/models-page.js'
import { MessageStream } from '../../src/stream/message-stream.js'
import type { MessageCreateParams } from '../../src/types/anthropic-request.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import {
  blockStop,
  messageDelta,
  messageStart,
  messageStop,
  textDelta,
  textStart,
  usage,
} from '../fixtures/stream/expected.js'

/** What the fake does for one `messages.*` call. */
export interface FakeTurn {
  events?: RawMessageStreamEvent[]
  /** Thrown before the first event (a pre-stream failure). */
  failBefore?: unknown
  /** Thrown after this many events (a mid-stream failure). */
  failAfter?: { events: number; error: unknown }
  /** After the events, wait until the request is aborted (a long answer the client walks away from). */
  hang?: boolean
}

export interface FakeCall {
  method: 'stream' | 'create' | 'countTokens' | 'models'
  params: unknown
  signal: AbortSignal | undefined
  /** The stream handed out, for `stream` and `create` calls: its `controller.signal` is the upstream request's. */
  stream?: MessageStream
}

export const MODELS: ModelInfo[] = [
  {
    type: 'model',
    id: 'claude-sonnet-4-5',
    display_name: 'Claude Sonnet 4.5',
    created_at: '2025-09-29T00:00:00Z',
  },
  {
    type: 'model',
    id: 'claude-haiku-4-5',
    display_name: 'Claude Haiku 4.5',
    created_at: '2025-10-01T00:00:00Z',
  },
]

/** A message whose text is `text`, as the event sequence of a real answer. */
export function textEvents(text: string, model = 'claude-sonnet-4-5'): RawMessageStreamEvent[] {
  const half = Math.ceil(text.length / 2)
  return [
    messageStart(model, 12),
    textStart(0),
    textDelta(0, text.slice(0, half)),
    textDelta(0, text.slice(half)),
    blockStop(0),
    messageDelta('end_turn', usage(12, 5)),
    messageStop,
  ]
}

function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason)
    signal.addEventListener('abort', () => reject(signal.reason), { once: true })
  })
}

/** A backend that plays scripted turns through the real MessageStream, and records every call. */
export function fakeBackend(turns: FakeTurn[] = []): AnthropicBackend & { calls: FakeCall[] } {
  const calls: FakeCall[] = []
  const nextTurn = (): FakeTurn => turns.shift() ?? { events: textEvents('Hello from the fake.') }

  const stream = (params: MessageCreateParams, options?: BackendRequestOptions): MessageStream => {
    const call: FakeCall = { method: 'stream', params, signal: options?.signal }
    calls.push(call)
    const turn = nextTurn()
    call.stream = new MessageStream(
      async function* (signal) {
        if (turn.failBefore !== undefined) throw turn.failBefore
        let sent = 0
        for (const event of turn.events ?? textEvents('Hello from the fake.')) {
          if (turn.failAfter !== undefined && sent === turn.failAfter.events) throw turn.failAfter.error
          yield event
          sent++
          // Let the consumer see each event before the next, as a network stream would.
          await new Promise((resolve) => setImmediate(resolve))
        }
        if (turn.hang) await waitForAbort(signal)
      },
      { signal: options?.signal, requestId: 'kiro-fake-request' },
    )
    return call.stream
  }

  return {
    calls,
    messages: {
      stream,
      async create(params, options) {
        const streamed = stream(params, options)
        calls[calls.length - 1]!.method = 'create'
        return streamed.finalMessage()
      },
      async countTokens(params, options) {
        calls.push({ method: 'countTokens', params, signal: options?.signal })
        return { input_tokens: 42 }
      },
    },
    models: {
      async list(options) {
        calls.push({ method: 'models', params: undefined, signal: options?.signal })
        return { data: MODELS, has_more: false, first_id: MODELS[0]!.id, last_id: MODELS[1]!.id }
      },
    },
  }
}

/** Splits an SSE body into `{ event, data }` frames, checking each frame's shape on the way. */
export function parseSSE(
  text: string,
): Array<{ event: string; data: { type: string } & Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const match = /^event: (\S+)\ndata: (.*)$/s.exec(frame)
      if (match === null) throw new Error(`malformed SSE frame: ${JSON.stringify(frame)}`)
      return { event: match[1]!, data: JSON.parse(match[2]!) }
    })
}
