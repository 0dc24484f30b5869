import type { CredentialsProvider, KiroToken } from '../auth/types.js'
import type { Probe } from '../diagnose/bisect.js'
import { explainImproperlyFormed, isImproperlyFormed } from '../diagnose/explain-400.js'
import { KiroError } from '../errors/kiro-error.js'
import { KiroEventMapper } from '../mapper/event-mapper.js'
import { utf8Length } from '../translate/size.js'
import { sendKiroRequest } from '../transport/fetch-transport.js'
import { kiroHeaders, tokenKindOf } from '../transport/kiro-headers.js'
import type { RawMessageStreamEvent } from '../types/anthropic-response.js'
import { registerSecret } from '../util/redact.js'
import type { KiroEndpoint } from './endpoint.js'
import { callHook } from './hooks.js'
import { requestBody } from './request-body.js'
import type { ClientSettings, RequestContext } from './request-context.js'
import type { RequestRecord } from './request-record.js'
import { Upstream } from './upstream.js'

/** The login an attempt is sent with: a token, the provider that gave it, and where it goes. */
export interface Login {
  credentials: CredentialsProvider
  token: KiroToken
  endpoint: KiroEndpoint
  /** The pool account this login belongs to; undefined for a single login. */
  account?: string | undefined
  /** The account's own fetch (its proxy); the client's otherwise. */
  fetch?: typeof globalThis.fetch | undefined
}

/** An attempt that got through: its response, and the first events to deliver. */
export interface Connected {
  upstream: Upstream
  first: RawMessageStreamEvent[]
  requestId: string | undefined
  response: Response
}

/** Step 1 of an attempt: a current token (refreshed if need be) and the endpoint it belongs to. */
export async function acquireLogin(
  settings: ClientSettings,
  signal: AbortSignal | undefined,
): Promise<Login> {
  const { credentials } = settings
  const token = await credentials.getToken({ signal })
  // A custom provider's token is learnt here (one Set lookup once known): errors never show it.
  registerSecret(token.accessToken)
  const endpoint = settings.endpoint(token)
  if (endpoint.profileArn === undefined && settings.profiles !== undefined) {
    const lookedUp = await settings.profiles.profileArnFor(token, signal)
    if (lookedUp !== undefined) return { credentials, token, endpoint: settings.endpoint(token, lookedUp) }
  }
  return { credentials, token, endpoint }
}

/**
 * Step 2: sends the request with `login` and waits for the response headers; `onRequest` and
 * `onResponse` fire around it. The mapper is built while the request is in flight rather than
 * after the headers: off the first event's path.
 */
