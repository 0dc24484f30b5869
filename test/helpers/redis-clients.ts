import { Redis } from 'ioredis'
import { createClient } from 'redis'

/** The two client libraries `kiro-client/redis` supports, connected to `url`. */
export type ClientKind = 'ioredis' | 'redis'

export const CLIENT_KINDS: readonly ClientKind[] = ['ioredis', 'redis']

export interface ConnectedClient {
  kind: ClientKind
  /** The client as a user would pass it to `createRedisState`. */
  client: unknown
  /** Runs a raw command (test setup and inspection). */
  command(args: string[]): Promise<unknown>
  close(): Promise<void>
}

/** Connects a client of `kind`; reconnects quickly so restart tests stay short. */
export async function connectClient(kind: ClientKind, url: string): Promise<ConnectedClient> {
  if (kind === 'ioredis') {
    const client = new Redis(url, {
      retryStrategy: () => 50,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    })
    client.on('error', () => {})
    await client.connect()
    return {
      kind,
      client,
      command: ([name, ...args]) => client.call(name!, ...args),
      close: async () => {
        client.disconnect()
      },
    }
  }
  const client = createClient({ url, socket: { reconnectStrategy: () => 50 } })
  client.on('error', () => {})
  await client.connect()
  return {
    kind,
    client,
    command: (args) => client.sendCommand(args),
    close: async () => {
      client.destroy()
    },
  }
}
