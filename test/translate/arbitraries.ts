/**
 * fast-check arbitraries of Anthropic requests: turns of every role, tools (valid and invalid
 * names, messy schemas, server tools), tool pairs (well-formed, or with orphans, duplicates and
 * missing results when `messy`), images, documents, system prompts and messages, thinking
 * blocks of every origin, and thinking configs.
 */
import fc from 'fast-check'
import { NATIVE_SIGNATURE_PREFIX, TAG_THINKING_SIGNATURE } from '../../src/mapper/thinking-signature.js'
import type {
  ContentBlockParam,
  MessageCreateParams,
  MessageParam,
  ToolUnion,
} from '../../src/types/anthropic-request.js'
import { PNG } from '../fixtures/translate/golden-cases.js'

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', ' ', '<thinking>x</thinking>', 'naïve 字 🎉'),
)
const toolName = fc.constantFrom(
  'read',
  'Read',
  'write_file',
  'files.read',
  'mcp__srv__tool',
  'ü',
  'a'.repeat(70),
  'x-y',
)
const toolId = fc.constantFrom('toolu_1', 'toolu_2', 'toolu_3', 'call:9', 'id with space', 'z'.repeat(80))
const json = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })

const image = fc
  .constantFrom('image/png', 'image/jpeg', 'image/gif', 'image/webp')
  .map(
    (media_type) =>
      ({ type: 'image', source: { type: 'base64', media_type, data: PNG } }) as ContentBlockParam,
  )
const textBlock = text.map((t) => ({ type: 'text', text: t }) as ContentBlockParam)
const document = fc.record({ data: text, title: fc.option(text, { nil: undefined }) }).map(
  ({ data, title }) =>
    ({
      type: 'document',
      source: { type: 'text', media_type: 'text/plain', data },
      ...(title === undefined ? {} : { title }),
    }) as ContentBlockParam,
)

const thinkingBlock = fc
  .record({
    thinking: text,
    origin: fc.constantFrom('tags', 'native', 'unknown', 'redacted', 'bad-redacted'),
  })
  .map(({ thinking, origin }): ContentBlockParam => {
    if (origin === 'redacted') return { type: 'redacted_thinking', data: 'cmVkYWN0ZWQ=' }
    if (origin === 'bad-redacted') return { type: 'redacted_thinking', data: '.KTR~~not base64' }
    const signature =
      origin === 'tags'
        ? TAG_THINKING_SIGNATURE
        : origin === 'native'
          ? `${NATIVE_SIGNATURE_PREFIX}blob${thinking.length}`
          : 'EqQBsig'
    return { type: 'thinking', thinking, signature }
  })

/** A tool call; its id is fixed later so pairs can be wired. */
const toolUse = fc
  .record({ name: toolName, input: json, id: toolId })
  .map(({ name, input, id }) => ({ type: 'tool_use', id, name, input }) as ContentBlockParam)
const serverBlocks = fc.constant<ContentBlockParam[]>([
  { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'q' } },
  { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ title: 'T', url: 'https://t' }] },
])

const resultContent = fc.oneof(
  text,
  fc.constant(undefined),
  fc.array(fc.oneof(textBlock, image, document), { maxLength: 3 }),
)

type Skeleton =
  | {
      role: 'user'
      blocks: ContentBlockParam[]
      results: Array<{ pick: number; content: unknown; isError: boolean }>
      asString: boolean
    }
  | { role: 'assistant'; blocks: ContentBlockParam[]; asString: boolean }
  | { role: 'system'; text: string }

const userSkeleton = fc.record({
  role: fc.constant('user' as const),
  blocks: fc.array(fc.oneof({ weight: 4, arbitrary: textBlock }, image, document), { maxLength: 3 }),
  results: fc.array(fc.record({ pick: fc.nat(5), content: resultContent, isError: fc.boolean() }), {
    maxLength: 3,
  }),
  asString: fc.boolean(),
})
const assistantSkeleton = fc.record({
  role: fc.constant('assistant' as const),
  blocks: fc
    .tuple(
      fc.array(thinkingBlock, { maxLength: 2 }),
      fc.array(textBlock, { maxLength: 2 }),
      fc.array(toolUse, { maxLength: 3 }),
      fc.oneof({ weight: 5, arbitrary: fc.constant([]) }, serverBlocks),
    )
    .map(([t, x, u, s]) => [...t, ...x, ...s, ...u]),
  asString: fc.boolean(),
})
const systemSkeleton = fc.record({ role: fc.constant('system' as const), text })

