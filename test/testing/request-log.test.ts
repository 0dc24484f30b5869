import { describe, expect, it } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createKiroSimulator } from '../../src/testing/index.js'

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 16,
  messages: [{ role: 'user' as const, content: 'Hi' }],
}

describe("the simulator's request log", () => {
  it('keeps the latest 100 requests by default, oldest dropped first, numbered across drops', async () => {
    const sim = await createKiroSimulator()
    const client = new KiroClient({
      baseURL: sim.url,
      credentials: { accessToken: 'log-token-0001' },
      maxRetries: 0,
    })
    try {
      for (let i = 0; i < 130; i++) await client.messages.create(params)
      expect(sim.requests).toHaveLength(100)
      expect(sim.requests[0]!.seq).toBe(31)
      expect(sim.requests.at(-1)!.seq).toBe(130)
    } finally {
      client.close()
      await sim.close()
    }
  }, 60_000)

  it('keeps as many as maxRecordedRequests says, and refuses a bad value', async () => {
    const sim = await createKiroSimulator({ maxRecordedRequests: 3 })
    const client = new KiroClient({
      baseURL: sim.url,
      credentials: { accessToken: 'log-token-0002' },
      maxRetries: 0,
    })
    try {
      for (let i = 0; i < 5; i++) await client.messages.create(params)
      expect(sim.generateRequests.map((request) => request.seq)).toEqual([3, 4, 5])
    } finally {
      client.close()
      await sim.close()
    }
    await expect(createKiroSimulator({ maxRecordedRequests: 0 })).rejects.toThrow('maxRecordedRequests')
  })
})
