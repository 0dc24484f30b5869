import { ConfigurationError } from '../errors/configuration-error.js'
import type { MessageCreateParams } from '../types/anthropic-request.js'
import type { WebSearchConfig } from '../websearch/web-search-tool.js'
import { assembleBody, type BodyFields, foldSystem } from './body.js'
import { conversationIdFor } from './conversation-id.js'
import { fitBody } from './fit-body.js'
import { ignoredParams } from './ignored.js'
import { type Fields, invalid, isObject } from './invalid.js'
import type { KiroAgentTaskType, KiroOrigin, KiroRequest } from './kiro-types.js'
import { contextWindowFor, kiroModelIdOf } from './models.js'
import { pairTurns } from './pairing.js'
import { DEFAULT_MAX_BODY_BYTES, fitsInBytes, utf8Length } from './size.js'
import { planThinking, type ThinkingBudgetBounds, type ThinkingMode } from './thinking.js'
import { estimateInputTokens } from './token-estimate.js'
import { ToolNameRegistry } from './tool-names.js'
import { historyToolSpec, translateTools } from './tools.js'
import { DEFAULT_KEEP_IMAGE_TURNS } from './trim-images.js'
import { buildTurns } from './turns.js'

/** Options of {@link toKiroRequest}. */
export interface ToKiroRequestOptions {
  /** Sent as `profileArn` when given (the Kiro login's profile). */
  profileArn?: string | undefined
  /** Model name overrides: `{ 'claude-sonnet-4-5': 'claude-sonnet-4.5' }`; keys are the name sent or its normalised form. */
  modelMap?: Readonly<Record<string, string>> | undefined
  /** Largest serialized body, in UTF-8 bytes. @defaultValue 600_000 (Kiro's measured limit, with a margin) */
  maxBodyBytes?: number | undefined
  /** Over the limit, drop the oldest whole turns instead of throwing (after `trimImages`). @defaultValue false */
  trimHistory?: boolean | undefined
  /**
   * Over the limit, first replace the images of older user messages with a short note, oldest first,
   * keeping those of the last `keepTurns` user messages (3 with `true`). @defaultValue false
   */
  trimImages?: boolean | { keepTurns?: number | undefined } | undefined
  /** Overrides the derived conversation id. */
  conversationId?: string | undefined
  /** `userInputMessage.origin`. @defaultValue 'AI_EDITOR' */
  origin?: KiroOrigin | undefined
  /** `conversationState.agentTaskType`; `null` omits it. @defaultValue 'vibe' */
  agentTaskType?: KiroAgentTaskType | null | undefined
  /** `conversationState.agentContinuationId`, when the caller has one (Kiro CLI wire). */
  agentContinuationId?: string | undefined
  /** Bounds of the thinking budget sent in prompt tags. @defaultValue `{ min: 1024, max: 24576 }` */
  thinkingBudget?: ThinkingBudgetBounds | undefined
  /**
   * The account's limits for a Kiro model id, when its `ListAvailableModels` answer is known
   * (docs/protocol.md §1.5): they win over the built-in table's.
   */
  modelLimits?: ((kiroModelId: string) => ModelLimits | undefined) | undefined
}

/** What an account's model list says about one model. */
export interface ModelLimits {
  contextWindow?: number | undefined
  maxOutputTokens?: number | undefined
}

/** The translated request, and what the response side needs to undo it. */
export interface KiroTranslation {
  /** The body of `generateAssistantResponse`. */
  body: KiroRequest
  /** `body` serialized once; send these bytes (and reuse them on retries). */
  serialized: string
  /** Kiro's `modelId`. */
  modelId: string
  /** Kiro tool name → the caller's name, for tools that had to be renamed; other names are unchanged. */
  toolNames: ReadonlyMap<string, string>
  /** `tags`: thinking tags were injected, parse `<thinking>` out of the text; `native`: reasoning events. */
  thinking: ThinkingMode
  /** Parameters accepted but not sent (Kiro has no field for them), e.g. `temperature`. */
  ignored: string[]
  /** Anthropic-defined tools (code execution, bash, ...) that Kiro cannot run, by name. */
  droppedServerTools: string[]
  /** The web search tool, declared to the model as an ordinary tool the library answers (docs/protocol.md §9.5). */
  webSearch: WebSearchConfig | undefined
  /** History messages dropped by `trimHistory`. */
  trimmedTurns: number
  /** Images of older messages replaced by a note (`trimImages`). */
  trimmedImages: number
  /** The model's context window in tokens, for usage math. */
  contextWindow: number
  /** Local estimate of the request's input tokens (computed when first read). */
  inputTokensEstimate: number
  /** The `conversationId` sent. */
  conversationId: string
}

function systemText(system: unknown): string {
  if (system === undefined || system === null) return ''
  if (typeof system === 'string') return system
  if (!Array.isArray(system)) throw invalid('system', 'Input should be a valid string or list')
  const texts: string[] = []
  for (let i = 0; i < system.length; i++) {
    const block: unknown = system[i]
    if (!isObject(block) || block.type !== 'text') throw invalid(`system.${i}.type`, "Input should be 'text'")
    const text = block.text
    if (typeof text !== 'string') throw invalid(`system.${i}.text`, 'Field required')
    if (text !== '') texts.push(text)
  }
  return texts.join('\n\n')
}

