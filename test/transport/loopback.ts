import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
  /** Resolves when the server side of this exchange closes (client gone, or response finished). */
  closed: Promise<void>
  /** True once the connection closed before the response finished. */
  abandoned: () => boolean
}

export interface Loopback {
  url: string
  requests: SeenRequest[]
  close(): Promise<void>
}

export type Handler = (request: IncomingMessage, response: ServerResponse, seen: SeenRequest) => void

/** A real node:http server on 127.0.0.1 with a free port, recording what it saw. */
export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: SeenRequest[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      let abandoned = false
      const closed = new Promise<void>((resolve) =>
        response.once('close', () => {
          abandoned = !response.writableFinished
          resolve()
        }),
      )
      const seen: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed,
        abandoned: () => abandoned,
      }
      requests.push(seen)
      handler(request, response, seen)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
