import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_KINDS, connectClient } from '../helpers/redis-clients.js'
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js'

let server: RedisServer
beforeAll(async () => {
  server = await startRedisServer()
})
afterAll(async () => {
  await server?.close()
})

describe.each(CLIENT_KINDS)('the test redis-server with %s', (kind) => {
  it('answers, and comes back empty after a crash and restart', async () => {
    const client = await connectClient(kind, server.url)
    try {
      await client.command(['SET', `probe-${kind}`, 'one'])
      expect(await client.command(['GET', `probe-${kind}`])).toBe('one')
      await server.kill()
      await server.start()
      let value: unknown = 'unanswered'
      for (let attempt = 0; attempt < 100 && value === 'unanswered'; attempt++) {
        value = await client.command(['GET', `probe-${kind}`]).catch(() => 'unanswered')
        if (value === 'unanswered') await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(value).toBeNull()
    } finally {
      await client.close()
    }
  })
})
