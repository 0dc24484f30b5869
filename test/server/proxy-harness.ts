import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'
import { KiroClient, type KiroClientOptions } from '../../src/client/kiro-client.js'
import { createNodeHandler } from '../../src/server/node.js'
import type { AnthropicHandlerOptions } from '../../src/server/options.js'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'

// The whole path over real sockets: client -> HTTP -> handler -> KiroClient -> loopback Kiro
// simulator (binary event streams). Importing this file registers the cleanup after each test.

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A proxy on 127.0.0.1 over a fresh simulator, closed after the test. */
export async function proxy(
  options: AnthropicHandlerOptions = {},
  clientOptions: KiroClientOptions = {},
): Promise<{ sim: KiroSimulator; url: string }> {
  const sim = await createKiroSimulator()
  // No client-side retries: each scripted failure reaches the caller as it is.
  const client = new KiroClient({
    baseURL: sim.url,
    credentials: { accessToken: 'e2e-token' },
    maxRetries: 0,
    ...clientOptions,
  })
  const server: Server = createServer(createNodeHandler(client, options))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  cleanups.push(
    () => sim.close(),
    () => client.close(),
    () => {
      server.closeAllConnections()
      server.close()
    },
  )
  return { sim, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}