async function send(
  context: RequestContext,
  settings: ClientSettings,
  login: Login,
  attempt: number,
  signal: AbortSignal,
  record: RequestRecord,
): Promise<{ upstream: Upstream; response: Response; requestId: string | undefined }> {
  const { translation, invocationId } = context
  const body = requestBody(translation, login.endpoint.profileArn, settings.maxBodyBytes)
  const url = `${login.endpoint.baseURL}/generateAssistantResponse`
  const headers = {
    ...kiroHeaders({
      token: login.token.accessToken,
      tokenKind: tokenKindOf(login.token),
      attempt,
      maxAttempts: context.maxRetries + 1,
      machineId: settings.machineId,
      invocationId,
    }),
    ...context.headers,
  }
  callHook(settings.hooks.onRequest, () => ({
    invocationId,
    attempt,
    model: context.model,
    modelId: translation.modelId,
    url,
    bodyBytes: utf8Length(body),
    ignored: translation.ignored,
    ...(login.account === undefined ? {} : { account: login.account }),
    ...(record.member === undefined ? {} : { member: record.member }),
  }))
  const upstream = new Upstream(
    new KiroEventMapper({
      model: context.model,
      kiroModelId: translation.modelId,
      toolNames: translation.toolNames,
      thinking: translation.thinking,
      stopSequences: context.stopSequences,
      contextWindow: translation.contextWindow,
      // Read when `message_start` is built, or while the headers are awaited (below): never before the send.
      inputTokensEstimate: () => translation.inputTokensEstimate,
    }),
    record,
  )
  const attemptStart = performance.now()
  let sent: Awaited<ReturnType<typeof sendKiroRequest>>
  // The input estimate scans the whole request and is not needed to send it: it is made while the
  // response headers are awaited (docs/streaming.md, "Usage"), or at the first frame if they come first.
  const estimateWhileWaiting = setTimeout(() => translation.inputTokensEstimate, 0)
  try {
    sent = await sendKiroRequest({
      url,
      headers,
      body,
      fetch: login.fetch ?? settings.fetch,
      signal,
      timeouts: context.timeouts,
      startedAt: context.startedAt,
    })
    clearTimeout(estimateWhileWaiting)
  } catch (error) {
    clearTimeout(estimateWhileWaiting)
    // An error answer is a response too: its status and timing belong to this attempt's record.
    const status = KiroError.isInstance(error) ? (error as { status?: unknown }).status : undefined
    if (typeof status === 'number') {
      callHook(settings.hooks.onResponse, () => ({
        invocationId,
        attempt,
        status,
        requestId: (error as { requestID?: string | undefined }).requestID,
        timeToHeadersMs: performance.now() - attemptStart,
      }))
    }
    // Kiro's catch-all 400 names no field: say which rule the body breaks (docs/protocol.md §10).
    throw await explainImproperlyFormed(error, body, {
      maxBodyBytes: settings.maxBodyBytes,
      probe: settings.diagnose400 ? probeWith(url, headers, login, settings, context, signal) : undefined,
    })
  }
  record.requestId = sent.requestId
  callHook(settings.hooks.onResponse, () => ({
    invocationId,
    attempt,
    status: sent.response.status,
    requestId: sent.requestId,
    timeToHeadersMs: performance.now() - attemptStart,
    ...(login.account === undefined ? {} : { account: login.account }),
  }))
  upstream.attach(sent.body)
  return { upstream, response: sent.response, requestId: sent.requestId }
}

/**
 * Step 3: reads until the first events exist. A failure before then is still retryable; the rest
 * of that chunk is mapped after they were delivered, and is past retrying like any later chunk.
 */
async function readUntilFirstEvent(upstream: Upstream): Promise<RawMessageStreamEvent[]> {
  const first: RawMessageStreamEvent[] = []
  try {
    while (first.length === 0 && !upstream.done) await upstream.read(first, true)
  } catch (error) {
    upstream.cancel()
    throw error
  }
  return first
}

/**
 * Steps 2 and 3 of one attempt, up to its first events: the part of a request that may be retried.
 * `signal` is the caller's; the transport enforces the timeouts itself.
 */
export async function attemptRequest(
  context: RequestContext,
  settings: ClientSettings,
  login: Login,
  attempt: number,
  signal: AbortSignal,
  record: RequestRecord,
): Promise<Connected> {
  const sent = await send(context, settings, login, attempt, signal, record)
  const first = await readUntilFirstEvent(sent.upstream)
  return { ...sent, first }
}

/**
 * A probe for the 400 diagnosis: the same request with a shorter body, its answer cancelled as soon
 * as Kiro accepts it (docs/protocol.md §10). Any failure but "Improperly formed request." stops it.
 */
function probeWith(
  url: string,
  headers: Record<string, string>,
  login: Login,
  settings: ClientSettings,
  context: RequestContext,
  signal: AbortSignal,
): Probe {
  return async (body) => {
    try {
      const sent = await sendKiroRequest({
        url,
        headers,
        body,
        fetch: login.fetch ?? settings.fetch,
        signal,
        timeouts: context.timeouts,
      })
      sent.body.cancel()
      return 'accepted'
    } catch (error) {
      if (isImproperlyFormed(error)) return 'refused'
      throw error
    }
  }
}
