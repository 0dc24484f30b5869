import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StateWarningEvent } from '../../src/client/hooks.js'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createRedisState } from '../../src/redis/index.js'
import { createKiroSimulator, type KiroSimulator } from '../../src/testing/index.js'
import { CLIENT_KINDS, connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'

let server: RedisServer
let sim: KiroSimulator
beforeAll(async () => {
  server = await startRedisServer()
  sim = await createKiroSimulator()
})
afterAll(async () => {
  await sim?.close()
  await server?.close()
})

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Hello' }],
}

describe.each(CLIENT_KINDS)('onStateWarning, with %s', (kind) => {
  it('a paused Redis: requests go on, the hook says so, then says Redis is back; none after close', async () => {
    const connected = await connectClient(kind, server.url)
    const admin = await connectClient(kind, server.url)
    const events: StateWarningEvent[] = []
    const state = createRedisState({
      redis: connected.client,
      prefix: `hook-${kind}:`,
      commandTimeoutMs: 400,
      retryIntervalMs: 150,
    })
    const client = new KiroClient({
      baseURL: sim.url,
      maxRetries: 0,
      accounts: [{ id: 'alice', credentials: { accessToken: 'secret-access-alice' } }],
      state,
      hooks: { onStateWarning: (event) => events.push(event) },
    })
    try {
      await client.messages.create(params)
      expect(events).toEqual([])

      await admin.command(['CLIENT', 'PAUSE', '2000', 'ALL'])
      const during = await client.messages.create(params)
      expect(during.content[0]).toMatchObject({ type: 'text' })
      expect(events).toEqual([
        {
          state: 'redis',
          type: 'unavailable',
          operation: expect.any(String),
          message: 'timeout after 400 ms',
        },
      ])

      // Redis answers again once the pause ends: the next request that probes it says so.
      for (let i = 0; !events.some((event) => event.type === 'recovered'); i++) {
        if (i === 400) throw new Error('Redis never came back')
        await client.messages.create(params)
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
      expect(events.at(-1)).toMatchObject({ state: 'redis', type: 'recovered', downMs: expect.any(Number) })
      expect(JSON.stringify(events)).not.toContain(server.url)
    } finally {
      client.close()
    }
    // A closed client's hook hears no more.
    const heard = events.length
    await admin.command(['CLIENT', 'PAUSE', '500', 'ALL'])
    await state.snapshot(['alice'])
    expect(events).toHaveLength(heard)
    // A PING waits for the pause to end, so the next test finds Redis answering.
    expect(await admin.command(['PING'])).toBe('PONG')
    await connected.close()
    await admin.close()
  })
})
