import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { createServer, type RequestListener, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { UsageError } from '../args.js'

/** A server listening on `host:port`, and the URL clients reach it at. */
export interface Listening {
  server: Server
  url: string
}

/** How the server listens: where, with which limits, over TLS or not. */
export interface ListenOptions {
  host: string
  port: number
  tls: { cert: Buffer; key: Buffer } | undefined
  maxConnections: number
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  idleTimeoutMs: number
}

/**
 * The PEM certificate and key of `--tls-cert`/`--tls-key`: both or neither, readable. Usage errors
 * name the flag; a file's content is never quoted.
 */
export async function loadTls(flags: {
  tlsCert: string | undefined
  tlsKey: string | undefined
}): Promise<ListenOptions['tls']> {
  const { tlsCert, tlsKey } = flags
  if (tlsCert === undefined && tlsKey === undefined) return undefined
  if (tlsCert === undefined || tlsKey === undefined) {
    throw new UsageError('--tls-cert and --tls-key: give both (a PEM certificate and its private key)')
  }
  const read = async (flag: string, path: string) => {
    try {
      return await readFile(path)
    } catch (error) {
      throw new UsageError(`${flag}: cannot read ${path} (${(error as { code?: string }).code ?? 'error'})`)
    }
  }
  return { cert: await read('--tls-cert', tlsCert), key: await read('--tls-key', tlsKey) }
}

/**
 * Creates the HTTP(S) server for `listener` with its limits (docs/security.md, "Slow and
 * greedy clients") and waits until it listens (or fails to). `requestTimeout` bounds the whole
 * upload, so a client trickling its body is dropped; Node checks it every
 * `connectionsCheckingInterval`, set here well below it so the drop comes on time.
 */
export async function listen(listener: RequestListener, options: ListenOptions): Promise<Listening> {
  if (options.headersTimeoutMs > options.requestTimeoutMs) {
    throw new UsageError(
      `--headers-timeout (${options.headersTimeoutMs}) must not exceed --request-timeout (${options.requestTimeoutMs})`,
    )
  }
  const settings = {
    headersTimeout: options.headersTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(options.headersTimeoutMs / 4))),
  }
  const server: Server =
    options.tls === undefined
      ? createServer(settings, listener)
      : (createHttpsServer(
          { ...settings, cert: options.tls.cert, key: options.tls.key },
          listener,
        ) as unknown as Server)
  server.maxConnections = options.maxConnections
  // No traffic either way for this long (a client that stopped reading a stream): the socket goes.
  server.setTimeout(options.idleTimeoutMs)
  server.listen(options.port, options.host)
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error)),
  ])
  return { server, url: urlOf(server.address() as AddressInfo, options.tls !== undefined) }
}

function urlOf(address: AddressInfo, tls: boolean): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`
}
