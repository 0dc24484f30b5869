import type { ClientSettings, RequestOverrides } from '../client/request-context.js'
import { requestProducer } from '../client/request-pipeline.js'
import { MessageAccumulator } from '../stream/accumulate.js'
import type { MessageStreamConnection, MessageStreamProducer } from '../stream/message-stream.js'
import type { MessageCreateParams, MessageParam } from '../types/anthropic-request.js'
import type {
  ContentBlock,
  RawMessageStreamEvent,
  ToolUseBlock,
  WebSearchToolResultBlock,
} from '../types/anthropic-response.js'
import type { SearchOutcome } from './mcp-search.js'
import { RoundRewriter, serverToolId } from './round-rewriter.js'
import { runSearch } from './run-search.js'
import { errorAsText, filterResults, resultsAsText, toResultBlocks } from './search-results.js'
import { findWebSearchTool, isWebSearchType, type WebSearchConfig } from './web-search-tool.js'

/** Continuations after the first round; the model that still wants to search then gets `pause_turn`. */
const MAX_CONTINUATIONS = 8

/** True when the request has Anthropic's web search tool (any version); nothing else is checked here. */
export function hasWebSearchTool(tools: unknown): boolean {
  return (
    Array.isArray(tools) && tools.some((tool) => isWebSearchType((tool as { type?: unknown } | null)?.type))
  )
}

function queryOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined
  const { query, q } = input as { query?: unknown; q?: unknown }
  const value = typeof query === 'string' ? query : typeof q === 'string' ? q : undefined
  return value === undefined || value.trim() === '' ? undefined : value.trim()
}

/** One web search call and what came of it. */
interface SearchRun {
  call: ToolUseBlock
  query: string | undefined
  outcome: SearchOutcome
}

/**
 * The producer of a request with the web search tool (docs/protocol.md §9.5). The search is
 * declared to the model as an ordinary tool; when a round ends with only web search calls, each
 * call runs through Kiro's `/mcp` (at most `max_uses` for the whole request), its results are
 * shown as a `web_search_tool_result` block, and the conversation continues upstream with the
 * calls and their results appended: a new request inside the same response, not a replay. The
 * rounds are joined into one message (`RoundRewriter`). A round that also calls client tools
 * ends the message with `tool_use` after the searches ran; a model still searching after
 * {@link MAX_CONTINUATIONS} continuations gets `pause_turn`.
 */
export function webSearchProducer(
  settings: ClientSettings,
  params: MessageCreateParams,
  overrides: RequestOverrides,
  startedAt: number,
  streaming: boolean,
): MessageStreamProducer {
  return async function* runWithWebSearch(signal: AbortSignal, connection: MessageStreamConnection) {
    const config = findWebSearchTool(params.tools) as WebSearchConfig
    const rewriter = new RoundRewriter(config.name)
    let messages: MessageParam[] = [...(params.messages as MessageParam[])]
    let searches = 0
    for (let round = 0; ; round++) {
      const accumulator = new MessageAccumulator()
      const roundParams = round === 0 ? params : { ...params, messages }
      for await (const item of requestProducer(
        settings,
        roundParams,
        overrides,
        startedAt,
        streaming,
      )(signal, connection)) {
        const out: RawMessageStreamEvent[] = []
        for (const event of Array.isArray(item) ? item : [item as RawMessageStreamEvent]) {
          accumulator.push(event)
          rewriter.rewrite(event, out)
        }
        if (out.length > 0) yield out
      }
      const held = rewriter.held
      const message = accumulator.snapshot
      if (held === undefined || message === undefined) return
      const calls = message.content.filter(
        (block): block is ToolUseBlock => block.type === 'tool_use' && block.name === config.name,
      )
      if (held.delta.stop_reason !== 'tool_use' || calls.length === 0) {
        const out: RawMessageStreamEvent[] = []
        rewriter.end(held.delta.stop_reason, searches, out)
        yield out
        return
      }
      const runs: SearchRun[] = []
      for (const call of calls) {
        const query = queryOf(call.input)
        let outcome: SearchOutcome
        if (query === undefined) outcome = { error: 'invalid_tool_input' }
        else if (config.maxUses !== undefined && searches >= config.maxUses)
          outcome = { error: 'max_uses_exceeded' }
        else {
          searches++
          outcome = await runSearch(settings, params, overrides, query, signal)
        }
        if ('results' in outcome) outcome = { results: filterResults(outcome.results, config) }
        runs.push({ call, query, outcome })
        const out: RawMessageStreamEvent[] = []
        rewriter.result(resultBlock(call, outcome), out)
        yield out
      }
      const clientCalls = message.content.some(
        (block) => block.type === 'tool_use' && block.name !== config.name,
      )
      if (clientCalls || round >= MAX_CONTINUATIONS) {
        const out: RawMessageStreamEvent[] = []
        rewriter.end(clientCalls ? 'tool_use' : 'pause_turn', searches, out)
        yield out
        return
      }
      messages = [...messages, ...continuation(message.content, runs, config)]
      rewriter.nextRound()
    }
  }
}

function resultBlock(call: ToolUseBlock, outcome: SearchOutcome): WebSearchToolResultBlock {
  return {
    type: 'web_search_tool_result',
    tool_use_id: serverToolId(call.id),
    content:
      'results' in outcome
        ? toResultBlocks(outcome.results)
        : { type: 'web_search_tool_result_error', error_code: outcome.error },
    caller: { type: 'direct' },
  }
}

/** The round's answer and the searches' results, as the next round's conversation sees them. */
function continuation(content: ContentBlock[], runs: SearchRun[], config: WebSearchConfig): MessageParam[] {
  return [
    { role: 'assistant', content: content as MessageParam['content'] },
    {
      role: 'user',
      content: runs.map((run) => ({
        type: 'tool_result' as const,
        tool_use_id: run.call.id,
        content:
          'results' in run.outcome
            ? resultsAsText(run.query ?? '', run.outcome.results)
            : errorAsText(run.outcome.error, config.maxUses),
        ...('error' in run.outcome ? { is_error: true } : {}),
      })),
    },
  ]
}
