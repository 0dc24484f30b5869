import { type Fields, invalid, isObject } from '../translate/invalid.js'
import type { KiroTool } from '../translate/kiro-types.js'

/** Anthropic's web search server tool, any version (`web_search_20250305`, `web_search_20260209`, ...). */
const WEB_SEARCH_TYPE = /^web_search_\d{8}$/

/** A request's web search tool, read and checked (docs/protocol.md §9.5). */
export interface WebSearchConfig {
  /** The tool's name, as the model calls it and blocks name it: `web_search`. */
  name: string
  /** The most searches for the whole request; further calls get `max_uses_exceeded`. */
  maxUses: number | undefined
  /** Results only from these domains (and their subdomains; a path narrows further). */
  allowedDomains: readonly string[] | undefined
  /** Results never from these domains. */
  blockedDomains: readonly string[] | undefined
}

export function isWebSearchType(type: unknown): boolean {
  return typeof type === 'string' && WEB_SEARCH_TYPE.test(type)
}

/** The first web search tool of `tools`, without checking the rest (a cheap look before translating). */
export function findWebSearchTool(tools: unknown): WebSearchConfig | undefined {
  if (!Array.isArray(tools)) return undefined
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i]
    if (isObject(tool) && isWebSearchType(tool.type)) return readWebSearchTool(tool, `tools.${i}`)
  }
  return undefined
}

function domains(
  tool: Fields,
  key: 'allowed_domains' | 'blocked_domains',
  path: string,
): string[] | undefined {
  const value = (tool as Record<string, unknown>)[key]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || !value.every((d) => typeof d === 'string' && d.trim() !== '')) {
    throw invalid(`${path}.${key}`, 'Input should be a valid list of non-empty strings')
  }
  return value.map((d: string) =>
    d
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/+$/, ''),
  )
}

/** Checks a web search tool definition and reads its options. */
export function readWebSearchTool(tool: Fields, path: string): WebSearchConfig {
  const name = tool.name ?? 'web_search'
  if (name !== 'web_search') throw invalid(`${path}.name`, "Input should be 'web_search'")
  const raw = (tool as { max_uses?: unknown }).max_uses
  let maxUses: number | undefined
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
      throw invalid(`${path}.max_uses`, 'Input should be a positive integer')
    }
    maxUses = raw
  }
  const allowedDomains = domains(tool, 'allowed_domains', path)
  const blockedDomains = domains(tool, 'blocked_domains', path)
  if (allowedDomains !== undefined && blockedDomains !== undefined) {
    throw invalid(path, 'Only one of allowed_domains and blocked_domains can be set')
  }
  return { name, maxUses, allowedDomains, blockedDomains }
}

/**
 * The web search as an ordinary tool for the model (docs/protocol.md §9.5): Kiro cannot run it,
 * so the model calls it like any tool and the library runs the search through `/mcp`.
 */
export function webSearchToolSpec(kiroName: string): KiroTool {
  return {
    toolSpecification: {
      name: kiroName,
      description:
        'Search the web for current information. Use it for recent events, facts that may have changed, ' +
        'or anything outside your knowledge. Returns titles, URLs and snippets of matching pages.',
      inputSchema: {
        json: {
          type: 'object',
          properties: { query: { type: 'string', description: 'The search query.' } },
          required: ['query'],
        },
      },
    },
  }
}
