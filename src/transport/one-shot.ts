import type { KiroToken } from '../auth/types.js'
import { KiroError } from '../errors/kiro-error.js'
import { sendKiroRequest } from './fetch-transport.js'
import { type KiroOperation, kiroHeaders, tokenKindOf } from './kiro-headers.js'
import type { KiroTimeouts } from './timeouts.js'

/** The login and settings of a one-shot Kiro call (a listing, a search: no retries of its own). */
export interface OneShotCall {
  token: KiroToken
  machineId: string
  /** Extra headers of the caller, sent last. */
  headers?: Record<string, string> | undefined
  /** @defaultValue `globalThis.fetch`, looked up at call time */
  fetch?: typeof globalThis.fetch | undefined
  timeouts?: Partial<KiroTimeouts> | undefined
  signal?: AbortSignal | undefined
}

/** The headers of a one-shot call of `operation`, then `extra`, then the caller's own. */
export function oneShotHeaders(
  call: OneShotCall,
  operation: KiroOperation,
  extra?: Record<string, string>,
): Record<string, string> {
  return {
    ...kiroHeaders({
      token: call.token.accessToken,
      tokenKind: tokenKindOf(call.token),
      attempt: 1,
      maxAttempts: 1,
      machineId: call.machineId,
      operation,
    }),
    ...extra,
    ...call.headers,
  }
}

/**
 * A one-shot call answered with a JSON object (a listing): the parsed answer, at most `maxBytes`
 * read. A body that is not a JSON object is a `KiroError` naming `what`; HTTP failures arrive typed.
 */
export async function oneShotJson(
  call: OneShotCall,
  request: {
    url: string
    method?: 'GET' | 'POST'
    operation: KiroOperation
    body?: string
    what: string
    maxBytes: number
  },
): Promise<Record<string, unknown>> {
  const sent = await sendKiroRequest({
    url: request.url,
    method: request.method,
    headers: oneShotHeaders(call, request.operation),
    body: request.body,
    fetch: call.fetch,
    signal: call.signal,
    timeouts: call.timeouts,
  })
  // Read outside the parse: a body over `maxBytes` or cut by a timeout keeps its own typed error.
  const text = await sent.body.text(request.maxBytes)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new KiroError(`${request.what} answered with a body that is not JSON.`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KiroError(`${request.what} answered with a body that is not a JSON object.`)
  }
  return parsed as Record<string, unknown>
}
