import { describe, expect, it } from 'vitest'
import { filterResults, snippetOf, toResultBlocks } from '../../src/websearch/search-results.js'
import type { WebSearchConfig } from '../../src/websearch/web-search-tool.js'

const results = [
  'https://example.com/a',
  'https://docs.example.com/blog/post',
  'https://example.com.evil.net/x',
  'https://notexample.com/y',
  'https://example.com/blog/z',
].map((url) => ({ url, title: url }))

const config = (c: Partial<WebSearchConfig>): WebSearchConfig => ({
  name: 'web_search',
  maxUses: undefined,
  allowedDomains: undefined,
  blockedDomains: undefined,
  ...c,
})

describe('domain filters', () => {
  it('allowed: the domain and its subdomains only, never a look-alike', () => {
    expect(filterResults(results, config({ allowedDomains: ['example.com'] })).map((r) => r.url)).toEqual([
      'https://example.com/a',
      'https://docs.example.com/blog/post',
      'https://example.com/blog/z',
    ])
  })
  it('a path narrows a domain', () => {
    expect(
      filterResults(results, config({ allowedDomains: ['example.com/blog'] })).map((r) => r.url),
    ).toEqual(['https://docs.example.com/blog/post', 'https://example.com/blog/z'])
  })
  it('blocked: everything but the domain and its subdomains', () => {
    expect(filterResults(results, config({ blockedDomains: ['example.com'] })).map((r) => r.url)).toEqual([
      'https://example.com.evil.net/x',
      'https://notexample.com/y',
    ])
  })
})

describe('result blocks', () => {
  it('carry the snippet in encrypted_content, UTF-8 safe, and the page date', () => {
    const [block] = toResultBlocks([
      { url: 'https://a.example', title: 'A', snippet: 'Café ☕ news', publishedDate: Date.UTC(2026, 4, 2) },
    ])
    expect(block).toMatchObject({
      type: 'web_search_result',
      url: 'https://a.example',
      title: 'A',
      page_age: '2026-05-02',
    })
    expect(snippetOf(block?.encrypted_content)).toBe('Café ☕ news')
    expect(snippetOf('opaque-from-anthropic')).toBeUndefined()
    expect(snippetOf('kiro1.%%%')).toBeUndefined()
  })
})
