import type { CredentialsInput } from '../auth/resolve-credentials.js'
import { KiroClient, type KiroClientOptions } from '../client/kiro-client.js'
import type { State } from '../state/types.js'
import { createKiroSimulator, type KiroSimulator } from '../testing/simulator.js'
import { envProxyFetch } from '../transport/proxy-fetch.js'
import { defaultLoginInput } from './serve/shared-login.js'

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
 * With a shared `state` (`serve --redis`), the login is the one account (`default`) of a pool on
 * that state, so its refreshes and its status are shared (docs/shared-state.md); with an accounts
 * file, its accounts are the pool on that state.
 */
export async function openClient(options: {
  simulate: boolean
  client?: KiroClientOptions | undefined
  env?: Record<string, string | undefined> | undefined
  state?: State | undefined
}): Promise<OpenedClient> {
  const { state } = options
  // An accounts file (`serve --accounts`) brings its own logins: the state only joins them.
  const pooled = options.client?.accounts !== undefined
  const login = (credentials: CredentialsInput): KiroClientOptions =>
    state === undefined ? { credentials } : { accounts: [{ id: 'default', credentials }], state }
  if (!options.simulate) {
    const env = options.env ?? process.env
    const client = new KiroClient({
      fetch: envProxyFetch(env),
      ...options.client,
      ...(state === undefined ? {} : pooled ? { state } : login(await defaultLoginInput(env))),
    })
    return { client, simulator: undefined, close: async () => client.close() }
  }
  const simulator = await createKiroSimulator()
  const client = new KiroClient({
    ...options.client,
    baseURL: simulator.url,
    // The simulator accepts any bearer token when it is not given tokens to check.
    ...login({ accessToken: 'simulated-access-token' }),
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
