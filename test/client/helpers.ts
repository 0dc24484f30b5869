import { afterEach } from 'vitest'
import { KiroClient, type KiroClientOptions } from '../../src/client/kiro-client.js'
import {
  createKiroSimulator,
  type KiroSimulator,
  type KiroSimulatorOptions,
} from '../../src/testing/index.js'
import type { RawMessageStreamEvent } from '../../src/types/anthropic-response.js'

const open: Array<{ sim: KiroSimulator; client: KiroClient }> = []

afterEach(async () => {
  for (const { sim, client } of open.splice(0)) {
    client.close()
    await sim.close()
  }
})

export const ACCESS_TOKEN = 'at-secret-5f1c2a'
export const REFRESH_TOKEN = 'rt-secret-9b7e44'

/** A simulator and a client pointed at it, closed after the test. */
export async function setup(
  clientOptions: Partial<KiroClientOptions> | ((sim: KiroSimulator) => Partial<KiroClientOptions>) = {},
  simOptions: KiroSimulatorOptions = {},
): Promise<{ sim: KiroSimulator; client: KiroClient }> {
  const sim = await createKiroSimulator(simOptions)
  const client = new KiroClient({
    baseURL: sim.url,
    credentials: { accessToken: ACCESS_TOKEN, expiresAt: Date.now() + 3_600_000 },
    ...(typeof clientOptions === 'function' ? clientOptions(sim) : clientOptions),
  })
  open.push({ sim, client })
  return { sim, client }
}

export const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Hello' }],
}

export async function collect(
  iterable: AsyncIterable<RawMessageStreamEvent>,
): Promise<RawMessageStreamEvent[]> {
  const events: RawMessageStreamEvent[] = []
  for await (const event of iterable) events.push(event)
  return events
}

/** Rejection of a promise, or a failure when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}
