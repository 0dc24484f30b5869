import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { KiroEventMapperOptions } from '../../src/mapper/event-mapper.js'
import { event } from '../fixtures/stream/frames.js'
import { mapFrames } from './run-mapper.js'

/**
 * Every event shape of docs/protocol.md §4.2 and §9.4, with every field set, goes through the
 * mapper; each field must come out somewhere (its value in an event, or in the error for error
 * events), have a visible structural effect, or be on the list of fields dropped on purpose.
 */

type Kind = 'value' | 'structural' | 'dropped'
interface Field {
  path: string
  kind: Kind
  /** For dropped fields: why. */
  why?: string
}
interface Shape {
  eventType: string
  fields: Field[]
  payload: fc.Arbitrary<Record<string, unknown>>
  options?: Partial<KiroEventMapperOptions>
  /** The shape ends the response with an error. */
  fails?: boolean
}

let serial = 0
/** A string no other field can contain by accident. */
const marked = (name: string) =>
  fc.stringMatching(/^[A-Za-z0-9 ]{0,12}$/).map((s) => `${name}#${++serial}:${s}`)
const count = fc.integer({ min: 1, max: 9_000_000 })
const percent = fc.double({ min: 0.001, max: 100, noNaN: true })
const credits = fc.double({ min: 0.0001, max: 50, noNaN: true })

const value = (path: string): Field => ({ path, kind: 'value' })

/** The shapes, with their fields' fate. Extending this list is part of reading a new field. */
const SHAPES: Shape[] = [
  {
    eventType: 'assistantResponseEvent',
    fields: [value('content'), value('modelId')],
    payload: fc.record({ content: marked('content'), modelId: marked('model') }),
  },
  {
    eventType: 'toolUseEvent',
    fields: [value('toolUseId'), value('name'), value('input'), { path: 'stop', kind: 'structural' }],
    payload: fc.record({
      toolUseId: fc.stringMatching(/^tooluse_[A-Za-z0-9]{6,20}$/),
      name: fc.stringMatching(/^[a-z][a-z0-9_]{2,20}$/),
      input: marked('arg').map((a) => JSON.stringify({ arg: a })),
      stop: fc.constant(true),
    }),
  },
  {
    eventType: 'reasoningContentEvent',
    fields: [value('text'), value('signature'), value('redactedContent')],
    payload: fc.record({
      text: marked('thought'),
      signature: marked('sig'),
      redactedContent: fc.base64String({ minLength: 8, maxLength: 40 }).filter((b) => b.length > 0),
    }),
    options: { thinking: 'native' },
  },
  {
    eventType: 'meteringEvent',
    fields: [
      value('usage'),
      { path: 'unit', kind: 'dropped', why: "always 'credit': the amount is usage.kiro_credits" },
      { path: 'unitPlural', kind: 'dropped', why: "always 'credits'" },
    ],
    payload: fc.record({ usage: credits, unit: marked('unit'), unitPlural: marked('units') }),
  },
  {
    eventType: 'contextUsageEvent',
    fields: [value('contextUsagePercentage')],
    payload: fc.record({ contextUsagePercentage: percent }),
  },
  {
    eventType: 'metadataEvent',
    fields: [
      value('tokenUsage.uncachedInputTokens'),
      value('tokenUsage.outputTokens'),
      { path: 'tokenUsage.totalTokens', kind: 'dropped', why: 'the sum of the other counts' },
      value('tokenUsage.cacheReadInputTokens'),
      value('tokenUsage.cacheWriteInputTokens'),
      value('tokenUsage.contextUsagePercentage'),
      value('stopReason'),
    ],
    payload: fc.record({
      tokenUsage: fc.record({
        uncachedInputTokens: count,
        outputTokens: count,
        totalTokens: count,
        cacheReadInputTokens: count,
        cacheWriteInputTokens: count,
        contextUsagePercentage: percent,
      }),
      stopReason: marked('STOP'),
    }),
  },
  {
    eventType: 'messageMetadataEvent',
    fields: [value('conversationId'), value('utteranceId')],
    payload: fc.record({ conversationId: marked('conv'), utteranceId: marked('utt') }),
  },
  {
    eventType: 'messageStopEvent',
    fields: [value('stopReason')],
    payload: fc.record({ stopReason: marked('STOP') }),
  },
  {
    eventType: 'codeReferenceEvent',
    fields: [
      value('references.0.licenseName'),
      value('references.0.repository'),
      value('references.0.url'),
      value('references.0.recommendationContentSpan.start'),
      value('references.0.recommendationContentSpan.end'),
    ],
    payload: fc.record({
      references: fc.tuple(
        fc.record({
          licenseName: marked('license'),
          repository: marked('repo'),
          url: marked('url'),
          recommendationContentSpan: fc.record({ start: count, end: count }),
        }),
      ),
    }),
  },
  {
    eventType: 'supplementaryWebLinksEvent',
    fields: [
      value('supplementaryWebLinks.0.url'),
      value('supplementaryWebLinks.0.title'),
      value('supplementaryWebLinks.0.snippet'),
    ],
    payload: fc.record({
      supplementaryWebLinks: fc.tuple(
        fc.record({ url: marked('url'), title: marked('title'), snippet: marked('snippet') }),
      ),
    }),
  },
  {
    eventType: 'followupPromptEvent',
    fields: [value('followupPrompt.content'), value('followupPrompt.userIntent')],
    payload: fc.record({
      followupPrompt: fc.record({ content: marked('prompt'), userIntent: marked('intent') }),
    }),
  },
  {
    eventType: 'citationEvent',
    fields: [value('target.location'), value('citationText'), value('citationLink')],
    payload: fc.record({
      target: fc.record({ location: count }),
      citationText: marked('cite'),
      citationLink: marked('link'),
    }),
  },
  {
    eventType: 'codeEvent',
    fields: [value('content')],
    payload: fc.record({ content: marked('code') }),
  },
  {
    eventType: 'intentsEvent',
    fields: [value('intents.DEEPLINKS.key.string')],
    payload: fc.record({
      intents: fc.record({ DEEPLINKS: fc.record({ key: fc.record({ string: marked('deep') }) }) }),
    }),
  },
  {
    eventType: 'interactionComponentsEvent',
    fields: [
      value('interactionComponentEntries.0.interactionComponentId'),
      value('interactionComponentEntries.0.interactionComponent.text.content'),
    ],
    payload: fc.record({
      interactionComponentEntries: fc.tuple(
        fc.record({
          interactionComponentId: marked('component'),
          interactionComponent: fc.record({ text: fc.record({ content: marked('shown') }) }),
        }),
      ),
    }),
  },
  {
    eventType: 'toolResultEvent',
    fields: [value('toolResult.toolUseId'), value('toolResult.content.0.text'), value('toolResult.status')],
    payload: fc.record({
      toolResult: fc.record({
        toolUseId: marked('result'),
        content: fc.tuple(fc.record({ text: marked('out') })),
        status: marked('status'),
      }),
    }),
  },
  {
    eventType: 'dryRunSucceedEvent',
    fields: [],
    payload: fc.constant({}),
  },
  {
    eventType: 'invalidStateEvent',
    fields: [value('reason'), value('message')],
    payload: fc.record({ reason: marked('INVALID'), message: marked('msg') }),
    fails: true,
  },
  {
    eventType: 'error',
    fields: [value('message'), value('reason')],
    payload: fc.record({ message: marked('msg'), reason: marked('REASON') }),
    fails: true,
  },
]

