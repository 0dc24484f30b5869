import { afterAll, beforeAll } from 'vitest'
import { createRedisState } from '../../src/redis/index.js'
import { CLIENT_KINDS, connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'
import { describeStateContract } from '../state/state-contract.js'

let server: RedisServer
beforeAll(async () => {
  server = await startRedisServer()
})
afterAll(async () => {
  await server?.close()
})

// The contract the memory state follows, on a real Redis: time is real, so `advance` sleeps.
for (const kind of CLIENT_KINDS) {
  describeStateContract(`redis (${kind})`, async () => {
    const connected = await connectClient(kind, server.url)
    const state = createRedisState({
      redis: connected.client as never,
      prefix: `contract-${Math.random().toString(36).slice(2, 8)}:`,
    })
    return {
      state,
      advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      close: async () => {
        await state.close()
        await connected.close()
      },
    }
  })
}
