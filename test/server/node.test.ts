import { once } from 'node:events'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Anthropic from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeHandler, toNodeListener } from '../../src/server/node.js'
import type { AnthropicHandlerOptions } from '../../src/server/options.js'
import { type FakeTurn, fakeBackend, textEvents } from './fake-backend.js'

const params = {
  model: 'claude-sonnet-4-6',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Hi' }],
}

const servers: Server[] = []

async function listen(server: Server): Promise<string> {
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function serve(turns: FakeTurn[] = [], options?: AnthropicHandlerOptions) {
  const backend = fakeBackend(turns)
  const url = await listen(createServer(createNodeHandler(backend, options)))
  return { backend, url }
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    server.close()
  }
})

describe('createNodeHandler', () => {
  it('serves the SDK over a real socket: stream and create', async () => {
    const { url } = await serve([{ events: textEvents('Over the wire.') }, { events: textEvents('Again.') }])
    const client = new Anthropic({ apiKey: 'unused', baseURL: url, maxRetries: 0 })
    const message = await client.messages.stream(params).finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'Over the wire.', citations: null }])
    expect((await client.messages.create(params)).content[0]).toMatchObject({ text: 'Again.' })
  })

  it('answers HEAD /api/hello with headers and no body', async () => {
    const { url } = await serve()
    const response = await fetch(`${url}/api/hello`, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('request-id')).toMatch(/^req_/)
    expect(await response.text()).toBe('')
  })

  it('answers 413 in Anthropic shape for an oversized body', async () => {
    const { url, backend } = await serve([], { maxRequestBytes: 2048 })
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, pad: 'x'.repeat(10_000) }),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } })
    expect(backend.calls).toHaveLength(0)
  })

  it('answers 413 for a chunked body that grows past the limit, and stays up', async () => {
    const { url } = await serve([], { maxRequestBytes: 2048 })
    const req = httpRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    })
    req.write(`{"model":"claude-sonnet-4-6","pad":"`)
    for (let i = 0; i < 20; i++) req.write('x'.repeat(1000))
    req.end('"}')
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
    expect(res.statusCode).toBe(413)
    res.resume()
    const after = await fetch(`${url}/api/hello`)
    expect(after.status).toBe(200)
  })

  it('cancels the upstream request when the client disconnects mid-stream', async () => {
    const { url, backend } = await serve([{ events: textEvents('first words').slice(0, 3), hang: true }])
    const body = JSON.stringify({ ...params, stream: true })
    const req = httpRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    })
    req.end(body)
    const [res] = (await once(req, 'response')) as [import('node:http').IncomingMessage]
    expect(res.statusCode).toBe(200)
    const [chunk] = (await once(res, 'data')) as [Buffer]
    expect(chunk.toString()).toMatch(/^event: message_start\n/)

    const upstream = backend.calls[0]!.stream!.controller.signal
    expect(upstream.aborted).toBe(false)
    const aborted = new Promise<void>((resolve) => upstream.addEventListener('abort', () => resolve()))
    req.destroy()
    await aborted
    expect(upstream.aborted).toBe(true)
  })
})

describe('createNodeHandler: a client leaving mid-upload', () => {
  it('is not reported to onError, and the listener settles', async () => {
    const seen: unknown[] = []
    const backend = fakeBackend()
    const listener = createNodeHandler(backend, { onError: (error) => seen.push(error) })
    let settled: Promise<void> | undefined
    let reached!: () => void
    const arrived = new Promise<void>((resolve) => {
      reached = resolve
    })
    const url = await listen(
      createServer((request, response) => {
        settled = listener(request, response)
        reached()
      }),
    )
    const req = httpRequest(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '100000' },
    })
    req.on('error', () => {})
    req.write('{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"')
    await arrived
    req.destroy()
    await settled
    expect(seen).toEqual([])
    expect(backend.calls).toHaveLength(0)
  })
})

describe('toNodeListener', () => {
  it('passes method, path, query, headers and body to the web handler', async () => {
    let seen: { method: string; url: string; header: string | null; body: string } | undefined
    const url = await listen(
      createServer(
        toNodeListener(async (request) => {
          seen = {
            method: request.method,
            url: new URL(request.url).pathname + new URL(request.url).search,
            header: request.headers.get('x-custom'),
            body: await request.text(),
          }
          return new Response('ok', { status: 201, headers: { 'x-answer': '42' } })
        }),
      ),
    )
    const response = await fetch(`${url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-custom': 'value' },
      body: 'payload',
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('x-answer')).toBe('42')
    expect(await response.text()).toBe('ok')
    expect(seen).toEqual({ method: 'POST', url: '/v1/messages?beta=true', header: 'value', body: 'payload' })
  })

  it('answers 500, and never rejects, when Node refuses a header the web Response allowed', async () => {
    const settled: Array<Promise<void>> = []
    const listener = toNodeListener(async () => new Response('body', { headers: { 'x-odd': 'a\u0001b' } }))
    const url = await listen(
      createServer((request, response) => {
        settled.push(listener(request, response))
      }),
    )
    const response = await fetch(`${url}/anything`)
    expect(response.status).toBe(500)
    expect(response.headers.get('x-odd')).toBeNull()
    // node:http drops the listener's promise: a rejection would be unhandled and end the process.
    await expect(settled[0]).resolves.toBeUndefined()
  })

  it('answers 500 when the web handler throws', async () => {
    const url = await listen(
      createServer(
        toNodeListener(async () => {
          throw new Error('boom')
        }),
      ),
    )
    const response = await fetch(`${url}/anything`)
    expect(response.status).toBe(500)
  })
})
