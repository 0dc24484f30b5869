import { inspect } from 'node:util'
import Anthropic from '@anthropic-ai/sdk'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EndHookEvent, RetryHookEvent } from '../../src/client/hooks.js'
import { proxy } from '../server/proxy-harness.js'
import { echoArb, reveals } from './echoes.js'

// The whole path over real sockets: a Kiro simulator that echoes secrets back in its errors, the
// client, the Node handler on 127.0.0.1, the official SDK. Nothing any party can read reveals one.

const ACCESS = 'aoaAAAAAGsrv-access-7Hq2LmN0pQ9rS4tU6vW8xY1z:MGUCMQ-srv=='
const REFRESH = 'aorAAAAAGsrv-refresh-3Jk5Lm7Np9Qr2St4Uv6Wx8Yz0Ab'
const CLIENT_SECRET = 'eyJraWQiOiJrZXktc3J2IiwiYWxnIjoiSFMzODQifQ-client-secret-0042'
const API_KEY = 'proxy-key-srv-5f0c2d9e8b7a6f5e4d3c2b1a'
const SECRETS = [ACCESS, REFRESH, CLIENT_SECRET, API_KEY]

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'Hello' }],
}

/** Where the simulator puts the echo. */
type Placement = 'http-500' | 'http-400' | 'first-frame' | 'mid-stream'

function turnFor(placement: Placement, echo: string) {
  switch (placement) {
    case 'http-500':
      return [
        { error: { status: 500, body: { message: echo, echoed: { authorization: `Bearer ${echo}` } } } },
      ]
    case 'http-400':
      return [
        {
          error: {
            status: 400,
            body: `ValidationException: ${echo}`,
            headers: { 'x-echo': encodeURIComponent(echo) },
          },
        },
      ]
    case 'first-frame':
      return [{ exception: { type: 'InternalServerException', message: echo } }]
    case 'mid-stream':
      return [{ text: 'Partial answer ' }, { exception: { type: 'InternalServerException', message: echo } }]
  }
}

describe('secrets echoed by a hostile upstream never leave', () => {
  it('through the SDK error, the SSE error event, onError, and the hooks', async () => {
    const seen: string[] = []
    const ends: EndHookEvent[] = []
    const retries: RetryHookEvent[] = []
    const { sim, url } = await proxy(
      {
        apiKey: API_KEY,
        onError: (error) => seen.push(String(error), inspect(error, { depth: 6 })),
      },
      {
        credentials: {
          accessToken: ACCESS,
          refreshToken: REFRESH,
          clientId: 'client-id-srv',
          clientSecret: CLIENT_SECRET,
          authMethod: 'idc',
          expiresAt: Date.now() + 3_600_000,
        },
        maxRetries: 1,
        hooks: { onEnd: (event) => ends.push(event), onRetry: (event) => retries.push(event) },
      },
    )
    const sdk = new Anthropic({ baseURL: url, apiKey: API_KEY, maxRetries: 0 })
    const placements: Placement[] = ['http-500', 'http-400', 'first-frame', 'mid-stream']
    const echoes = fc.constantFrom(...SECRETS).chain((secret) => echoArb(secret))

    await fc.assert(
      fc.asyncProperty(echoes, fc.constantFrom(...placements), async (echo, placement) => {
        const turn = turnFor(placement, echo)
        sim.setScript(() => turn as never)
        seen.length = 0
        ends.length = 0
        retries.length = 0

        // Non-streaming, through the SDK.
        const error = await sdk.messages.create(params).then(
          () => undefined,
          (failure: unknown) => failure,
        )
        if (error !== undefined)
          seen.push(String(error), JSON.stringify((error as { error?: unknown }).error))

        // Streaming, read raw: the HTTP error body or the SSE error event as sent.
        const raw = await fetch(`${url}/v1/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-api-key': API_KEY,
            'anthropic-version': '2023-06-01',
          },
          body: JSON.stringify({ ...params, stream: true }),
        })
        seen.push(await raw.text(), JSON.stringify([...raw.headers]))
        seen.push(JSON.stringify(ends), JSON.stringify(retries))

        const output = seen.join('\n')
        for (const secret of SECRETS) expect(reveals(output, secret)).toBe(false)
        // The failure itself was reported (the test looked where the echo goes).
        expect(ends.some((end) => end.error !== undefined)).toBe(true)
      }),
      { numRuns: 24 },
    )
  })
})
