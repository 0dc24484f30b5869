import type { KiroToken } from '../auth/types.js'
import { APIUserAbortError } from '../errors/api-error.js'
import { sendKiroRequest } from '../transport/fetch-transport.js'
import { oneShotHeaders } from '../transport/one-shot.js'
import type { KiroTimeouts } from '../transport/timeouts.js'
import type { WebSearchToolResultErrorCode } from '../types/anthropic-response.js'

/** One result as Kiro's web search returns it (docs/protocol.md §9.5). */
export interface McpSearchResult {
  title: string
  url: string
  snippet?: string
  /** Epoch milliseconds. */
  publishedDate?: number
}

export type SearchOutcome = { results: McpSearchResult[] } | { error: WebSearchToolResultErrorCode }

export interface McpSearchOptions {
  query: string
  token: KiroToken
  /** The API base URL of the login (the same host as `generateAssistantResponse`). */
  baseURL: string
  profileArn: string | undefined
  fetch: typeof globalThis.fetch | undefined
  machineId: string
  headers: Record<string, string> | undefined
  timeouts: Partial<KiroTimeouts>
  signal: AbortSignal | undefined
}

/** Kiro's answers are a few KB; far more is not a search answer. */
const MAX_ANSWER_BYTES = 1024 * 1024
const MAX_RESULTS = 50

function readResults(text: string): McpSearchResult[] | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  const list =
    typeof parsed === 'object' && parsed !== null ? (parsed as { results?: unknown }).results : undefined
  if (!Array.isArray(list)) return undefined
  const results: McpSearchResult[] = []
  for (const item of list.slice(0, MAX_RESULTS)) {
    if (typeof item !== 'object' || item === null) continue
    const { title, url, snippet, publishedDate } = item as Record<string, unknown>
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) continue
    const result: McpSearchResult = { title: typeof title === 'string' ? title : url, url }
    if (typeof snippet === 'string' && snippet !== '') result.snippet = snippet
    if (typeof publishedDate === 'number' && Number.isFinite(publishedDate))
      result.publishedDate = publishedDate
    results.push(result)
  }
  return results
}

/**
 * Runs one web search through Kiro's `/mcp` endpoint (docs/protocol.md §9.5): a JSON-RPC 2.0
 * `tools/call` of `web_search` with `{query}`, with the streaming API's user agent,
 * `x-amzn-codewhisperer-optout: false` (Kiro refuses MCP calls without it) and the profile ARN.
 * The answer's first `text` content item holds the results as JSON.
 *
 * Failures become Anthropic's web search error codes (`too_many_requests` for a 429,
 * `invalid_tool_input` for refused parameters, `unavailable` otherwise); only the caller's abort throws.
 */
export async function searchViaMcp(options: McpSearchOptions): Promise<SearchOutcome> {
  const body = {
    id: `web_search_${globalThis.crypto.randomUUID().replaceAll('-', '')}`,
    jsonrpc: '2.0',
    method: 'tools/call',
    params: { name: 'web_search', arguments: { query: options.query } },
  }
  let text: string
  try {
    const sent = await sendKiroRequest({
      url: `${options.baseURL}/mcp`,
      headers: oneShotHeaders(
        options,
        'mcp',
        options.profileArn !== undefined ? { 'x-amzn-kiro-profile-arn': options.profileArn } : undefined,
      ),
      body: JSON.stringify(body),
      fetch: options.fetch,
      signal: options.signal,
      timeouts: options.timeouts,
    })
    text = await sent.body.text(MAX_ANSWER_BYTES)
  } catch (error) {
    if (error instanceof APIUserAbortError || options.signal?.aborted) throw error
    return { error: (error as { status?: unknown }).status === 429 ? 'too_many_requests' : 'unavailable' }
  }
  let answer: { error?: { code?: unknown }; result?: { content?: unknown; isError?: unknown } }
  try {
    answer = JSON.parse(text) as typeof answer
  } catch {
    return { error: 'unavailable' }
  }
  if (answer.error !== undefined && answer.error !== null) {
    return { error: answer.error.code === -32602 ? 'invalid_tool_input' : 'unavailable' }
  }
  const content = answer.result?.content
  if (answer.result?.isError === true || !Array.isArray(content)) return { error: 'unavailable' }
  const first = content.find((item: unknown) => (item as { type?: unknown } | null)?.type === 'text') as
    | { text?: unknown }
    | undefined
  const results = typeof first?.text === 'string' ? readResults(first.text) : undefined
  return results === undefined ? { error: 'unavailable' } : { results }
}
