import { describe, expect, it } from 'vitest'
import {
  APIError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { KiroEventMapper } from '../../src/mapper/event-mapper.js'
import { accumulateMessage } from '../../src/stream/accumulate.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import {
  blockStop,
  jsonDelta,
  MESSAGE_ID,
  messageDelta,
  messageStart,
  messageStop,
  textDelta,
  textStart,
  toolStart,
  usage,
} from '../fixtures/stream/expected.js'
import {
  contextUsage,
  errorFrame,
  event,
  exception,
  metadata,
  metering,
  reasoning,
  text,
  tool,
} from '../fixtures/stream/frames.js'
import { goldenStreams } from '../fixtures/stream/golden.js'
import { mapFrames } from './run-mapper.js'

const MODEL = 'claude-sonnet-4-5'
const base = { model: MODEL, messageId: MESSAGE_ID }

/** Anthropic's ordering rules (docs/compatibility.md §0 item 7), checked on any sequence. */
function assertWellFormed(events: readonly RawMessageStreamEvent[]): void {
  expect(events[0]?.type).toBe('message_start')
  let open: number | undefined
  let next = 0
  for (const e of events.slice(1, -2)) {
    if (e.type === 'content_block_start') {
      expect(open).toBeUndefined()
      expect(e.index).toBe(next)
      open = e.index
      next++
    } else if (e.type === 'content_block_delta') {
      expect(e.index).toBe(open)
    } else if (e.type === 'content_block_stop') {
      expect(e.index).toBe(open)
      open = undefined
    } else {
      throw new Error(`unexpected ${e.type} inside the message`)
    }
  }
  expect(open).toBeUndefined()
  const delta = events.at(-2)
  expect(delta?.type).toBe('message_delta')
  if (delta?.type === 'message_delta') expect(typeof delta.usage.output_tokens).toBe('number')
  expect(events.at(-1)?.type).toBe('message_stop')
}

describe('KiroEventMapper: golden streams', () => {
  for (const golden of goldenStreams) {
    it(golden.name, () => {
      const result = mapFrames(golden.frames, golden.options)
      expect(result.error).toBeUndefined()
      expect(result.events).toEqual(golden.events)
      assertWellFormed(result.events)
    })
  }

  it('gives the same events for every chunking of the bytes, multi-byte UTF-8 included', () => {
    const frames = [text('héllo 🌍 '), text('日本語, ok'), tool('t', 'ünïcode', '{"k":"🌍"}', true)]
    const whole = mapFrames(frames, base)
    expect(whole.error).toBeUndefined()
    expect(accumulateMessage(whole.events).content).toEqual([
      { type: 'text', text: 'héllo 🌍 日本語, ok', citations: null },
      { type: 'tool_use', id: 't', name: 'ünïcode', input: { k: '🌍' }, caller: { type: 'direct' } },
    ])
    for (let size = 1; size <= 40; size++) {
      expect(mapFrames(frames, base, size).events).toEqual(whole.events)
    }
  })

  it('returns the events of each message as it arrives, not at the end', () => {
    const { batches } = mapFrames([text('a'), tool('t', 'x', '{}'), tool('t', 'x', undefined, true)], base)
    expect(batches).toEqual([
      [messageStart(MODEL), textStart(0), textDelta(0, 'a')],
      [blockStop(0), toolStart(1, 't', 'x'), jsonDelta(1, '{}')],
      [blockStop(1)],
      [messageDelta('tool_use', usage(0, 1)), messageStop],
    ])
  })

  it('ignores a stop sequence once the message closed, and says it is done', () => {
    const golden = goldenStreams.find((g) => g.name.startsWith('a stop sequence'))!
    const { mapper, batches } = mapFrames(golden.frames, golden.options)
    expect(mapper.done).toBe(true)
    expect(batches.at(-2)).toEqual([]) // the frame after the stop sequence
    expect(batches.at(-1)).toEqual([]) // finish()
  })
})

