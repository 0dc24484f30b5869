import type { WebSearchResultBlock, WebSearchToolResultErrorCode } from '../types/anthropic-response.js'
import type { McpSearchResult } from './mcp-search.js'
import type { WebSearchConfig } from './web-search-tool.js'

/** Prefix of the `encrypted_content` this library writes: the snippet, for later turns (see `snippetOf`). */
const CONTENT_PREFIX = 'kiro1.'

function matches(url: URL, domain: string): boolean {
  const slash = domain.indexOf('/')
  const host = slash === -1 ? domain : domain.slice(0, slash)
  const path = slash === -1 ? '' : domain.slice(slash)
  const hostname = url.hostname.toLowerCase()
  const hostOk = hostname === host || hostname.endsWith(`.${host}`)
  return hostOk && (path === '' || url.pathname.startsWith(path))
}

/**
 * The results `allowed_domains` / `blocked_domains` let through: a domain matches itself and its
 * subdomains, and a path after it (`example.com/blog`) narrows to that path.
 */
export function filterResults(
  results: readonly McpSearchResult[],
  config: WebSearchConfig,
): McpSearchResult[] {
  const { allowedDomains, blockedDomains } = config
  if (allowedDomains === undefined && blockedDomains === undefined) return [...results]
  return results.filter((result) => {
    let url: URL
    try {
      url = new URL(result.url)
    } catch {
      return false
    }
    if (allowedDomains !== undefined) return allowedDomains.some((d) => matches(url, d))
    return !(blockedDomains ?? []).some((d) => matches(url, d))
  })
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function fromBase64(data: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(data), (c) => c.charCodeAt(0)),
    )
  } catch {
    return undefined
  }
}

const day = (ms: number | undefined) =>
  ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString().slice(0, 10)

/** The Anthropic result blocks; the snippet rides in `encrypted_content`, as Anthropic's page content does. */
export function toResultBlocks(results: readonly McpSearchResult[]): WebSearchResultBlock[] {
  return results.map((result) => ({
    type: 'web_search_result',
    url: result.url,
    title: result.title,
    encrypted_content: CONTENT_PREFIX + base64(result.snippet ?? ''),
    page_age: day(result.publishedDate),
  }))
}

/** The snippet this library put in a result's `encrypted_content`; undefined for any other content. */
export function snippetOf(encryptedContent: unknown): string | undefined {
  if (typeof encryptedContent !== 'string' || !encryptedContent.startsWith(CONTENT_PREFIX)) return undefined
  return fromBase64(encryptedContent.slice(CONTENT_PREFIX.length))
}

/** What the model reads back as the search's tool result. */
export function resultsAsText(query: string, results: readonly McpSearchResult[]): string {
  if (results.length === 0) return `No web results for "${query}".`
  const lines = [`Web search results for "${query}":`]
  results.forEach((result, i) => {
    lines.push('', `[${i + 1}] ${result.title}`, `URL: ${result.url}`)
    const published = day(result.publishedDate)
    if (published !== null) lines.push(`Published: ${published}`)
    if (result.snippet) lines.push(result.snippet)
  })
  return lines.join('\n')
}

/** What the model reads back when a search could not run. */
export function errorAsText(code: WebSearchToolResultErrorCode, maxUses: number | undefined): string {
  if (code === 'max_uses_exceeded') {
    return `Web search unavailable: the limit of ${maxUses} searches for this request is reached. Answer with the results you have.`
  }
  return `Web search failed (${code}). Answer without it, or say that the search failed.`
}
