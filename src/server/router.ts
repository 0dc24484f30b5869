import { APIUserAbortError } from '../errors/api-error.js'
import { createAdminRoutes } from './admin-routes.js'
import { authenticationFailure, createKeyCheck, presentedApiKeys } from './api-key.js'
import type { AnthropicBackend } from './backend.js'
import { errorAnswer, errorResponse, internalErrorMessage } from './error-response.js'
import { type AnthropicHandlerOptions, DEFAULT_MAX_REQUEST_BYTES } from './options.js'
import { newRequestId } from './request-id.js'
import {
  type CallerOptions,
  handleCountTokens,
  handleMessages,
  handleModel,
  handleModels,
  type RouteContext,
} from './routes.js'

/** Routes one request by a path already stripped of any mount prefix. */
export type Router = (request: Request, path: string) => Promise<Response>

type Route = (context: RouteContext) => Promise<Response>

const MESSAGES = '/v1/messages'
const COUNT_TOKENS = '/v1/messages/count_tokens'
const MODELS = '/v1/models'
const HELLO = '/api/hello'
const ROOT = '/'

/**
 * The routes of an Anthropic-compatible server (docs/compatibility.md §0, §5.1, §6 item 6), with the
 * parts every route shares: the request id, the optional key check, and errors answered in
 * Anthropic's shape.
 */
export function createRouter(client: AnthropicBackend, options: AnthropicHandlerOptions = {}): Router {
  const checkKey = options.apiKey === undefined ? undefined : createKeyCheck(options.apiKey)
  const clientKeys = options.clientKeys
  const admin = createAdminRoutes(client, options.adminKey)
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES
  const onError = options.onError
  const { closeSignal } = options

  return async (request, rawPath) => {
    const requestId = newRequestId()
    // A trailing slash names the same resource; the query string never matters (§0 item 1).
    const path = rawPath.length > 1 && rawPath.endsWith('/') ? rawPath.slice(0, -1) : rawPath
    const method = request.method.toUpperCase()

    if (path === HELLO || path === ROOT) {
      // Claude Code's reachability probe, answered without a key like a health check: `HEAD
      // /api/hello` in 2.1.332 (§5.2), `HEAD /` (the base URL itself) in 2.1.197.
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed('GET, HEAD', method, path, requestId)
      return new Response(method === 'HEAD' ? null : '{"ok":true}', {
        headers: { 'content-type': 'application/json', 'request-id': requestId },
      })
    }

    const adminAnswer = admin(request, path, requestId)
    if (adminAnswer !== undefined) return adminAnswer
    if (closeSignal?.aborted) return shuttingDown(requestId)

    const found = findRoute(method, path)
    if (found === undefined) {
      return errorResponse(404, 'not_found_error', `Not found: ${method} ${path}`, requestId)
    }
    if (typeof found === 'string') return methodNotAllowed(found, method, path, requestId)

    // A team member's key names the caller; the server's own key lets its holder in unnamed.
    let caller: CallerOptions = {}
    if (checkKey !== undefined || clientKeys !== undefined) {
      const presented = presentedApiKeys(request.headers)
      const match = await clientKeys?.identify(presented)
      if (match !== undefined) caller = match
      else if (checkKey === undefined || !(await checkKey(presented))) {
        // The real API's words, which Claude Code recognises (docs/claude-code.md, "A wrong key").
        return errorResponse(401, 'authentication_error', authenticationFailure(request.headers), requestId)
      }
    }

    if (method === 'POST' && !isJson(request.headers.get('content-type'))) {
      // Also what keeps a web page's "simple" cross-site POST (text/plain, no preflight) out.
      return errorResponse(
        415,
        'invalid_request_error',
        `Content-Type must be application/json, got ${JSON.stringify(request.headers.get('content-type') ?? 'none')}.`,
        requestId,
      )
    }

    const report = (error: unknown, streaming: boolean) => {
      if (onError !== undefined && !(error instanceof APIUserAbortError)) {
        onError(error, { requestId, method, path, streaming })
      }
    }
    try {
      return await found.route({
        client,
        request,
        requestId,
        maxRequestBytes,
        param: found.param,
        retryScope: options.retryScope,
        report,
        caller,
        closeSignal,
        coalesceDeltas: options.coalesceDeltas === true,
      })
    } catch (error) {
      const answer = errorAnswer(error)
      // The client went away: there is nobody to answer, and nothing went wrong on our side. A
      // client that leaves mid-upload fails the body read with the runtime's own error, not an
      // abort error, hence the signal check. 499 is nginx's "client closed request", for any
      // adapter that still writes it somewhere.
      if (request.signal.aborted) {
        return new Response(null, { status: 499, headers: { 'request-id': requestId } })
      }
      // Stopped by a shutdown before anything was answered: a retryable 503, not a cut.
      if (answer === null && closeSignal?.aborted) return shuttingDown(requestId)
      if (answer === null) return new Response(null, { status: 499, headers: { 'request-id': requestId } })
      report(error, false)
      const message = answer.internal ? internalErrorMessage(requestId) : answer.message
      return errorResponse(answer.status, answer.type, message, requestId, answer.headers)
    }
  }
}

/** The route for a method and path, the allowed methods when only the method is wrong, or undefined. */
function findRoute(method: string, path: string): { route: Route; param: string } | string | undefined {
  if (path === MESSAGES) return method === 'POST' ? { route: handleMessages, param: '' } : 'POST'
  if (path === COUNT_TOKENS) return method === 'POST' ? { route: handleCountTokens, param: '' } : 'POST'
  if (path === MODELS) return method === 'GET' ? { route: handleModels, param: '' } : 'GET'
  if (path.startsWith(`${MODELS}/`)) {
    const id = decodePathSegment(path.slice(MODELS.length + 1))
    return method === 'GET' ? { route: handleModel, param: id } : 'GET'
  }
  return undefined
}

/** The answer of a server shutting down: retryable, and the connection is not kept. */
function shuttingDown(requestId: string): Response {
  return errorResponse(
    503,
    'overloaded_error',
    'The server is shutting down; retry the request.',
    requestId,
    {
      connection: 'close',
    },
  )
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
function isJson(contentType: string | null): boolean {
  return contentType !== null && /^application\/json\s*(;|$)/i.test(contentType.trim())
}

function methodNotAllowed(allow: string, method: string, path: string, requestId: string): Response {
  return errorResponse(
    405,
    'invalid_request_error',
    `Method not allowed: ${method} ${path} (allowed: ${allow}).`,
    requestId,
    { allow },
  )
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