describe('KiroEventMapper: tool calls', () => {
  it('treats repeated start events of a call as one call, and ignores a call repeated after it stopped', () => {
    const { events, error } = mapFrames(
      [
        tool('t', 'read', {}),
        tool('t', 'read', {}),
        tool('t', 'read', '{"p":1}'),
        tool('t', 'read', undefined, true),
        tool('t', 'read', '{"p":1}', true),
      ],
      base,
    )
    expect(error).toBeUndefined()
    expect(events).toEqual([
      messageStart(MODEL),
      toolStart(0, 't', 'read'),
      jsonDelta(0, '{"p":1}'),
      blockStop(0),
      messageDelta('tool_use', usage(0, 2)),
      messageStop,
    ])
  })

  it('gives a tool without input an empty object', () => {
    const { events } = mapFrames([tool('t', 'now', {}), tool('t', 'now', undefined, true)], base)
    expect(accumulateMessage(events).content[0]).toMatchObject({ type: 'tool_use', input: {} })
    expect(accumulateMessage(events).stop_reason).toBe('tool_use')
  })

  it('holds text that arrives during a tool call until the call ends', () => {
    const { events } = mapFrames(
      [tool('t', 'x', '{"a":'), text('between'), tool('t', 'x', '1}', true), text(' after')],
      base,
    )
    expect(events).toEqual([
      messageStart(MODEL),
      toolStart(0, 't', 'x'),
      jsonDelta(0, '{"a":'),
      jsonDelta(0, '1}'),
      blockStop(0),
      textStart(1),
      textDelta(1, 'between'),
      textDelta(1, ' after'),
      blockStop(1),
      // '{"a":1}between after': 20 ASCII characters.
      messageDelta('tool_use', usage(0, 6)),
      messageStop,
    ])
  })

  it('cuts the message at a call whose input is not valid JSON, without forwarding the bad fragment', () => {
    const { events, mapper, error } = mapFrames(
      [tool('t', 'x', '{"a":1'), tool('t', 'x', '}}'), tool('t', 'x', undefined, true), text('late')],
      base,
    )
    expect(error).toBeUndefined()
    expect(events.slice(0, 4)).toEqual([
      messageStart(MODEL),
      toolStart(0, 't', 'x'),
      jsonDelta(0, '{"a":1'),
      blockStop(0),
    ])
    const message = accumulateMessage(events)
    expect(message.stop_reason).toBe('max_tokens')
    expect(mapper.truncation).toMatchObject({ reason: 'invalid_json', tool_use_id: 't', received_chars: 8 })
    expect(message.kiro_truncation).toEqual(mapper.truncation)
    expect(message.content).toHaveLength(1)
  })

  it('cuts the message at a call that stops before its JSON is complete', () => {
    const { events, mapper } = mapFrames([tool('t', 'x', '{"a":'), tool('t', 'x', undefined, true)], base)
    expect(accumulateMessage(events).stop_reason).toBe('max_tokens')
    expect(mapper.truncation?.reason).toBe('invalid_json')
  })

  it('never reports tool_use for a cut-off call, even after a completed one', () => {
    const { events, mapper } = mapFrames(
      [tool('a', 'x', '{}', true), tool('b', 'y', '{"content":"part')],
      base,
    )
    const message = accumulateMessage(events)
    expect(message.stop_reason).toBe('max_tokens')
    expect(mapper.truncation).toMatchObject({ tool_use_id: 'b', index: 1, reason: 'stream_ended' })
    // The received input is kept as sent; the partial parse keeps only complete members.
    expect(message.content[1]).toMatchObject({ type: 'tool_use', id: 'b', input: {} })
  })

  it('rejects a toolUseEvent without an id, or a new call without a name', () => {
    expect(mapFrames([event('toolUseEvent', { name: 'x' })], base).error).toBeInstanceOf(APIError)
    const noName = mapFrames([event('toolUseEvent', { toolUseId: 't', input: '{}' })], base)
    expect(noName.error).toBeInstanceOf(InternalServerError)
    expect((noName.error as APIError).message).toContain('has no name')
  })
})