/**
 * Wires tool results to calls. Well-formed: every call of an assistant message gets one result,
 * in the next message (a user message is inserted when needed), with ids unique per conversation.
 * Messy: results pick ids from the previous message's calls or make them up, and may repeat.
 */
function build(skeletons: Skeleton[], messy: boolean): MessageParam[] {
  const messages: MessageParam[] = []
  let pending: string[] = []
  let counter = 0
  const flushResults = (extra: ContentBlockParam[]) => {
    const answers = pending.map(
      (id) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' }) as ContentBlockParam,
    )
    pending = []
    return [...answers, ...extra]
  }
  for (const s of skeletons) {
    if (s.role === 'system') {
      messages.push({ role: 'system', content: s.text })
      continue
    }
    if (s.role === 'assistant') {
      if (!messy && pending.length > 0) messages.push({ role: 'user', content: flushResults([]) })
      const blocks = s.blocks.map((b) => {
        if (b.type !== 'tool_use') return b
        const id = messy ? b.id : `toolu_w${counter++}`
        return { ...b, id }
      })
      pending = blocks.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []))
      const onlyText = blocks.every((b) => b.type === 'text')
      messages.push({
        role: 'assistant',
        content:
          s.asString && onlyText ? blocks.map((b) => (b.type === 'text' ? b.text : '')).join('') : blocks,
      })
      continue
    }
    const results = s.results.map(
      (r) =>
        ({
          type: 'tool_result',
          tool_use_id:
            pending.length > 0 ? (pending[r.pick % pending.length] as string) : `toolu_orphan${r.pick}`,
          content: r.content,
          is_error: r.isError,
        }) as ContentBlockParam,
    )
    const blocks = messy ? [...results, ...s.blocks] : flushResults(s.blocks)
    pending = messy ? [] : pending
    const onlyText = blocks.every((b) => b.type === 'text')
    messages.push({
      role: 'user',
      content:
        s.asString && onlyText ? blocks.map((b) => (b.type === 'text' ? b.text : '')).join('') : blocks,
    })
  }
  return messages
}

const tools = fc
  .uniqueArray(
    fc.record({
      name: toolName,
      description: fc.oneof(text, fc.constant(undefined), fc.constant('d'.repeat(10_050))),
      schema: fc.oneof(
        fc.constant({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }),
        fc.constant({
          type: 'object',
          properties: { a: { type: ['string', 'null'], default: null } },
          required: [],
        }),
        fc.constant({ $schema: 'https://json-schema.org/draft/2020-12/schema', additionalProperties: false }),
      ),
    }),
    { selector: (t) => t.name, maxLength: 4 },
  )
  .chain((custom) =>
    fc.boolean().map((withServer): ToolUnion[] => [
      ...custom.map((t) => ({
        name: t.name,
        input_schema: t.schema as never,
        ...(t.description === undefined ? {} : { description: t.description }),
      })),
      ...(withServer ? [{ type: 'web_search_20250305', name: 'web_search' }] : []),
    ]),
  )

const thinking = fc.oneof(
  fc.constant(undefined),
  fc.constant({ type: 'disabled' as const }),
  fc.integer({ min: 0, max: 64_000 }).map((budget_tokens) => ({ type: 'enabled' as const, budget_tokens })),
  fc.constant({ type: 'adaptive' as const }),
)

/** Any request the translator must turn into a body Kiro accepts. */
export function anthropicRequest(options: { messy: boolean }): fc.Arbitrary<MessageCreateParams> {
  return fc
    .record({
      model: fc.constantFrom('claude-sonnet-4-5', 'claude-opus-4-6', 'claude-opus-5', 'auto', 'gpt-5.6-luna'),
      system: fc.oneof(fc.constant(undefined), text, fc.array(textBlock, { maxLength: 2 })),
      skeletons: fc.array(
        fc.oneof(
          { weight: 3, arbitrary: userSkeleton },
          { weight: 3, arbitrary: assistantSkeleton },
          systemSkeleton,
        ),
        {
          minLength: 1,
          maxLength: 8,
        },
      ),
      tools,
      thinking,
      effort: fc.constantFrom(undefined, 'low', 'xhigh'),
    })
    .map(({ model, system, skeletons, tools, thinking, effort }) => ({
      model,
      max_tokens: 1000,
      messages: build(skeletons as Skeleton[], options.messy),
      ...(system === undefined ? {} : { system: system as string }),
      ...(tools.length === 0 ? {} : { tools }),
      ...(thinking === undefined ? {} : { thinking }),
      ...(effort === undefined ? {} : { output_config: { effort } }),
    }))
}
