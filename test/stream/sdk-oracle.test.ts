import Anthropic from '@anthropic-ai/sdk'
import Anthropic0 from 'anthropic-sdk-0x'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toSSEStream } from '../../src/server/sse.js'
import { MessageStream } from '../../src/stream/message-stream.js'
import type { Message, RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { kiroFrame } from '../fixtures/stream/arbitrary.js'
import { exception, text, tool } from '../fixtures/stream/frames.js'
import { type GoldenStream, goldenStreams } from '../fixtures/stream/golden.js'
import { mapFrames } from '../mapper/run-mapper.js'

// The official SDKs as oracles (docs/compatibility.md §4.3 design (a)): our events, framed by our
// toSSEStream, are fed to `@anthropic-ai/sdk` 1.x and 0.x through their `fetch` option. The
// message each SDK accumulates must equal ours, and its helper events must fire as ours do.

const SDKS = [
  ['@anthropic-ai/sdk 1.x', Anthropic],
  ['@anthropic-ai/sdk 0.x', Anthropic0],
] as const

const PARAMS = {
  model: 'claude-sonnet-4-6',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'hi' }],
}

const COUNTED = [
  'connect',
  'streamEvent',
  'text',
  'inputJson',
  'thinking',
  'signature',
  'contentBlock',
  'message',
  'finalMessage',
  'end',
] as const

interface Emitter {
  on(event: string, listener: () => void): unknown
}

function countEvents(stream: Emitter): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const name of COUNTED) {
    counts[name] = 0
    stream.on(name, () => {
      counts[name] = (counts[name] ?? 0) + 1
    })
  }
  return counts
}

/** A producer that replays the mapper's output, then its error if it had one. */
function replay(events: RawMessageStreamEvent[], error: unknown): MessageStream {
  return new MessageStream(async function* () {
    yield events
    if (error !== undefined) throw error
  })
}

/** What these tests use of either SDK's MessageStream. */
interface SdkStream {
  on(event: string, listener: (delta: string) => void): unknown
  finalMessage(): Promise<object>
  request_id: string | null | undefined
}

function sdkClient(
  SDK: typeof Anthropic | typeof Anthropic0,
  events: RawMessageStreamEvent[],
  error: unknown,
): { messages: { stream(params: typeof PARAMS): SdkStream } } {
  return new SDK({
    apiKey: 'test-key',
    baseURL: 'http://kiro.invalid',
    maxRetries: 0,
    fetch: async () =>
      new Response(toSSEStream(replay(events, error)), {
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'request-id': 'req_oracle' },
      }),
  })
}

/** Drops extension fields: ours (`kiro_*`) and the SDK's (`parsed_output`). */
function comparable(message: Message | object): unknown {
  const copy = JSON.parse(JSON.stringify(message)) as Record<string, unknown> & {
    parsed_output?: unknown
    usage: { kiro_credits?: unknown }
  }
  for (const key of Object.keys(copy)) if (key.startsWith('kiro_')) delete copy[key]
  delete copy.parsed_output
  delete copy.usage.kiro_credits
  return copy
}

const extraStreams: GoldenStream[] = [
  {
    name: 'a tool call with nested JSON split at awkward places',
    options: { model: 'claude-sonnet-4-5', messageId: 'msg_01x' },
    frames: [
      text('Running it.'),
      tool('t1', 'Bash', '{"command": "ls -la", "opt'),
      tool('t1', 'Bash', 'ions": {"cwd": "/tmp", "env": [1, 2.5e3, true, null], "q": "a\\"b'),
      tool('t1', 'Bash', '\\u00e9"}}', true),
    ],
    events: [],
  },
]

describe.each(SDKS)('%s as the oracle', (_name, SDK) => {
  for (const golden of [...goldenStreams, ...extraStreams]) {
    it(golden.name, async () => {
      const { events, error } = mapFrames(golden.frames, golden.options)
      expect(error).toBeUndefined()

      const ours = replay(events, undefined)
      const ourCounts = countEvents(ours)
      const ourMessage = await ours.finalMessage()

      const theirs = sdkClient(SDK, events, undefined).messages.stream(PARAMS)
      const theirCounts = countEvents(theirs)
      const theirMessage = await theirs.finalMessage()

      expect(comparable(theirMessage)).toEqual(comparable(ourMessage))
      expect(theirCounts).toEqual(ourCounts)
      expect(theirs.request_id).toBe('req_oracle')
    })
  }

  it('agrees on any successful mapping of arbitrary frames', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(kiroFrame, { minLength: 1, maxLength: 20 }),
        fc.constantFrom<'off' | 'tags' | 'native'>('off', 'tags', 'native'),
        async (frames, thinking) => {
          const { events, error } = mapFrames(frames, { model: 'm', thinking, stopSequences: ['STOP'] })
          fc.pre(error === undefined)
          const ourMessage = await replay(events, undefined).finalMessage()
          const theirMessage = await sdkClient(SDK, events, undefined).messages.stream(PARAMS).finalMessage()
          expect(comparable(theirMessage)).toEqual(comparable(ourMessage))
        },
      ),
      { numRuns: 150 },
    )
  })

  it('reports an in-stream exception as an APIError with the Anthropic error type', async () => {
    const { events, error } = mapFrames(
      [
        text('Partial '),
        exception('ThrottlingException', { message: 'Slow down.', reason: 'SERVICE_REQUEST_RATE_EXCEEDED' }),
      ],
      { model: 'claude-sonnet-4-5' },
    )
    expect(error).toBeDefined()
    const texts: string[] = []
    const theirs = sdkClient(SDK, events, error).messages.stream(PARAMS)
    theirs.on('text', (delta) => texts.push(delta))
    const thrown = await theirs.finalMessage().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(thrown).toBeInstanceOf(SDK.APIError)
    expect((thrown as InstanceType<typeof SDK.APIError>).status).toBeUndefined()
    expect((thrown as { error: unknown }).error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: (error as Error).message },
    })
    expect(texts).toEqual(['Partial '])
  })
})
