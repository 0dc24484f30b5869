import { describe, expect, it } from 'vitest'
import type { CredentialsProvider } from '../../src/auth/types.js'
import { ConfigurationError } from '../../src/errors/configuration-error.js'
import { KiroError } from '../../src/errors/kiro-error.js'
import { createAnthropicHandler } from '../../src/server/handler.js'
import { proxy } from '../server/proxy-harness.js'
import { MESSAGE_BODY, rawRequest } from './raw-http.js'

const JSON_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }

describe('cross-site requests (allowedHosts, allowedOrigins)', () => {
  it('refuses a Host that is not allowed (DNS rebinding) with 421, before Kiro', async () => {
    const { sim, url } = await proxy({ allowedHosts: ['localhost', '127.0.0.1'] })
    const port = new URL(url).port
    const rebound = await rawRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, host: `attacker.example:${port}` },
      body: MESSAGE_BODY,
    })
    expect(rebound.status).toBe(421)
    expect(JSON.parse(rebound.body).error.message).toContain('--allowed-host')
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST.']) {
      const ok = await rawRequest(`${url}/v1/messages`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, host },
        body: MESSAGE_BODY,
      })
      expect(ok.status).toBe(200)
    }
    expect(sim.generateRequests).toHaveLength(3)
  })

  it('refuses a browser Origin that is not allowed with 403; no Origin and an allowed one pass', async () => {
    const { sim, url } = await proxy({ allowedOrigins: ['https://app.example.com'] })
    const foreign = await rawRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin: 'https://evil.example' },
      body: MESSAGE_BODY,
    })
    expect(foreign.status).toBe(403)
    expect(JSON.parse(foreign.body).error.type).toBe('permission_error')
    expect(sim.generateRequests).toHaveLength(0)
    for (const headers of [JSON_HEADERS, { ...JSON_HEADERS, origin: 'https://app.example.com' }]) {
      const ok = await rawRequest(`${url}/v1/messages`, { method: 'POST', headers, body: MESSAGE_BODY })
      expect(ok.status).toBe(200)
    }
  })

  it('is off by default in the handler: any Host and Origin reach the routes', async () => {
    const { url } = await proxy()
    const answer = await rawRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, host: 'anything.example', origin: 'https://anything.example' },
      body: MESSAGE_BODY,
    })
    expect(answer.status).toBe(200)
  })

  it('refuses malformed lists with a ConfigurationError naming the entry', () => {
    const backend = { messages: {}, models: {} } as never
    expect(() => createAnthropicHandler(backend, { allowedOrigins: ['https://a.example/path'] })).toThrow(
      ConfigurationError,
    )
    expect(() => createAnthropicHandler(backend, { allowedOrigins: ['https://a.example/path'] })).toThrow(
      'allowedOrigins[0]',
    )
    expect(() => createAnthropicHandler(backend, { allowedHosts: ['a b'] })).toThrow('allowedHosts[0]')
  })
})

describe('bodies the server refuses before Kiro', () => {
  it('a POST that is not application/json gets 415 (the simple cross-site form post)', async () => {
    const { sim, url } = await proxy()
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const answer = await rawRequest(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: MESSAGE_BODY,
      })
      expect(answer.status).toBe(415)
      expect(answer.headers['x-should-retry']).toBe('false')
    }
    const charset = await rawRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: MESSAGE_BODY,
    })
    expect(charset.status).toBe(200)
    expect(sim.generateRequests).toHaveLength(1)
  })

  it('JSON nested 5,000 levels deep, or made of 200,000 tiny values, gets 400 naming the reason', async () => {
    const { sim, url } = await proxy()
    const deep = `{"model":"claude-sonnet-4-6","max_tokens":8,"messages":[{"role":"user","content":"hi"}],"metadata":${'['.repeat(5000)}${']'.repeat(5000)}}`
    const wide = `{"model":"claude-sonnet-4-6","max_tokens":8,"messages":[{"role":"user","content":"hi"}],"metadata":[${'0,'.repeat(200_000)}0]}`
    const answers = []
    for (const body of [deep, wide]) {
      answers.push(await rawRequest(`${url}/v1/messages`, { method: 'POST', headers: JSON_HEADERS, body }))
    }
    expect(answers.map((answer) => answer.status)).toEqual([400, 400])
    expect(JSON.parse(answers[0]!.body).error.message).toContain('nests more than 256 levels')
    expect(JSON.parse(answers[1]!.body).error.message).toContain('more than 100000 JSON values')
    expect(sim.generateRequests).toHaveLength(0)
  })

  it('tool input nested 5,000 levels deep inside the conversation gets 400, not a stack overflow 500', async () => {
    const { url } = await proxy()
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
    const body = `{"model":"claude-sonnet-4-6","max_tokens":8,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"x","input":{"a":${deep}}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}`
    const answer = await rawRequest(`${url}/v1/messages`, { method: 'POST', headers: JSON_HEADERS, body })
    expect(answer.status).toBe(400)
    expect(answer.body).not.toContain('call stack')
  })
})

describe('a failure of the server itself', () => {
  it('a custom provider throwing a plain error: 500, a generic message with the request id, no retry, no Kiro call', async () => {
    const reported: unknown[] = []
    let calls = 0
    const provider: CredentialsProvider = {
      getToken: async () => {
        calls++
        throw new TypeError("Cannot read properties of undefined (reading 'vault') at /srv/app/secrets.js:42")
      },
      invalidate: async () => {
        throw new Error('unused')
      },
      describe: () => ({ source: 'custom' }),
      close: () => {},
    }
    const { sim, url } = await proxy(
      { onError: (error) => reported.push(error) },
      { credentials: provider, maxRetries: 3 },
    )
    for (const stream of [false, true]) {
      const answer = await rawRequest(`${url}/v1/messages`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ ...JSON.parse(MESSAGE_BODY), stream }),
      })
      expect(answer.status).toBe(500)
      const requestId = answer.headers['request-id'] as string
      const error = JSON.parse(answer.body).error
      expect(error).toEqual({
        type: 'api_error',
        message: `Internal server error in kiro-client (request ${requestId}); the server's error log has the details.`,
      })
      expect(answer.body).not.toContain('vault')
      expect(answer.headers['x-should-retry']).toBe('false')
    }
    expect(calls).toBe(2)
    expect(sim.generateRequests).toHaveLength(0)
    expect(reported).toHaveLength(2)
    expect(KiroError.isInstance(reported[0]) ? (reported[0] as Error).cause : reported[0]).toBeInstanceOf(
      TypeError,
    )
  })
})