function at(object: unknown, path: string): unknown {
  let current = object
  for (const key of path.split('.')) current = (current as Record<string, unknown>)[key]
  return current
}

/** Every leaf value of the mapper's output: its events, and for a failure the error's message, fields and body. */
function leaves(value: unknown, out: unknown[] = []): unknown[] {
  if (value === null || typeof value !== 'object') out.push(value)
  else for (const item of Object.values(value)) leaves(item, out)
  return out
}

function appears(field: unknown, output: unknown[]): boolean {
  if (typeof field === 'string')
    return output.some((leaf) => typeof leaf === 'string' && leaf.includes(field))
  return output.some((leaf) => leaf === field)
}

describe('every field of every Kiro event shape reaches the output or is dropped on purpose', () => {
  for (const shape of SHAPES) {
    it(shape.eventType, () => {
      fc.assert(
        fc.property(shape.payload, (payload) => {
          // A text event follows so that shapes without content still make a complete message.
          const frames = [
            event(shape.eventType, payload),
            event('assistantResponseEvent', { content: 'end.' }),
          ]
          const { events, error } = mapFrames(frames, { model: 'claude-sonnet-4-5', ...shape.options })
          if (shape.fails) {
            expect(error).toBeDefined()
          } else {
            expect(error).toBeUndefined()
            expect(events.at(-1)).toEqual({ type: 'message_stop' })
          }
          const err = error as { message?: string; reason?: string; error?: unknown } | undefined
          const output = leaves([events, err?.message, err?.reason, err?.error])
          for (const field of shape.fields) {
            if (field.kind !== 'value') continue
            const fieldValue = at(payload, field.path)
            if (!appears(fieldValue, output)) {
              throw new Error(`${shape.eventType}.${field.path} = ${JSON.stringify(fieldValue)} was lost`)
            }
          }
        }),
        { numRuns: 40 },
      )
    })
  }

  it('structural fields have their effect: stop closes the call and the message stops for the tool', () => {
    const { events } = mapFrames(
      [event('toolUseEvent', { toolUseId: 'tooluse_1', name: 'run', input: '{}', stop: true })],
      { model: 'm' },
    )
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    expect(events.at(-2)).toMatchObject({ delta: { stop_reason: 'tool_use' } })
  })

  it('events without fields are still reported, by type', () => {
    const { events } = mapFrames(
      [event('dryRunSucceedEvent', {}), event('assistantResponseEvent', { content: 'x' })],
      {
        model: 'm',
      },
    )
    expect(events.at(-2)).toMatchObject({ kiro_events: [{ type: 'dryRunSucceedEvent', payload: {} }] })
  })

  it('the deliberately dropped fields are exactly these', () => {
    const dropped = SHAPES.flatMap((shape) =>
      shape.fields.filter((f) => f.kind === 'dropped').map((f) => `${shape.eventType}.${f.path}: ${f.why}`),
    )
    expect(dropped).toEqual([
      "meteringEvent.unit: always 'credit': the amount is usage.kiro_credits",
      "meteringEvent.unitPlural: always 'credits'",
      'metadataEvent.tokenUsage.totalTokens: the sum of the other counts',
    ])
  })

  it('every field named in a shape exists in its generated payload (the catalogue cannot drift)', () => {
    for (const shape of SHAPES) {
      const [sample] = fc.sample(shape.payload, 1)
      for (const field of shape.fields)
        expect(at(sample, field.path), `${shape.eventType}.${field.path}`).toBeDefined()
      // And nothing in the payload escapes the catalogue.
      const named = new Set(shape.fields.map((f) => f.path))
      for (const path of leafPaths(sample)) expect(named, `${shape.eventType}.${path}`).toContain(path)
    }
  })
})

function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return prefix === '' ? [] : [prefix]
  return Object.entries(value).flatMap(([key, item]) =>
    leafPaths(item, prefix === '' ? key : `${prefix}.${key}`),
  )
}
