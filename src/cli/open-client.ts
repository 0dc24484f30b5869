import { KiroClient, type KiroClientOptions } from '../client/kiro-client.js'
import { createKiroSimulator, type KiroSimulator } from '../testing/simulator.js'
import { envProxyFetch } from '../transport/proxy-fetch.js'

/** A client for one command, and how to let go of it. */
export interface OpenedClient {
  client: KiroClient
  /** The local simulator behind the client, with `--simulate`. */
  simulator: KiroSimulator | undefined
  close(): Promise<void>
}

/**
 * The real client (the Kiro login found on this machine), or with `simulate` one talking to a
 * local simulator that speaks the real binary protocol, so everything but the account is real.
 * The real client honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY; the simulator is local and is
 * reached directly (docs/observability.md, "Outbound proxy"). `client` adds options (hooks, logging).
 */
export async function openClient(options: {
  simulate: boolean
  client?: KiroClientOptions | undefined
  env?: Record<string, string | undefined> | undefined
}): Promise<OpenedClient> {
  if (!options.simulate) {
    const client = new KiroClient({ fetch: envProxyFetch(options.env ?? process.env), ...options.client })
    return { client, simulator: undefined, close: async () => client.close() }
  }
  const simulator = await createKiroSimulator()
  const client = new KiroClient({
    ...options.client,
    baseURL: simulator.url,
    // The simulator accepts any bearer token when it is not given tokens to check.
    credentials: { accessToken: 'simulated-access-token' },
  })
  return {
    client,
    simulator,
    close: async () => {
      client.close()
      await simulator.close()
    },
  }
}