describe('KiroEventMapper: thinking', () => {
  const reply = '<thinking>\nStep one.\n</thinking>\n\nThe answer is "yes".'

  function contentOf(pieces: string[], options = {}) {
    const { events, error } = mapFrames(
      pieces.map((p) => text(p)),
      { ...base, thinking: 'tags', ...options },
    )
    expect(error).toBeUndefined()
    assertWellFormed(events)
    return accumulateMessage(events).content
  }

  const expected = [
    { type: 'thinking', thinking: 'Step one.\n', signature: 'kiro-tags.v1' },
    { type: 'text', text: 'The answer is "yes".', citations: null },
  ]

  it('parses a tag split across two events at every position', () => {
    for (let i = 1; i < reply.length; i++) {
      expect(contentOf([reply.slice(0, i), reply.slice(i)])).toEqual(expected)
    }
  })

  it('parses a reply sent one character per event', () => {
    expect(contentOf([...reply])).toEqual(expected)
  })

  it('parses a split across three events at every pair of positions', () => {
    for (let i = 1; i < reply.length; i++) {
      for (let j = i + 1; j < reply.length; j++) {
        expect(contentOf([reply.slice(0, i), reply.slice(i, j), reply.slice(j)])).toEqual(expected)
      }
    }
  })

  it('leaves text alone when the reply does not start with <thinking>', () => {
    expect(contentOf(['Sure. <thinking>x</thinking>\n\ny'])).toEqual([
      { type: 'text', text: 'Sure. <thinking>x</thinking>\n\ny', citations: null },
    ])
  })

  it('ends the thinking at a tool call when only whitespace follows the end tag', () => {
    const { events } = mapFrames([text('<thinking>plan</thinking>\n'), tool('t', 'x', '{}', true)], {
      ...base,
      thinking: 'tags',
    })
    expect(accumulateMessage(events).content.map((b) => b.type)).toEqual(['thinking', 'tool_use'])
    expect(accumulateMessage(events).content[0]).toEqual({
      type: 'thinking',
      thinking: 'plan',
      signature: 'kiro-tags.v1',
    })
  })

  it('reports max_tokens when the reply ends inside its thinking', () => {
    const { events } = mapFrames([text('<thinking>still going')], { ...base, thinking: 'tags' })
    const message = accumulateMessage(events)
    expect(message.stop_reason).toBe('max_tokens')
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'still going', signature: 'kiro-tags.v1' },
    ])
  })

  it('drops native reasoning when thinking is off', () => {
    const { events } = mapFrames([reasoning({ text: 'hmm', signature: 's' }), text('hi')], base)
    expect(accumulateMessage(events).content.map((b) => b.type)).toEqual(['text'])
  })
})

describe('KiroEventMapper: stop sequences', () => {
  it('cuts at the earliest of several sequences, across events', () => {
    const { events } = mapFrames([text('one ##'), text('# two END')], {
      ...base,
      stopSequences: ['END', '###'],
    })
    const message = accumulateMessage(events)
    expect(message.content).toEqual([{ type: 'text', text: 'one ', citations: null }])
    expect(message.stop_sequence).toBe('###')
    expect(message.stop_reason).toBe('stop_sequence')
  })

  it('releases text held as a possible sequence when the reply ends or a tool call starts', () => {
    const { events } = mapFrames([text('almost ST'), tool('t', 'x', '{}', true)], {
      ...base,
      stopSequences: ['STOP'],
    })
    expect(accumulateMessage(events).content[0]).toEqual({ type: 'text', text: 'almost ST', citations: null })
  })
})

describe('KiroEventMapper: stop sequences in text the thinking parser held', () => {
  // At the start of a reply the tag parser holds whitespace and a partial `<thinking>` until it
  // knows what they are; releasing them at the end, or before native reasoning, can complete a
  // stop sequence. The message must then close exactly once, with nothing after message_stop.
  const options = { ...base, thinking: 'tags' as const, stopSequences: ['\n', '<thi'] }

  it('closes once when the reply ends on held text that completes a sequence', () => {
    const { events, error } = mapFrames([text('\n\n')], options)
    expect(error).toBeUndefined()
    assertWellFormed(events)
    const message = accumulateMessage(events)
    expect(message.stop_reason).toBe('stop_sequence')
    expect(message.stop_sequence).toBe('\n')
    expect(message.content).toEqual([])
  })

  it('opens no block after the end when reasoning follows held text that completes a sequence', () => {
    for (const held of ['\n', '<thi']) {
      const { events, mapper } = mapFrames([text(held), reasoning({ text: 'r', signature: 's' })], options)
      assertWellFormed(events)
      expect(mapper.done).toBe(true)
      expect(accumulateMessage(events).stop_sequence).toBe(held)
    }
  })
})

describe('KiroEventMapper: usage', () => {
  it('prefers metadata token counts over the context percentage', () => {
    const { events } = mapFrames(
      [text('hi'), contextUsage(50), metadata({ uncachedInputTokens: 10, outputTokens: 3, totalTokens: 13 })],
      { ...base, contextWindow: 1000, inputTokensEstimate: 7 },
    )
    expect(accumulateMessage(events).usage).toMatchObject({
      input_tokens: 10,
      output_tokens: 3,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    })
  })

  it('falls back to the caller estimate without a percentage or a window, and sums credits', () => {
    const { events } = mapFrames([text('hi'), metering(0.5), metering(0.25), contextUsage(50)], {
      ...base,
      inputTokensEstimate: 7,
    })
    expect(accumulateMessage(events).usage).toMatchObject({
      input_tokens: 7,
      output_tokens: 1,
      kiro_credits: 0.75,
    })
  })

  it('ignores malformed usage payloads', () => {
    const { events } = mapFrames(
      [
        text('hi'),
        metadata({ outputTokens: -1 }),
        event('contextUsageEvent', { contextUsagePercentage: 'x' }),
      ],
      { ...base, contextWindow: 1000, inputTokensEstimate: 7 },
    )
    expect(accumulateMessage(events).usage).toMatchObject({ input_tokens: 7, output_tokens: 1 })
  })
})

