import { describe, expect, it } from 'vitest'
import { MessageStream } from '../../src/stream/message-stream.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { event, text, tool } from '../fixtures/stream/frames.js'
import { mapFrames } from './run-mapper.js'

const delta = (events: RawMessageStreamEvent[]) => events.find((e) => e.type === 'message_delta')
const metadata = (payload: object) => event('metadataEvent', payload)

describe("Kiro's response fields (docs/protocol.md §9.4)", () => {
  it('metadataEvent.stopReason: Anthropic stop reasons where they mean something, the raw value always', () => {
    const stop = (reason: string, frames = [text('Hi')]) =>
      delta(mapFrames([...frames, metadata({ stopReason: reason })], { model: 'm' }).events)
    expect(stop('MAX_TOKENS')).toMatchObject({
      delta: { stop_reason: 'max_tokens' },
      kiro_stop_reason: 'MAX_TOKENS',
    })
    expect(stop('max_tokens')).toMatchObject({ delta: { stop_reason: 'max_tokens' } })
    expect(stop('MODEL_CONTEXT_WINDOW_EXCEEDED')).toMatchObject({
      delta: { stop_reason: 'model_context_window_exceeded' },
    })
    expect(stop('CONTENT_FILTERED')).toMatchObject({ delta: { stop_reason: 'refusal' } })
    expect(stop('GUARDRAIL_INTERVENED')).toMatchObject({ delta: { stop_reason: 'refusal' } })
    expect(stop('END_TURN')).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      kiro_stop_reason: 'END_TURN',
    })
    expect(stop('MALFORMED_TOOL_USE')).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      kiro_stop_reason: 'MALFORMED_TOOL_USE',
    })
    // A completed tool call must be run whatever Kiro says.
    expect(stop('MAX_TOKENS', [tool('t1', 'run', '{}', true)])).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      kiro_stop_reason: 'MAX_TOKENS',
    })
  })

  it('messageStopEvent carries a stop reason too; extra fields are kept', () => {
    const events = mapFrames(
      [text('Hi'), event('messageStopEvent', { stopReason: 'MAX_TOKENS', extra: 1 })],
      { model: 'm' },
    ).events
    expect(delta(events)).toMatchObject({
      delta: { stop_reason: 'max_tokens' },
      kiro_events: [{ type: 'messageStopEvent', payload: { stopReason: 'MAX_TOKENS', extra: 1 } }],
    })
    const bare = mapFrames([text('Hi'), event('messageStopEvent', {})], { model: 'm' }).events
    expect(delta(bare)?.kiro_events).toBeUndefined()
  })

  it('modelId: message.model names the model that answered when it differs from the one asked', () => {
    const routed = mapFrames(
      [event('assistantResponseEvent', { content: 'Hi', modelId: 'claude-sonnet-4.5' })],
      {
        model: 'auto',
        kiroModelId: 'auto',
      },
    ).events
    expect(routed[0]).toMatchObject({ type: 'message_start', message: { model: 'claude-sonnet-4-5' } })
    expect(delta(routed)?.kiro_model_id).toBe('claude-sonnet-4.5')
    const same = mapFrames(
      [event('assistantResponseEvent', { content: 'Hi', modelId: 'claude-sonnet-4.5' })],
      {
        model: 'claude-sonnet-4-5-20250929',
        kiroModelId: 'claude-sonnet-4.5',
      },
    ).events
    expect(same[0]).toMatchObject({ message: { model: 'claude-sonnet-4-5-20250929' } })
  })

  it('messageMetadataEvent ids and the context percentage', () => {
    const events = mapFrames(
      [
        event('messageMetadataEvent', { conversationId: 'conv-1', utteranceId: 'utt-1' }),
        text('Hi'),
        event('metadataEvent', { contextUsagePercentage: 12.5 }),
      ],
      { model: 'm', contextWindow: 1000 },
    ).events
    expect(delta(events)).toMatchObject({
      kiro_conversation_id: 'conv-1',
      kiro_utterance_id: 'utt-1',
      kiro_context_usage_percentage: 12.5,
      usage: { input_tokens: 124 },
    })
  })

  it('informational events are bounded: 100 events, 64 KiB', () => {
    const many = Array.from({ length: 150 }, (_, i) =>
      event('followupPromptEvent', { followupPrompt: { content: `p${i}` } }),
    )
    const kept = delta(mapFrames([...many, text('Hi')], { model: 'm' }).events)?.kiro_events
    expect(kept).toHaveLength(100)
    const big = Array.from({ length: 10 }, () => event('codeEvent', { content: 'x'.repeat(10_000) }))
    expect(delta(mapFrames([...big, text('Hi')], { model: 'm' }).events)?.kiro_events).toHaveLength(6)
  })

  it('an unreadable informational payload is skipped, not fatal', () => {
    const frame = event('codeReferenceEvent', {})
    frame.payload = new TextEncoder().encode('not json')
    const { error, events } = mapFrames([frame, text('Hi')], { model: 'm' })
    expect(error).toBeUndefined()
    expect(delta(events)?.kiro_events).toBeUndefined()
  })

  it('the accumulated message carries the fields', async () => {
    const { events } = mapFrames(
      [
        event('assistantResponseEvent', { content: 'Hi', modelId: 'claude-opus-4.6' }),
        event('supplementaryWebLinksEvent', {
          supplementaryWebLinks: [{ url: 'https://a.example', title: 'A' }],
        }),
        metadata({ stopReason: 'END_TURN' }),
      ],
      { model: 'claude-opus-4-6', kiroModelId: 'claude-opus-4.6' },
    )
    const message = await new MessageStream(async function* () {
      yield events
    }).finalMessage()
    expect(message).toMatchObject({
      kiro_model_id: 'claude-opus-4.6',
      kiro_stop_reason: 'END_TURN',
      kiro_events: [
        {
          type: 'supplementaryWebLinksEvent',
          payload: { supplementaryWebLinks: [{ url: 'https://a.example', title: 'A' }] },
        },
      ],
    })
  })
})
