import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: unknown
}

/** What the fake auth service answers: JSON, raw text, or nothing at all (a stalled server). */
export type Reply =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; headers?: Record<string, string> }
  | 'hang'

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>

export interface RefreshServer {
  /** Endpoint templates for `refreshEndpoints`. */
  endpoints: { social: string; idc: string }
  origin: string
  /** Every request received, in order. */
  requests: RecordedRequest[]
  handle(handler: Handler): void
  /** Resolves once the server has received `count` requests in total. */
  received(count: number): Promise<void>
  close(): Promise<void>
}

/** A real loopback HTTP server standing in for Kiro's social and AWS's OIDC refresh endpoints. */
export async function startRefreshServer(handler?: Handler): Promise<RefreshServer> {
  const requests: RecordedRequest[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  let current: Handler = handler ?? (() => ({ json: { accessToken: 'fresh-access', expiresIn: 3600 } }))
  const hanging: ServerResponse[] = []

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
    }
    requests.push(recorded)
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
    const reply = await current(recorded)
    if (reply === 'hang') {
      hanging.push(res)
      return
    }
    const payload = 'json' in reply ? JSON.stringify(reply.json) : reply.text
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers })
    res.end(payload)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    endpoints: { social: `${origin}/social/{region}/refreshToken`, idc: `${origin}/oidc/{region}/token` },
    requests,
    handle(next) {
      current = next
    },
    received(count) {
      if (requests.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ count, resolve }))
    },
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A promise with its resolve handle: holds a reply until the test releases it. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

/** True if `promise` has settled once all queued callbacks have run (no timers involved). */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  promise.then(
    () => {
      settled = true
    },
    () => {
      settled = true
    },
  )
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
  return settled
}
