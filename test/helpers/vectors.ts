import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { EventStreamHeaderValue, EventStreamMessage } from '../../src/eventstream/types.js'

/** The public AWS event-stream test vectors, copied with their license notice into test/fixtures. */
const VECTORS_DIR = fileURLToPath(new URL('../fixtures/eventstream-vectors/', import.meta.url))

interface ManifestHeader {
  name: string
  type: number
  value: boolean | number | string
}

interface ManifestMessage {
  headers: ManifestHeader[]
  payload_base64: string
}

export interface Vector {
  name: string
  file: string
  expect: 'ok' | 'error'
  error_kind?: string
  acceptable_error_kinds?: string[]
  messages?: ManifestMessage[]
}

function toHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16))
}

function toHeader(header: ManifestHeader): EventStreamHeaderValue {
  const { type, value } = header
  switch (type) {
    case 0:
    case 1:
      return { type: 'boolean', value: value as boolean }
    case 2:
      return { type: 'byte', value: value as number }
    case 3:
      return { type: 'short', value: value as number }
    case 4:
      return { type: 'integer', value: value as number }
    case 5:
      return { type: 'long', value: BigInt(value as string) }
    case 6:
      return { type: 'binary', value: toHex(value as string) }
    case 7:
      return { type: 'string', value: value as string }
    case 8:
      return { type: 'timestamp', value: new Date(Number(value)) }
    case 9: {
      const hex = value as string
      return {
        type: 'uuid',
        value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
      }
    }
    default:
      throw new Error(`unknown header type ${type} in the manifest`)
  }
}

/** The manifest's message in this library's shape. */
export function expectedMessage(message: ManifestMessage): EventStreamMessage {
  const headers: Record<string, EventStreamHeaderValue> = {}
  for (const header of message.headers) headers[header.name] = toHeader(header)
  return { headers, payload: new Uint8Array(Buffer.from(message.payload_base64, 'base64')) }
}

export function loadVectors(): Vector[] {
  const manifest = JSON.parse(readFileSync(`${VECTORS_DIR}vectors.json`, 'utf8')) as { vectors: Vector[] }
  return manifest.vectors
}

export function vectorBytes(vector: Vector): Uint8Array {
  return new Uint8Array(readFileSync(`${VECTORS_DIR}${vector.file}`))
}
