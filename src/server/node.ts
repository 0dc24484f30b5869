// Type-only imports of node modules: this file must load on runtimes without them (it is
// exported from the main entry, which edge runtimes import too).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AnthropicBackend } from './backend.js'
import { createAnthropicHandler, type FetchHandler } from './handler.js'
import type { AnthropicHandlerOptions } from './options.js'

/** A `node:http` request listener: `http.createServer(listener)`, or a route of Express or Fastify's raw mode. */
export type NodeRequestListener = (request: IncomingMessage, response: ServerResponse) => Promise<void>

/**
 * The Anthropic-compatible handler of {@link createAnthropicHandler} as a `node:http` listener.
 *
 * @param client - a `KiroClient` (or anything with the same `messages` and `models`).
 * @param options - as for {@link createAnthropicHandler}.
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { KiroClient, createNodeHandler } from 'kiro-client'
 *
 * createServer(createNodeHandler(new KiroClient())).listen(8787, '127.0.0.1')
 * ```
 */
export function createNodeHandler(
  client: AnthropicBackend,
  options: AnthropicHandlerOptions = {},
): NodeRequestListener {
  return toNodeListener(createAnthropicHandler(client, options))
}

/**
 * Adapts any web-standard handler to `node:http`. Every response chunk is written as it arrives
 * (SSE frames are never held back), backpressure is respected, and a client that disconnects
 * aborts `request.signal` and cancels the response body, which cancels the upstream request.
 *
 * @param handler - a `(Request) => Promise<Response>`.
 */
export function toNodeListener(handler: FetchHandler): NodeRequestListener {
  return async (incoming, outgoing) => {
    const controller = new AbortController()
    // `close` on the response before it finished writing means the client went away.
    const onClose = () => {
      if (!outgoing.writableFinished) controller.abort(new Error('The client closed the connection.'))
    }
    outgoing.once('close', onClose)
    try {
      let response: Response
      try {
        response = await handler(toRequest(incoming, controller.signal))
      } catch {
        // A handler that throws instead of answering; createAnthropicHandler never does.
        response = new Response('Internal Server Error', { status: 500 })
      }
      await writeResponse(response, incoming.method === 'HEAD', outgoing, controller.signal).catch(
        async () => {
          // Node refused the response (a header value a web Response allows but HTTP/1.1 does
          // not, like a control character). node:http ignores this promise, so a rejection here
          // would be unhandled and end the process: answer 500 instead.
          await response.body?.cancel().catch(() => {})
          if (outgoing.headersSent) outgoing.destroy()
          else outgoing.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error')
        },
      )
    } finally {
      outgoing.off('close', onClose)
    }
  }
}

function toRequest(incoming: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers()
  const raw = incoming.rawHeaders
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!
    // HTTP/2 pseudo-headers (`:path`) are not headers a Request may carry.
    if (!name.startsWith(':')) headers.append(name, raw[i + 1]!)
  }
  const method = incoming.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal }
  if (hasBody) {
    init.body = bodyStream(incoming)
    init.duplex = 'half'
  }
  return new Request(requestUrl(incoming), init)
}

/** The request body as a web stream, pausing the socket while the reader is behind. */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  // Once closed, errored or cancelled, a controller throws on use; `open` keeps late events out.
  let open = true
  let onData: (chunk: Uint8Array) => void = () => {}
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onData = (chunk) => {
        controller.enqueue(chunk)
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause()
      }
      incoming.on('data', onData)
      incoming.once('end', () => {
        if (open) controller.close()
        open = false
      })
      incoming.once('error', (error) => {
        if (open) controller.error(error)
        open = false
      })
    },
    pull() {
      incoming.resume()
    },
    cancel() {
      // The handler stopped reading (a body over the limit): let the rest flow away unbuffered.
      open = false
      incoming.off('data', onData)
      incoming.resume()
    },
  })
}

function requestUrl(incoming: IncomingMessage): string {
  const path = incoming.url ?? '/'
  try {
    return new URL(path, `http://${incoming.headers.host ?? 'localhost'}`).href
  } catch {
    // A Host header that is not a host: routing only needs the path.
    return new URL(path.startsWith('/') ? path : `/${path}`, 'http://localhost').href
  }
}

async function writeResponse(
  response: Response,
  headOnly: boolean,
  outgoing: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted || outgoing.destroyed) {
    await response.body?.cancel().catch(() => {})
    return
  }
  const headers: string[] = []
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.push(name, value)
  })
  for (const cookie of response.headers.getSetCookie()) headers.push('set-cookie', cookie)
  outgoing.writeHead(response.status, response.statusText || undefined, headers)

  if (response.body === null || headOnly) {
    await response.body?.cancel().catch(() => {})
    outgoing.end()
    return
  }
  // Headers go out now, not with the first body chunk, so a client sees the 200 at once.
  outgoing.flushHeaders()
  const reader = response.body.getReader()
  const cancel = () => {
    reader.cancel(signal.reason).catch(() => {})
  }
  signal.addEventListener('abort', cancel, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!outgoing.write(value)) await drained(outgoing, signal)
    }
    outgoing.end()
  } catch {
    // The body failed or the client left mid-stream: end the connection without a clean finish, so
    // the client cannot take a cut-off stream for a complete one.
    reader.cancel().catch(() => {})
    outgoing.destroy()
  } finally {
    signal.removeEventListener('abort', cancel)
  }
}

/** Resolves when the socket can take more; rejects when the client has gone. */
function drained(outgoing: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (gone: boolean) => {
      outgoing.off('drain', onDrain)
      signal.removeEventListener('abort', onAbort)
      if (gone) reject(signal.reason)
      else resolve()
    }
    const onDrain = () => finish(false)
    const onAbort = () => finish(true)
    if (signal.aborted) return onAbort()
    outgoing.once('drain', onDrain)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
