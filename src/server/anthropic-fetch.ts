import type { AnthropicBackend } from './backend.js'
import type { AnthropicHandlerOptions } from './options.js'
import { createRouter } from './router.js'

/**
 * A `fetch` that answers the Anthropic HTTP API from a `KiroClient` in the same process, with no
 * server and no socket. Give it to the official SDK or the Vercel AI SDK; whatever base URL they
 * use, the path from `/v1/` on is what is routed.
 *
 * @param client - a `KiroClient` (or anything with the same `messages` and `models`).
 * @param options - the handler's options (an API key is rarely useful here).
 * @example
 * ```ts
 * import Anthropic from '@anthropic-ai/sdk'
 * import { KiroClient, createAnthropicFetch } from 'kiro-client'
 *
 * const anthropic = new Anthropic({ apiKey: 'unused', fetch: createAnthropicFetch(new KiroClient()) })
 * const message = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 1024, messages })
 * ```
 * @example
 * ```ts
 * import { createAnthropic } from '@ai-sdk/anthropic'
 * const anthropic = createAnthropic({ apiKey: 'unused', fetch: createAnthropicFetch(new KiroClient()) })
 * ```
 */
export function createAnthropicFetch(
  client: AnthropicBackend,
  options: AnthropicHandlerOptions = {},
): typeof globalThis.fetch {
  const route = createRouter(client, options)
  return async (input, init) => {
    const request = new Request(input, init)
    // Like fetch itself: an aborted signal rejects with its reason, which the SDKs turn into their
    // own abort errors (docs/compatibility.md §4.3).
    request.signal.throwIfAborted()
    const response = await route(request, apiPath(new URL(request.url).pathname))
    if (request.signal.aborted) {
      await response.body?.cancel().catch(() => {})
      request.signal.throwIfAborted()
    }
    return response
  }
}

/** The API path inside any base URL: `https://api.anthropic.com/v1/messages` and `http://x/prefix/v1/messages` alike. */
function apiPath(pathname: string): string {
  const at = pathname.indexOf('/v1/')
  if (at !== -1) return pathname.slice(at)
  return pathname.endsWith('/v1') ? '/v1' : pathname
}
