import { describe, expect, it } from 'vitest'
import { BadRequestError } from '../../src/errors/api-error.js'
import { readJsonBody } from '../../src/server/read-body.js'

const post = (body: BodyInit | null, headers?: Record<string, string>) =>
  new Request('http://localhost/v1/messages', {
    method: 'POST',
    body,
    ...(headers === undefined ? {} : { headers }),
    duplex: 'half',
  } as RequestInit)

function chunked(parts: string[]): {
  stream: ReadableStream<Uint8Array>
  pulled: () => number
  cancelled: () => boolean
} {
  let index = 0
  let cancelled = false
  const encoder = new TextEncoder()
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[index++]
      if (part === undefined) controller.close()
      else controller.enqueue(encoder.encode(part))
    },
    cancel() {
      cancelled = true
    },
  })
  return { stream, pulled: () => index, cancelled: () => cancelled }
}

async function rejection(promise: Promise<unknown>): Promise<BadRequestError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(BadRequestError)
  return error as BadRequestError
}

describe('readJsonBody', () => {
  it('parses a JSON object, even split across chunks mid-character', async () => {
    const text = JSON.stringify({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'héllo ✓' }],
    })
    const bytes = new TextEncoder().encode(text)
    const cut = text.indexOf('✓') + 1 // inside the 3-byte sequence
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, cut))
        controller.enqueue(bytes.subarray(cut))
        controller.close()
      },
    })
    expect(await readJsonBody(post(stream), 1024)).toEqual(JSON.parse(text))
  })

  it('answers 413 request_too_large from content-length before reading anything', async () => {
    const request = post(chunked(['{"a":1}']).stream, { 'content-length': '5000' })
    const error = await rejection(readJsonBody(request, 100))
    expect(error.status).toBe(413)
    expect(error.type).toBe('request_too_large')
    expect(request.bodyUsed).toBe(false)
  })

  it('answers 413 as soon as a body without content-length passes the limit, and stops reading', async () => {
    const source = chunked(['{"text":"', 'x'.repeat(60), 'y'.repeat(60), 'z'.repeat(60), '"}'])
    const error = await rejection(readJsonBody(post(source.stream), 100))
    expect(error.status).toBe(413)
    expect(error.message).toMatch(/maximum allowed number of bytes \(100\)/)
    expect(source.cancelled()).toBe(true)
    expect(source.pulled()).toBeLessThan(5)
  })

  it('accepts a body of exactly the limit', async () => {
    const text = JSON.stringify({ pad: 'x'.repeat(50) })
    expect(await readJsonBody(post(text), new TextEncoder().encode(text).byteLength)).toEqual(
      JSON.parse(text),
    )
  })

  it('answers 400 for an empty body, invalid JSON, or JSON that is not an object', async () => {
    const cases: Array<[BodyInit | null, RegExp]> = [
      [null, /empty/],
      ['', /empty/],
      ['{"model":', /not valid JSON/],
      ['[1,2]', /must be a JSON object/],
      ['"text"', /must be a JSON object/],
      ['null', /must be a JSON object/],
    ]
    for (const [body, message] of cases) {
      const error = await rejection(readJsonBody(post(body), 1024))
      expect(error.status).toBe(400)
      expect(error.type).toBe('invalid_request_error')
      expect(error.message).toMatch(message)
    }
  })
})
