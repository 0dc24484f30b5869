import type { AnthropicBackend } from './backend.js'
import { errorResponse } from './error-response.js'
import type { AnthropicHandlerOptions } from './options.js'
import { createRequestGuard } from './request-guard.js'
import { newRequestId } from './request-id.js'
import { createRouter } from './router.js'

/** A web-standard request handler: what Hono, Bun.serve, Deno.serve and Next.js route handlers take. */
export type FetchHandler = (request: Request) => Promise<Response>

/**
 * An Anthropic-compatible HTTP API over a `KiroClient`, as a web-standard `(Request) => Promise<Response>`.
 *
 * Serves `POST /v1/messages` (streaming and not; the query string is ignored, so Claude Code's
 * `?beta=true` works), `POST /v1/messages/count_tokens`, `GET /v1/models`, `GET /v1/models/{id}`
 * and `HEAD|GET /api/hello`. Accepts both API dialects (`anthropic-version` 2023-06-01 and
 * 2026-10-21), any `anthropic-beta`, unknown fields, and a key as `x-api-key` or
 * `Authorization: Bearer`. Failures before the stream starts get a real HTTP status with
 * Anthropic's error body and a `request-id` header; failures after it an `event: error` frame.
 * When the client disconnects (`request.signal` aborts), the Kiro request is cancelled.
 *
 * @param client - a `KiroClient` (or anything with the same `messages` and `models`).
 * @param options - an API key to require, the request-body limit, a mount prefix, an error hook.
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { KiroClient, createAnthropicHandler } from 'kiro-client'
 *
 * const handler = createAnthropicHandler(new KiroClient())
 * const app = new Hono().all('*', (c) => handler(c.req.raw))
 * ```
 */
export function createAnthropicHandler(
  client: AnthropicBackend,
  options: AnthropicHandlerOptions = {},
): FetchHandler {
  const route = createRouter(client, options)
  const guard = createRequestGuard(options)
  const basePath = trimTrailingSlash(options.basePath ?? '')
  return async (request) => {
    const refused = guard?.(request, newRequestId())
    if (refused !== undefined) return refused
    const path = pathnameOf(request.url)
    if (basePath === '') return route(request, path)
    if (path === basePath || path.startsWith(`${basePath}/`)) {
      return route(request, path.slice(basePath.length) || '/')
    }
    return errorResponse(404, 'not_found_error', `Not found: ${request.method} ${path}`, newRequestId())
  }
}

function pathnameOf(url: string): string {
  // `Request.url` is always absolute, so this cannot throw for a real Request.
  return new URL(url).pathname
}

function trimTrailingSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path
}
