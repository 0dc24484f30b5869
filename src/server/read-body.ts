import { BadRequestError } from '../errors/api-error.js'
import { concatBytes } from '../util/bytes.js'
import { MAX_JSON_DEPTH, MAX_JSON_VALUES, scanJson } from './json-shape.js'

/**
 * Reads a request body as JSON, refusing more than `limit` bytes: at once when `content-length`
 * says so, otherwise as soon as the bytes read pass the limit, so a huge body is never buffered.
 * Throws `BadRequestError` (status 413, `request_too_large`) for a body over the limit, and
 * (status 400) for a body that is not a JSON object, nests deeper than 256 levels or holds more
 * than 100,000 values (checked before parsing: docs/security.md, "Request limits").
 */
export async function readJsonBody(request: Request, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > limit) throw tooLarge(limit)
  if (request.body === null) throw new BadRequestError('Request body is empty; expected a JSON object.')

  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let length = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      length += value.byteLength
      if (length > limit) {
        await reader.cancel().catch(() => {})
        throw tooLarge(limit)
      }
      chunks.push(value)
    }
  } finally {
    reader.releaseLock()
  }
  return parseObject(concat(chunks, length))
}

function parseObject(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.byteLength === 0) throw new BadRequestError('Request body is empty; expected a JSON object.')
  const shape = scanJson(bytes)
  if (shape.depth > MAX_JSON_DEPTH) {
    throw new BadRequestError(
      `Request body nests more than ${MAX_JSON_DEPTH} levels deep; no Messages request needs that.`,
    )
  }
  if (shape.values > MAX_JSON_VALUES) {
    throw new BadRequestError(
      `Request body holds more than ${MAX_JSON_VALUES} JSON values; no Messages request needs that many.`,
    )
  }
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    throw new BadRequestError(`Request body is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BadRequestError('Request body must be a JSON object.')
  }
  return value as Record<string, unknown>
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks, length)
}

function tooLarge(limit: number): BadRequestError {
  return new BadRequestError(
    `Request exceeds the maximum allowed number of bytes (${limit}). Shorten the conversation, or raise the server's maxRequestBytes.`,
    { status: 413, type: 'request_too_large' },
  )
}
