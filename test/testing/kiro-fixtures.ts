import { EventStreamDecoder } from '../../src/eventstream/decoder.js'
import type { EventStreamMessage } from '../../src/eventstream/types.js'

/** A body Kiro accepts (docs/protocol.md §3.1 shape sketch). */
export function kiroBody(
  content = 'Hello there',
  context?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    conversationState: {
      chatTriggerType: 'MANUAL',
      conversationId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      agentTaskType: 'vibe',
      currentMessage: {
        userInputMessage: {
          content,
          modelId: 'claude-sonnet-4.5',
          origin: 'AI_EDITOR',
          ...(context ? { userInputMessageContext: context } : {}),
        },
      },
    },
  }
}

export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/generateAssistantResponse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export interface Frame {
  messageType: string | undefined
  /** `:event-type`, or `:exception-type` for exceptions. */
  type: string | undefined
  json: unknown
}

const text = new TextDecoder()

function stringHeader(message: EventStreamMessage, name: string): string | undefined {
  const header = message.headers[name]
  return header?.type === 'string' ? header.value : undefined
}

function toFrame(message: EventStreamMessage): Frame {
  const messageType = stringHeader(message, ':message-type')
  return {
    messageType,
    type: stringHeader(message, messageType === 'exception' ? ':exception-type' : ':event-type'),
    json: JSON.parse(text.decode(message.payload)) as unknown,
  }
}

/** Reads a whole response body through the real decoder; a decoder fault rejects after the good frames. */
export async function readFrames(
  source: Response | AsyncIterable<Uint8Array>,
): Promise<{ frames: Frame[]; error?: unknown }> {
  const decoder = new EventStreamDecoder()
  const frames: Frame[] = []
  const chunks = (source instanceof Response ? source.body : source) as AsyncIterable<Uint8Array>
  try {
    for await (const chunk of chunks) {
      for (const message of decoder.push(chunk)) frames.push(toFrame(message))
    }
    decoder.end()
    return { frames }
  } catch (error) {
    return { frames, error }
  }
}