/**
 * Translates an Anthropic Messages request into the body of Kiro's `generateAssistantResponse`.
 * Pure: no I/O, no clock, no randomness; the same params and options give the same bytes.
 *
 * @param params - `MessageCreateParams` of either API dialect (2023-06-01 or 2026-10-21).
 * @param options - see {@link ToKiroRequestOptions}.
 * @throws BadRequestError for malformed params (`messages.3.content.1.tool_use_id: Field required`)
 *   and for a body over `maxBodyBytes` without `trimHistory`.
 * @example
 * ```ts
 * const { serialized, toolNames, thinking } = toKiroRequest({
 *   model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }],
 * })
 * ```
 */
export function toKiroRequest(
  params: MessageCreateParams,
  options: ToKiroRequestOptions = {},
): KiroTranslation {
  if (!isObject(params)) throw invalid('', 'The request body should be a JSON object')
  const p = params as unknown as Fields
  const model = p.model
  if (typeof model !== 'string' || model === '') {
    throw invalid('model', model === undefined ? 'Field required' : 'Input should be a non-empty string')
  }
  const modelId = kiroModelIdOf(model, (params as { betas?: unknown }).betas, options.modelMap)
  const names = new ToolNameRegistry()
  const tools = translateTools(p.tools, names)
  const turns = buildTurns(p.messages, { flattenTools: tools.specs.length === 0, names })
  const limits = options.modelLimits?.(modelId)
  const ignored = ignoredParams(p as Record<string, unknown>)
  const thinking = planThinking(p.thinking, p.output_config, modelId, options.thinkingBudget, {
    maxTokens: (p as { max_tokens?: unknown }).max_tokens,
    maxOutputTokens: limits?.maxOutputTokens,
  })
  // The models with Kiro's adaptive envelope take max_tokens (docs/protocol.md §3.9): not ignored there.
  const sentMaxTokens = ignored.indexOf('max_tokens')
  if (thinking.additionalModelRequestFields?.max_tokens !== undefined && sentMaxTokens !== -1) {
    ignored.splice(sentMaxTokens, 1)
  }
  const conversation = pairTurns(turns, modelId, options.origin ?? 'AI_EDITOR')

  for (const name of conversation.usedTools) {
    const key = name.toLowerCase()
    if (tools.declared.has(key)) continue
    tools.declared.add(key)
    tools.specs.push(historyToolSpec(name))
  }
  // Thinking tags lead the system text: the first user message never carries tool results (they
  // would have no call before them), so the tags never share a message with results (docs/protocol.md §3.5 rule 9).
  const prefix = [thinking.tags ?? '', systemText(p.system), ...tools.sections]
    .filter((s) => s !== '')
    .join('\n\n')
  const messages = conversation.messages
  const first = messages[0] as { userInputMessage: { content: string } }
  first.userInputMessage.content = foldSystem(
    prefix,
    conversation.ownText[0] as string,
    conversation.emptyText[0] as string,
  )

  const fields: BodyFields = {
    conversationId:
      options.conversationId ?? conversationIdFor(p.metadata, p.system, p.messages as unknown[]),
    agentTaskType: options.agentTaskType === null ? undefined : (options.agentTaskType ?? 'vibe'),
    agentContinuationId: options.agentContinuationId,
    profileArn: options.profileArn,
    additionalModelRequestFields: thinking.additionalModelRequestFields,
    tools: tools.specs,
  }
  let body = assembleBody(messages, fields)
  let serialized = JSON.stringify(body)
  let trimmedTurns = 0
  let trimmedImages = 0
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  let estimate: number | undefined
  const contextWindow = limits?.contextWindow ?? contextWindowFor(modelId)
  const trimImages = imageTrimming(options.trimImages)
  if (!fitsInBytes(serialized, maxBytes)) {
    ;({ body, serialized, trimmedTurns, trimmedImages } = fitBody(
      conversation,
      prefix,
      fields,
      utf8Length(serialized),
      {
        maxBytes,
        trimImages,
        trimHistory: options.trimHistory === true,
        size: { estimate: () => (estimate ??= estimateInputTokens(params)), contextWindow },
      },
    ))
  }

  return {
    body,
    serialized,
    modelId,
    toolNames: names.renamed,
    thinking: thinking.mode,
    ignored,
    droppedServerTools: tools.dropped,
    webSearch: tools.webSearch,
    trimmedTurns,
    trimmedImages,
    contextWindow,
    // A getter: the estimate scans every character, and many callers never read it.
    get inputTokensEstimate() {
      estimate ??= estimateInputTokens(params)
      return estimate
    },
    conversationId: fields.conversationId,
  }
}

function imageTrimming(option: ToKiroRequestOptions['trimImages']): { keepTurns: number } | undefined {
  if (option === undefined || option === false) return undefined
  if (option === true) return { keepTurns: DEFAULT_KEEP_IMAGE_TURNS }
  const keepTurns = option.keepTurns ?? DEFAULT_KEEP_IMAGE_TURNS
  if (!Number.isInteger(keepTurns) || keepTurns < 1) {
    throw new ConfigurationError(
      'trimImages.keepTurns',
      `must be a whole number of at least 1, got ${String(keepTurns)}`,
    )
  }
  return { keepTurns }
}
