import { once } from 'node:events'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A server listening on `host:port`, and the URL clients reach it at. */
export interface Listening {
  server: Server
  url: string
}

/** Creates the HTTP server for `listener` and waits until it listens (or fails to). */
export async function listen(
  listener: RequestListener,
  options: { host: string; port: number },
): Promise<Listening> {
  const server = createServer(listener)
  server.listen(options.port, options.host)
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error)),
  ])
  return { server, url: urlOf(server.address() as AddressInfo) }
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}
