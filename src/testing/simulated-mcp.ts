import { jsonReply, type RecordedRequest, type SimulatorReply, stringAt } from './records.js'

/** One web search result in the shape Kiro's `/mcp` web search answers (docs/protocol.md §9.5). */
export interface SimulatedSearchResult {
  title: string
  url: string
  snippet?: string
  /** Epoch milliseconds. */
  publishedDate?: number
  id?: string
  domain?: string
  maxVerbatimWordLimit?: number
  publicDomain?: boolean
}

/** What the simulated search answers for a query: results, a JSON-RPC error, or an HTTP error. */
export type SimulatedSearch =
  | { results: readonly SimulatedSearchResult[] }
  | { rpcError: { code: number; message: string } }
  | { httpError: { status: number; body?: unknown } }

export type WebSearchFunction = (query: string) => SimulatedSearch | Promise<SimulatedSearch>

/** Three made-up results that quote the query, on three domains (so domain filters have work to do). */
export function defaultWebSearch(query: string): SimulatedSearch {
  const slug = encodeURIComponent(query.toLowerCase().replace(/\s+/g, '-')).slice(0, 60)
  return {
    results: ['docs.example.com', 'blog.example.org', 'news.example.net'].map((domain, i) => ({
      title: `${query} (${domain})`,
      url: `https://${domain}/${slug}`,
      snippet: `Result ${i + 1} about ${query}.`,
      publishedDate: Date.UTC(2026, 0, 1 + i),
      id: `sim-${i + 1}`,
      domain,
      maxVerbatimWordLimit: 50,
      publicDomain: false,
    })),
  }
}

const TOOL = {
  name: 'web_search',
  description: 'Search the web for up-to-date information.',
  inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
}

const rpc = (id: unknown, body: Record<string, unknown>): SimulatorReply =>
  jsonReply(200, { jsonrpc: '2.0', id: id ?? null, ...body })

/**
 * `POST /mcp`, Kiro's JSON-RPC 2.0 endpoint (docs/protocol.md §1.1, §9.5): `initialize`,
 * `tools/list` and `tools/call` of `web_search`, answered with a `text` content item holding the
 * results' JSON, as Kiro does. Refused (403) without `x-amzn-codewhisperer-optout: false` and a
 * KiroIDE user agent, as Kiro refuses such calls.
 */
export async function answerMcp(record: RecordedRequest, search: WebSearchFunction): Promise<SimulatorReply> {
  const headers = record.headers as { 'x-amzn-codewhisperer-optout'?: string; 'user-agent'?: string }
  if (headers['x-amzn-codewhisperer-optout'] !== 'false' || !headers['user-agent']?.includes('KiroIDE')) {
    return jsonReply(
      403,
      { message: 'User is not authorized to make this call' },
      { 'x-amzn-errortype': 'AccessDeniedException' },
    )
  }
  const body = record.json as { id?: unknown; method?: unknown; params?: unknown } | undefined
  if (typeof body !== 'object' || body === null || stringAt(body, 'jsonrpc') !== '2.0') {
    return rpc(null, { error: { code: -32600, message: 'Invalid Request' } })
  }
  switch (body.method) {
    case 'initialize':
      return rpc(body.id, { result: { protocolVersion: '2025-06-18', capabilities: { tools: {} } } })
    case 'tools/list':
      return rpc(body.id, { result: { tools: [TOOL] } })
    case 'tools/call':
      break
    default:
      return rpc(body.id, { error: { code: -32601, message: 'Method not found' } })
  }
  const params = body.params as { name?: unknown; arguments?: { query?: unknown } } | undefined
  if (params?.name !== 'web_search') {
    return rpc(body.id, { error: { code: -32602, message: `Unknown tool: ${String(params?.name)}` } })
  }
  const query = params.arguments?.query
  if (typeof query !== 'string' || query === '') {
    return rpc(body.id, { error: { code: -32602, message: 'arguments.query: required string' } })
  }
  const answer = await search(query)
  if ('httpError' in answer)
    return jsonReply(answer.httpError.status, answer.httpError.body ?? { message: 'error' })
  if ('rpcError' in answer) return rpc(body.id, { error: answer.rpcError })
  const text = JSON.stringify({ results: answer.results, totalResults: answer.results.length, query })
  return rpc(body.id, { result: { content: [{ type: 'text', text }], isError: false } })
}