describe('KiroEventMapper: errors and odd input', () => {
  it('delivers the events before an in-stream exception, then throws a typed error', () => {
    const { events, error, mapper } = mapFrames(
      [
        text('Partial '),
        exception('ThrottlingException', {
          message: 'Too many requests, please wait before trying again.',
          reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
        }),
        text('never'),
      ],
      base,
    )
    expect(events).toEqual([messageStart(MODEL), textStart(0), textDelta(0, 'Partial ')])
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({
      type: 'rate_limit_error',
      kiroErrorType: 'ThrottlingException',
      reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
      status: undefined,
    })
    expect(mapper.done).toBe(true)
  })

  it.each([
    [
      exception('error', { message: 'x', reason: 'MODEL_TEMPORARILY_UNAVAILABLE' }),
      OverloadedError,
      'overloaded_error',
    ],
    [
      exception('ValidationException', { message: 'Improperly formed request.' }),
      BadRequestError,
      'invalid_request_error',
    ],
    [exception('InternalServerException', { message: 'boom' }), InternalServerError, 'api_error'],
    [errorFrame('InternalFailure', 'Kiro broke'), InternalServerError, 'api_error'],
    [
      event('invalidStateEvent', { reason: 'INVALID_TASK_ASSIST_PLAN', message: 'bad' }),
      BadRequestError,
      'invalid_request_error',
    ],
  ])('maps %# to its Anthropic error type', (frame, errorClass, type) => {
    const { error, events } = mapFrames([frame], base)
    expect(error).toBeInstanceOf(errorClass)
    expect((error as APIError).type).toBe(type)
    if (frame.headers[':message-type']?.value !== 'event') expect(events).toEqual([])
  })

  it('ends with max_tokens on ContentLengthExceededException', () => {
    const { events, error } = mapFrames(
      [text('long answer'), exception('ContentLengthExceededException', { message: 'too long' })],
      base,
    )
    expect(error).toBeUndefined()
    expect(events.slice(-3)).toEqual([blockStop(0), messageDelta('max_tokens', usage(0, 4)), messageStop])
  })

  it('makes the input estimate once, when message_start is built, not when the mapper is created', () => {
    let calls = 0
    const estimate = () => {
      calls++
      return 42
    }
    const mapper = new KiroEventMapper({ ...base, inputTokensEstimate: estimate })
    expect(calls).toBe(0)
    const { events } = mapFrames([text('hi'), text(' there')], { ...base, inputTokensEstimate: estimate })
    expect(calls).toBe(1)
    expect(events[0]).toMatchObject({ message: { usage: { input_tokens: 42 } } })
    expect(events.at(-2)).toMatchObject({ usage: { input_tokens: 42 } })
    expect(mapper.done).toBe(false)
  })

  it('reports the same usage whether or not the output after the real counts was counted', () => {
    const frames = [text('before '), metadata({ uncachedInputTokens: 10, outputTokens: 3 }), text('after')]
    const { events } = mapFrames(frames, base)
    expect(events.at(-2)).toMatchObject({ usage: { input_tokens: 10, output_tokens: 3 } })
    const estimated = mapFrames([text('before '), text('after')], base).events
    expect(estimated.at(-2)).toMatchObject({ usage: { output_tokens: 4 } })
  })

  it('ignores unknown event types and empty text', () => {
    const { events } = mapFrames(
      [
        event('followupPromptEvent', { followupPrompt: { content: 'x' } }),
        text(''),
        text('hi'),
        event('codeEvent', {}),
      ],
      base,
    )
    expect(accumulateMessage(events).content).toEqual([{ type: 'text', text: 'hi', citations: null }])
  })

  it('throws a typed error for a payload that is not JSON, or text that is not a string', () => {
    const notJson = { ...text('x'), payload: new TextEncoder().encode('{oops') }
    const broken = mapFrames([text('ok'), notJson, text('after')], base)
    expect(broken.error).toBeInstanceOf(InternalServerError)
    expect(broken.mapper.done).toBe(true)
    expect(broken.mapper.push(text('more'))).toEqual([])
    expect(broken.mapper.finish()).toEqual([])
    expect(mapFrames([event('assistantResponseEvent', { content: 42 })], base).error).toBeInstanceOf(
      InternalServerError,
    )
  })

  it('throws when the body ends without any event, and returns nothing after it finished', () => {
    const mapper = new KiroEventMapper(base)
    expect(() => mapper.finish()).toThrow(/without any event/)
    expect(mapper.finish()).toEqual([])
  })
})
