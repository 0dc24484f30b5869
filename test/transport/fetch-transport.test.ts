import { getEventListeners } from 'node:events'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  RateLimitError,
} from '../../src/errors/api-error.js'
import { sendKiroRequest } from '../../src/transport/fetch-transport.js'
import { type Handler, type Loopback, startLoopback } from './loopback.js'

let server: Loopback | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(handler: Handler): Promise<Loopback> {
  server = await startLoopback(handler)
  return server
}

const bytes = (text: string) => new TextEncoder().encode(text)

async function collect(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder()
  let out = ''
  for await (const chunk of body) out += decoder.decode(chunk, { stream: true })
  return out + decoder.decode()
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('sendKiroRequest', () => {
  it('streams a 2xx body chunk by chunk and reports the request id', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'x-amzn-requestid': 'req-123' })
      res.write('hello ')
      setTimeout(() => res.end('world'), 5)
    })
    const result = await sendKiroRequest({
      url: `${srv.url}/generateAssistantResponse`,
      headers: {},
      body: '{}',
    })
    expect(result.requestId).toBe('req-123')
    expect(await collect(result.body)).toBe('hello world')
  })

  it('sends the same body bytes and headers on every call', async () => {
    const srv = await serve((_req, res) => res.end())
    const body = JSON.stringify({
      conversationState: { currentMessage: { userInputMessage: { content: 'é😀' } } },
    })
    const options = { url: srv.url, headers: { 'x-test': 'yes' }, body }
    for (let i = 0; i < 2; i++) await collect((await sendKiroRequest(options)).body)
    expect(srv.requests.map((r) => r.body)).toEqual([body, body])
    expect(srv.requests.every((r) => r.headers['x-test'] === 'yes' && r.method === 'POST')).toBe(true)
  })

  it('fires the response timeout when no headers arrive, and closes the connection', async () => {
    const srv = await serve(() => {
      // never answers
    })
    const error = await failure(sendKiroRequest({ url: srv.url, headers: {}, timeouts: { response: 100 } }))
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as APIConnectionTimeoutError).timeout).toBe('response')
    expect((error as APIConnectionTimeoutError).timeoutMs).toBe(100)
    expect((error as Error).message).toContain('timeout.response')
    await srv.requests[0]!.closed
    expect(srv.requests[0]!.abandoned()).toBe(true)
  })

  it('fires the idle timeout when the body goes silent after the headers', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200)
      res.write('first')
    })
    const result = await sendKiroRequest({ url: srv.url, headers: {}, timeouts: { idle: 100 } })
    const chunks: string[] = []
    const error = await failure(
      (async () => {
        for await (const chunk of result.body) chunks.push(new TextDecoder().decode(chunk))
      })(),
    )
    expect(chunks).toEqual(['first'])
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as APIConnectionTimeoutError).timeout).toBe('idle')
    await srv.requests[0]!.closed
    expect(srv.requests[0]!.abandoned()).toBe(true)
  })

  it('resets the idle timeout with every chunk: a body longer than it, never silent that long, completes', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200)
      let sent = 0
      const timer = setInterval(() => {
        sent += 1
        if (sent < 20) res.write('.')
        else {
          clearInterval(timer)
          res.end('.')
        }
      }, 20)
      res.on('close', () => clearInterval(timer))
    })
    // About 400 ms of body under a 200 ms idle limit, with gaps of about 20 ms.
    const result = await sendKiroRequest({ url: srv.url, headers: {}, timeouts: { idle: 200 } })
    expect(await collect(result.body)).toBe('.'.repeat(20))
  })

  it('does not count a slow consumer as upstream silence', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200)
      res.write('a')
      res.end('b')
    })
    const result = await sendKiroRequest({ url: srv.url, headers: {}, timeouts: { idle: 50 } })
    let text = ''
    for await (const chunk of result.body) {
      text += new TextDecoder().decode(chunk)
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
    expect(text).toBe('ab')
  })

  it('fires the total timeout on a body that keeps streaming', async () => {
    let timer: ReturnType<typeof setInterval> | undefined
    const srv = await serve((_req, res) => {
      res.writeHead(200)
      timer = setInterval(() => res.write('.'), 10)
      res.on('close', () => clearInterval(timer))
    })
    const result = await sendKiroRequest({ url: srv.url, headers: {}, timeouts: { idle: 1000, total: 150 } })
    const error = await failure(collect(result.body))
    expect(error).toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as APIConnectionTimeoutError).timeout).toBe('total')
  })

  it('measures the total timeout from startedAt, so a spent budget sends nothing', async () => {
    const srv = await serve((_req, res) => res.end())
    const error = await failure(
      sendKiroRequest({
        url: srv.url,
        headers: {},
        timeouts: { total: 500 },
        startedAt: performance.now() - 1000,
      }),
    )
    expect((error as APIConnectionTimeoutError).timeout).toBe('total')
    expect(srv.requests).toHaveLength(0)
  })

  it('turns a connection reset mid-body into APIConnectionError', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200)
      res.write('partial')
      setTimeout(() => res.socket?.destroy(), 20)
    })
    const result = await sendKiroRequest({ url: srv.url, headers: {} })
    const error = await failure(collect(result.body))
    expect(error).toBeInstanceOf(APIConnectionError)
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError)
    expect((error as Error).cause).toBeDefined()
  })

  it('turns a refused connection into APIConnectionError', async () => {
    const srv = await serve((_req, res) => res.end())
    const url = srv.url
    await srv.close()
    server = undefined
    const error = await failure(sendKiroRequest({ url, headers: {} }))
    expect(error).toBeInstanceOf(APIConnectionError)
    expect((error as Error).message).toMatch(/could not reach kiro/i)
  })

  it('surfaces a caller abort mid-body as APIUserAbortError and closes the socket', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200)
      res.write('x')
    })
    const controller = new AbortController()
    const result = await sendKiroRequest({ url: srv.url, headers: {}, signal: controller.signal })
    const iterator = result.body[Symbol.asyncIterator]()
    expect((await iterator.next()).done).toBe(false)
    const pending = iterator.next()
    controller.abort()
    expect(await failure(pending)).toBeInstanceOf(APIUserAbortError)
    await srv.requests[0]!.closed
    expect(srv.requests[0]!.abandoned()).toBe(true)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('surfaces a caller abort before the headers as APIUserAbortError', async () => {
    const srv = await serve(() => {})
    const controller = new AbortController()
    const pending = sendKiroRequest({ url: srv.url, headers: {}, signal: controller.signal })
    while (srv.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    expect(await failure(pending)).toBeInstanceOf(APIUserAbortError)
    await srv.requests[0]!.closed
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('does not send anything when the signal is already aborted', async () => {
    const srv = await serve((_req, res) => res.end())
    const error = await failure(sendKiroRequest({ url: srv.url, headers: {}, signal: AbortSignal.abort() }))
    expect(error).toBeInstanceOf(APIUserAbortError)
    expect(srv.requests).toHaveLength(0)
  })

  it('closes the connection when the consumer breaks out of the loop', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200)
      res.write('one')
    })
    const controller = new AbortController()
    const result = await sendKiroRequest({ url: srv.url, headers: {}, signal: controller.signal })
    for await (const _chunk of result.body) break
    await srv.requests[0]!.closed
    expect(srv.requests[0]!.abandoned()).toBe(true)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('removes its abort listener once the body is read', async () => {
    const srv = await serve((_req, res) => res.end(bytes('done')))
    const controller = new AbortController()
    const result = await sendKiroRequest({ url: srv.url, headers: {}, signal: controller.signal })
    await collect(result.body)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('refuses a second consumer of the body', async () => {
    const srv = await serve((_req, res) => res.end('x'))
    const result = await sendKiroRequest({ url: srv.url, headers: {} })
    result.body[Symbol.asyncIterator]()
    expect(() => result.body[Symbol.asyncIterator]()).toThrow(/one consumer/)
  })

  it('throws the typed error of a non-2xx answer, with status, headers, request id and body', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-amzn-requestid': 'rid-429',
        'x-amzn-errortype':
          'ThrottlingException:http://internal.amazon.com/coral/com.amazon.aws.codewhisperer/',
        'retry-after': '3',
      })
      res.end(
        JSON.stringify({
          message: 'Too many requests, please wait.',
          reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
        }),
      )
    })
    const controller = new AbortController()
    const error = await failure(
      sendKiroRequest({
        url: srv.url,
        headers: { authorization: 'Bearer SECRET-TOKEN' },
        signal: controller.signal,
      }),
    )
    expect(error).toBeInstanceOf(RateLimitError)
    const e = error as RateLimitError
    expect(e.status).toBe(429)
    expect(e.type).toBe('rate_limit_error')
    expect(e.requestID).toBe('rid-429')
    expect(e.kiroErrorType).toBe('ThrottlingException')
    expect(e.reason).toBe('SERVICE_REQUEST_RATE_EXCEEDED')
    expect(e.headers?.get('retry-after')).toBe('3')
    expect(e.error).toEqual({
      message: 'Too many requests, please wait.',
      reason: 'SERVICE_REQUEST_RATE_EXCEEDED',
    })
    expect(JSON.stringify({ ...e, message: e.message, headers: [...(e.headers ?? [])] })).not.toContain(
      'SECRET',
    )
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('cuts the bearer token out of an error body that echoes it', async () => {
    const token = 'at-SECRET-echoed-4411'
    const srv = await serve((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: `Bad request; you sent ${req.headers.authorization}` }))
    })
    const error = await failure(
      sendKiroRequest({ url: srv.url, headers: { authorization: `Bearer ${token}` } }),
    )
    expect(error).toBeInstanceOf(BadRequestError)
    expect((error as BadRequestError).message).toContain('you sent Bearer [redacted]')
    expect(inspect(error, { depth: 10 })).not.toContain(token)
  })

  it('classifies the invalid-token 403 as an authentication error', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: 'The bearer token included in the request is invalid.' }))
    })
    const error = await failure(sendKiroRequest({ url: srv.url, headers: {} }))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect((error as AuthenticationError).status).toBe(403)
  })

  it('reads at most 64 KiB of an error body', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('x'.repeat(1024 * 1024))
    })
    const error = await failure(sendKiroRequest({ url: srv.url, headers: {} }))
    expect(typeof (error as APIConnectionError).error).toBe('string')
    expect(((error as APIConnectionError).error as string).length).toBe(64 * 1024)
    expect((error as Error).message.length).toBeLessThan(700)
  })
})
