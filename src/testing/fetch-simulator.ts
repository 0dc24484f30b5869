import type { TurnAction } from './compile-turn.js'
import type { RecordedRequest, SimulatorReply } from './records.js'
import { SimulatorControls } from './simulator-controls.js'
import { SimulatorCore, type SimulatorCoreOptions } from './simulator-core.js'

export interface KiroFetchSimulatorOptions extends SimulatorCoreOptions {
  /** The base URL reported as `url`; any URL is answered by path. @defaultValue 'https://kiro.simulator.test' */
  baseUrl?: string | undefined
}

/** The simulator without a server: a `fetch` function and a web `Request` handler. */
export interface KiroFetchSimulator extends SimulatorControls {
  readonly url: string
  readonly refreshUrls: { readonly social: string; readonly idc: string; readonly externalIdp: string }
  /** A `fetch` that answers as Kiro would: give it to the client as its `fetch` option. */
  readonly fetch: typeof globalThis.fetch
  /** Answers one web `Request` (for msw, Hono, or any fetch-style router). */
  handle(request: Request): Promise<Response>
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

/** Resolves after `ms`; rejects when `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal))
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortReason(signal!))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Never settles, except by rejecting when `signal` aborts: a server that does not answer. */
function forever(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (signal?.aborted) return reject(abortReason(signal))
    signal?.addEventListener('abort', () => reject(abortReason(signal)), { once: true })
  })
}

/** Turns a reply into a web Response, playing the actions the way the node server does. */
async function respond(
  reply: SimulatorReply,
  record: RecordedRequest,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const log = record.response
  const headersNow = (status: number) => {
    log.status = status
    log.headersAt = performance.now()
  }
  if (reply.kind === 'json') {
    headersNow(reply.status)
    log.outcome = 'complete'
    log.endedAt = performance.now()
    return new Response(reply.body, { status: reply.status, headers: reply.headers })
  }
  const actions = reply.turn.actions
  let index = 0
  // Before the headers: delays hold the answer back, a stall or reset means no answer at all.
  for (; index < actions.length; index++) {
    const action = actions[index]!
    if (action.kind === 'delay') await wait(action.ms, signal)
    else if (action.kind === 'stall') {
      log.outcome = 'stalled'
      return forever(signal)
    } else if (action.kind === 'reset') {
      log.outcome = 'reset'
      throw new TypeError('fetch failed', { cause: new Error('socket hang up (simulated reset)') })
    } else if (action.kind === 'http-error') {
      headersNow(action.status)
      log.outcome = 'complete'
      log.endedAt = performance.now()
      return new Response(action.body, {
        status: action.status,
        headers: { ...action.headers, 'x-amzn-requestid': reply.headers['x-amzn-requestid'] ?? '' },
      })
    } else break
  }
  headersNow(200)
  const rest = actions.slice(index)
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const onAbort = () => {
        cancelled = true
        log.outcome = 'client-closed'
        controller.error(abortReason(signal!))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      // A stalled stream keeps listening: the abort is the only way it ends.
      void streamActions(rest, controller, record, () => cancelled).then((ended) => {
        if (ended) signal?.removeEventListener('abort', onAbort)
      })
    },
    cancel() {
      cancelled = true
      log.outcome = 'client-closed'
      log.endedAt = performance.now()
    },
  })
  return new Response(body, { status: 200, headers: reply.headers })
}

async function streamActions(
  actions: readonly TurnAction[],
  controller: ReadableStreamDefaultController<Uint8Array>,
  record: RecordedRequest,
  isCancelled: () => boolean,
): Promise<boolean> {
  const log = record.response
  try {
    for (const action of actions) {
      if (isCancelled()) return true
      switch (action.kind) {
        case 'delay':
          await wait(action.ms, undefined)
          break
        case 'frames':
        case 'raw':
          // A copy per response: the compiled bytes are shared by every response of the turn.
          controller.enqueue(action.bytes.slice())
          if (action.kind === 'frames') {
            const at = performance.now()
            for (let i = 0; i < action.count; i++) log.frameTimes.push(at)
          }
          break
        case 'stall':
          log.outcome = 'stalled'
          return false
        case 'truncate':
          controller.enqueue(action.bytes.slice())
          controller.close()
          log.outcome = 'truncated'
          log.endedAt = performance.now()
          return true
        case 'reset':
          controller.error(
            new TypeError('terminated', { cause: new Error('other side closed (simulated reset)') }),
          )
          log.outcome = 'reset'
          log.endedAt = performance.now()
          return true
        default:
          break
      }
    }
    if (isCancelled()) return true
    controller.close()
    log.outcome = 'complete'
    log.endedAt = performance.now()
  } catch {
    // The consumer went away (the stream errored or was cancelled); nothing left to do.
  }
  return true
}

/**
 * The simulator as a `fetch` function and a `Request` handler, for tests that prefer no server
 * (msw, the client's `fetch` option). Same scripts, checks and records as {@link createKiroSimulator};
 * timestamps are taken when a chunk is enqueued.
 */
export function createKiroFetchSimulator(options: KiroFetchSimulatorOptions = {}): KiroFetchSimulator {
  const core = new SimulatorCore(options)
  const url = (options.baseUrl ?? 'https://kiro.simulator.test').replace(/\/+$/, '')
  const handle = async (request: Request): Promise<Response> => {
    const receivedAt = performance.now()
    const target = new URL(request.url)
    const headers: Record<string, string> = {}
    request.headers.forEach((value, name) => {
      headers[name] = value
    })
    const bytes =
      request.method === 'GET' || request.method === 'HEAD'
        ? new Uint8Array(0)
        : new Uint8Array(await request.arrayBuffer())
    const { record, reply } = await core.handle(
      {
        method: request.method,
        path: target.pathname + target.search,
        headers,
        body: new TextDecoder().decode(bytes),
        bodyBytes: bytes.length,
      },
      receivedAt,
    )
    return respond(reply, record, request.signal)
  }
  const fetch: typeof globalThis.fetch = (input, init) => handle(new Request(input, init))
  return Object.assign(new SimulatorControls(core), {
    url,
    refreshUrls: { social: `${url}/refreshToken`, idc: `${url}/token`, externalIdp: `${url}/oauth2/token` },
    fetch,
    handle,
  })
}
