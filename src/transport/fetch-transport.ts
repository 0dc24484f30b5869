import type { APIError } from '../errors/api-error.js'
import { redactSecrets } from '../util/redact.js'
import { checkHeaders } from './check-headers.js'
import { errorFromResponse, requestIdOf } from './kiro-errors.js'
import { TimedBody } from './timed-body.js'
import { AttemptTimers, type KiroTimeouts, resolveTimeouts } from './timeouts.js'

export interface SendKiroRequestOptions {
  url: string | URL
  /** @defaultValue 'POST' */
  method?: 'POST' | 'GET' | undefined
  /** From {@link kiroHeaders}. */
  headers: Record<string, string>
  /** The serialized request, made once and reused unchanged by every attempt. */
  body?: string | undefined
  /** @defaultValue `globalThis.fetch`, looked up at call time */
  fetch?: typeof globalThis.fetch | undefined
  /** The caller's signal: aborts the request, the body read, everything. */
  signal?: AbortSignal | undefined
  timeouts?: Partial<KiroTimeouts> | undefined
  /**
   * `performance.now()` when the whole operation began; `timeouts.total` is measured from it, so
   * it bounds all attempts together when the caller passes the same value each time.
   * @defaultValue the time of this call
   */
  startedAt?: number | undefined
}

export interface KiroResponse {
  /** The 2xx response; its body belongs to `body`, do not read it directly. */
  response: Response
  /**
   * The body chunks, under the idle and total timeouts. Failures arrive typed:
   * `APIConnectionTimeoutError`, `APIUserAbortError`, `APIConnectionError`. `break` (or `cancel()`)
   * cancels the read and closes the connection.
   */
  body: TimedBody
  /** `x-amzn-requestid`, when Kiro sent one. */
  requestId: string | undefined
}

/** How much of an error body is read; the rest is dropped (a hostile upstream cannot fill memory). */
const MAX_ERROR_BODY_BYTES = 64 * 1024

/**
 * Sends one attempt of a Kiro request with `fetch` under one AbortController that follows the
 * caller's signal and the response / idle / total timeouts.
 *
 * @returns the response and its body, once the headers of a 2xx answer are in.
 * @throws the matching `APIError` subclass (from {@link errorFromResponse}) for a non-2xx answer;
 *   `APIConnectionTimeoutError` naming the limit that fired; `APIUserAbortError` when the caller
 *   aborts; `APIConnectionError` when the network fails; `ConfigurationError` (or, for the
 *   token, `CredentialsError`) for a header fetch cannot send, before anything is sent.
 */
export async function sendKiroRequest(options: SendKiroRequestOptions): Promise<KiroResponse> {
  const timeouts = resolveTimeouts(options.timeouts)
  checkHeaders(options.headers)
  const fetchFn = options.fetch ?? globalThis.fetch
  if (typeof fetchFn !== 'function') {
    throw new TypeError('fetch: this runtime has no global fetch; pass the `fetch` option.')
  }
  const timers = new AttemptTimers(timeouts, options.signal, options.startedAt ?? performance.now())
  if (timers.signal.aborted) {
    timers.dispose()
    throw timers.signal.reason
  }

  let response: Response
  try {
    response = await fetchFn(options.url, {
      method: options.method ?? 'POST',
      headers: options.headers,
      body: options.body ?? null,
      signal: timers.signal,
    })
  } catch (cause) {
    const error = timers.failure(cause, 'request')
    timers.dispose()
    throw error
  }
  timers.headersArrived()

  const body = new TimedBody(response.body, timers)
  if (!response.ok) throw await httpError(response, body, options.headers)
  return { response, body, requestId: requestIdOf(response.headers) }
}

async function httpError(
  response: Response,
  body: TimedBody,
  headers: Record<string, string>,
): Promise<APIError> {
  // A failure while reading the error body (timeout, abort, reset) wins over the status: it is
  // what stopped us, and the timeout kinds tell the caller more than a bodiless status would.
  const text = await body.text(MAX_ERROR_BODY_BYTES)
  // A proxy's debug page or a hostile upstream may echo the request's bearer back: the body ends
  // up in the error's message and `error`, so the token is cut out first (even when it came from
  // a provider that never registered it).
  const { authorization } = headers
  const token = authorization?.replace(/^Bearer\s+/i, '')
  return errorFromResponse(response, redactSecrets(text, [token]))
}
