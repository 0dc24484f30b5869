import type Anthropic from '@anthropic-ai/sdk'
import type Anthropic0 from 'anthropic-sdk-0x'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { accumulateMessage } from '../../src/stream/accumulate.js'
import type { Message, RawMessageStreamEvent } from '../../src/types/anthropic-response.js'
import { goldenStreams } from '../fixtures/stream/golden.js'

// Checked by `tsc --noEmit` (the tsconfig includes test/): our response types can be handed to
// code typed against either SDK line without a cast.

describe('response types', () => {
  it('are assignable to the types of @anthropic-ai/sdk 1.x and 0.x', () => {
    expectTypeOf<Message>().toExtend<Anthropic.Message>()
    expectTypeOf<RawMessageStreamEvent>().toExtend<Anthropic.RawMessageStreamEvent>()
    expectTypeOf<Message>().toExtend<Anthropic0.Message>()
    expectTypeOf<RawMessageStreamEvent>().toExtend<Anthropic0.RawMessageStreamEvent>()

    const events: RawMessageStreamEvent[] = goldenStreams[1]!.events
    const sdkEvents: Anthropic.RawMessageStreamEvent[] = events
    const sdkMessage: Anthropic.Message = accumulateMessage(events)
    const sdk0Message: Anthropic0.Message = accumulateMessage(events)
    expect(sdkMessage).toEqual(sdk0Message)
    expect(sdkEvents).toBe(events)
  })

  it('are narrower than the SDK types (the check above is not vacuous)', () => {
    // A block with citations is valid for the SDK but never produced here.
    expectTypeOf<Anthropic.Message>().not.toExtend<Message>()
    expectTypeOf<Anthropic.RawMessageStreamEvent>().not.toExtend<RawMessageStreamEvent>()
  })
})
