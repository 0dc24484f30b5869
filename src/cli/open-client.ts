import { accountCredentials } from '../accounts/account-credentials.js'
import { KiroClient } from '../client/kiro-client.js'
import type { State } from '../state/types.js'
import { createKiroSimulator, type KiroSimulator } from '../testing/simulator.js'
import { sharedDefaultLogin } from './serve/shared-login.js'

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
 */
export async function openClient(options: {
  simulate: boolean
  /** A shared state (`serve --redis`): the login lives there, as the account `default`. */
  state?: State | undefined
  env?: Record<string, string | undefined> | undefined
}): Promise<OpenedClient> {
  const { state } = options
  if (!options.simulate) {
    const client = new KiroClient(
      state === undefined ? {} : { credentials: sharedDefaultLogin(state, options.env ?? {}) },
    )
    return { client, simulator: undefined, close: async () => client.close() }
  }
  const simulator = await createKiroSimulator()
  // The simulator accepts any bearer token when it is not given tokens to check.
  const simulated = { accessToken: 'simulated-access-token' }
  const client = new KiroClient({
    baseURL: simulator.url,
    credentials:
      state === undefined
        ? simulated
        : accountCredentials(simulated, { id: 'default', field: 'credentials', state, refresh: {} }),
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
