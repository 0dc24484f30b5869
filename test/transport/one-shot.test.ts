import { describe, expect, it } from 'vitest'
import { KiroError } from '../../src/errors/kiro-error.js'
import { oneShotJson } from '../../src/transport/one-shot.js'

/** A fetch that answers every call with `body` and records the requests. */
function answering(body: string) {
  const requests: Request[] = []
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(input, init))
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
  }) as typeof globalThis.fetch
  return { fetch, requests }
}

const call = (fetch: typeof globalThis.fetch) => ({
  token: {
    accessToken: 'one-shot-access-token-01',
    kind: 'bearer' as const,
    expiresAt: Date.now() + 3_600_000,
  },
  machineId: 'a'.repeat(64),
  headers: { 'x-caller': 'yes' },
  fetch,
})
const request = {
  url: 'http://127.0.0.1:9/ListAvailableModels',
  method: 'GET' as const,
  operation: 'listAvailableModels' as const,
  what: 'ListAvailableModels',
  maxBytes: 1024,
}

describe('oneShotJson', () => {
  it("returns the parsed object, sent with the login's bearer and the caller's headers", async () => {
    const { fetch, requests } = answering('{"models":[],"nextToken":"n"}')
    expect(await oneShotJson(call(fetch), request)).toEqual({ models: [], nextToken: 'n' })
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer one-shot-access-token-01')
    expect(requests[0]?.headers.get('x-caller')).toBe('yes')
    expect(requests[0]?.method).toBe('GET')
  })

  it('names the call when the answer is not JSON, or not a JSON object, or cut at maxBytes', async () => {
    for (const body of ['<html>busy</html>', '[1,2]', 'null', `{"models":"${'x'.repeat(2000)}"}`]) {
      const error = await oneShotJson(call(answering(body).fetch), request).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(KiroError)
      expect((error as Error).message).toMatch(
        /^ListAvailableModels answered with a body that is not a? ?JSON/,
      )
    }
  })
})
