import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { playOnNode } from './play-node.js'
import { SimulatorControls } from './simulator-controls.js'
import { SimulatorCore, type SimulatorCoreOptions } from './simulator-core.js'

export interface KiroSimulatorOptions extends SimulatorCoreOptions {
  /** @defaultValue '127.0.0.1' */
  host?: string | undefined
  /** 0 picks a free port. @defaultValue 0 */
  port?: number | undefined
}

/** A running simulator. */
export interface KiroSimulator extends SimulatorControls {
  /** Base URL of the Kiro API (`{url}/generateAssistantResponse`): the client's endpoint. */
  readonly url: string
  /**
   * Refresh endpoints, full URLs: social `{url}/refreshToken`, IdC `{url}/token`, an external
   * identity provider's token endpoint `{url}/oauth2/token`.
   */
  readonly refreshUrls: { readonly social: string; readonly idc: string; readonly externalIdp: string }
  /** Stops listening and drops every open connection (stalled streams included). */
  close(): Promise<void>
}

const MAX_REQUEST_BYTES = 16 * 1024 * 1024

function headersOf(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** The body as text and its size in bytes; undefined when it is over the limit. */
function readBody(request: IncomingMessage): Promise<{ text: string; bytes: number } | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let bytes = 0
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes <= MAX_REQUEST_BYTES) chunks.push(chunk)
    })
    request.once('error', reject)
    request.once('end', () =>
      resolve(
        bytes > MAX_REQUEST_BYTES
          ? undefined
          : { text: Buffer.concat(chunks, bytes).toString('utf8'), bytes },
      ),
    )
  })
}

/**
 * Starts a loopback HTTP server that speaks Kiro's real protocol: `/generateAssistantResponse`
 * (and `POST /` with `x-amz-target`) answers binary event streams from scripted turns, checks each
 * body with the translator's shape checker, and answers 400 "Improperly formed request." where Kiro
 * would; `/ListAvailableModels`, the social (`/refreshToken`) and IdC (`/token`) refresh endpoints
 * are served too; every request is recorded with the time each frame went out.
 *
 * @example
 * ```ts
 * const sim = await createKiroSimulator({ tokens: { accessToken: 'a', refreshToken: 'r' } })
 * sim.enqueue([{ text: ['Hel', 'lo'] }, { contextUsage: 1.2 }])
 * // Point the code under test at sim.url (and sim.refreshUrls), then:
 * expect(sim.generateRequests).toHaveLength(1)
 * await sim.close()
 * ```
 */
export async function createKiroSimulator(options: KiroSimulatorOptions = {}): Promise<KiroSimulator> {
  const core = new SimulatorCore(options)
  let closing = false

  const server = createServer((request, response) => {
    const receivedAt = performance.now()
    void (async () => {
      const body = await readBody(request)
      if (body === undefined) {
        response.writeHead(413, { 'content-type': 'application/json', connection: 'close' })
        response.end(JSON.stringify({ message: 'Request body too large for the simulator.' }))
        return
      }
      const { record, reply } = await core.handle(
        {
          method: request.method ?? 'GET',
          path: request.url ?? '/',
          headers: headersOf(request),
          body: body.text,
          bodyBytes: body.bytes,
        },
        receivedAt,
      )
      response.once('close', () => {
        const log = record.response
        if (closing || response.writableFinished || log.outcome === 'reset') return
        log.outcome = 'client-closed'
        log.endedAt = performance.now()
      })
      await playOnNode(response, reply, record)
    })().catch((error: unknown) => {
      // A broken script or socket must not take the test process down; answer 500 if still possible.
      if (!response.headersSent) {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ message: `Simulator failure: ${(error as Error).message}` }))
      } else response.destroy()
    })
  })

  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  return Object.assign(new SimulatorControls(core), {
    url,
    refreshUrls: { social: `${url}/refreshToken`, idc: `${url}/token`, externalIdp: `${url}/oauth2/token` },
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  })
}
