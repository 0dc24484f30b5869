import { describe, expect, it } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createAnthropicHandler } from '../../src/server/handler.js'
import { createKiroSimulator } from '../../src/testing/index.js'

const params = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] }

/** A handler with a `closeSignal` over a simulator whose next answer never comes. */
async function stalledServer() {
  const sim = await createKiroSimulator()
  sim.enqueue([{ stall: true }])
  const client = new KiroClient({
    baseURL: sim.url,
    credentials: { accessToken: 'shutdown-token-0002' },
    maxRetries: 0,
  })
  const closing = new AbortController()
  const handler = createAnthropicHandler(client, { closeSignal: closing.signal })
  return {
    sim,
    closing,
    handler,
    close: async () => {
      client.close()
      await sim.close()
    },
  }
}

function post(body: unknown): Request {
  return new Request('http://proxy.test/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

describe('closeSignal while Kiro has not answered yet', () => {
  for (const stream of [false, true]) {
    it(`${stream ? 'a stream' : 'create()'}: the Kiro call stops and the answer is a retryable 503`, async () => {
      const served = await stalledServer()
      try {
        const answer = served.handler(post({ ...params, stream }))
        // The request reached Kiro and waits there; then the server shuts down.
        while (served.sim.generateRequests.length === 0)
          await new Promise((resolve) => setTimeout(resolve, 5))
        served.closing.abort()
        const response = await answer
        expect(response.status).toBe(503)
        expect(response.headers.get('connection')).toBe('close')
        expect(await response.json()).toMatchObject({
          type: 'error',
          error: { type: 'overloaded_error', message: 'The server is shutting down; retry the request.' },
        })
      } finally {
        await served.close()
      }
    })
  }
})
