import { NotFoundError } from '../errors/api-error.js'
import { createKeyCheck, presentedApiKeys } from './api-key.js'
import type { AnthropicBackend } from './backend.js'
import { errorResponse } from './error-response.js'

const PREFIX = '/admin/accounts'
const ACTION = /^\/admin\/accounts\/([^/]+)\/(enable|disable)$/

/** The admin routes, or undefined when the path is not theirs. */
export type AdminRoutes = (request: Request, path: string, requestId: string) => Promise<Response> | undefined

/**
 * `GET /admin/accounts` (every account's status, no secret) and `POST /admin/accounts/{id}/enable`
 * or `/disable` (docs/accounts.md "Admin routes"). The admin key is required, as `x-api-key` or
 * `Authorization: Bearer`, compared in constant time; without one configured (or without a client
 * that has accounts) the paths are not served at all.
 */
export function createAdminRoutes(client: AnthropicBackend, adminKey: string | undefined): AdminRoutes {
  const accounts = client.accounts
  const check = adminKey === undefined || accounts === undefined ? undefined : createKeyCheck(adminKey)
  return (request, path, requestId) => {
    if (check === undefined || accounts === undefined) return undefined
    if (path !== PREFIX && !path.startsWith(`${PREFIX}/`)) return undefined
    return (async () => {
      if (!(await check(presentedApiKeys(request.headers)))) {
        return errorResponse(401, 'authentication_error', 'The /admin routes need the admin key.', requestId)
      }
      const method = request.method.toUpperCase()
      if (path === PREFIX) {
        if (method !== 'GET') return notAllowed('GET', requestId)
        return json({ accounts: await accounts.list() }, requestId)
      }
      const action = ACTION.exec(path)
      if (action === null)
        return errorResponse(404, 'not_found_error', `Not found: ${method} ${path}`, requestId)
      if (method !== 'POST') return notAllowed('POST', requestId)
      const id = decodeURIComponent(action[1]!)
      try {
        if (action[2] === 'enable') await accounts.enable(id)
        else await accounts.disable(id)
      } catch (error) {
        if (error instanceof NotFoundError)
          return errorResponse(404, 'not_found_error', error.message, requestId)
        throw error
      }
      const status = (await accounts.list()).find((account) => account.id === id)
      return json({ account: status }, requestId)
    })()
  }
}

function json(value: unknown, requestId: string): Response {
  return new Response(JSON.stringify(value), {
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'request-id': requestId },
  })
}

function notAllowed(allow: string, requestId: string): Response {
  return errorResponse(405, 'invalid_request_error', `Method not allowed (allowed: ${allow}).`, requestId, {
    allow,
  })
}
