import { encodeEventStreamMessage } from '../../src/eventstream/encoder.js'
import type { EventStreamHeaderValue } from '../../src/eventstream/types.js'

const utf8 = new TextEncoder()
const WORDS = 'the quick brown fox jumps over a lazy dog while kiro streams tokens back to node'.split(' ')

/** Deterministic PRNG (mulberry32) so every run decodes the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function text(next: () => number, min: number, max: number): string {
  const length = min + Math.floor(next() * (max - min + 1))
  let out = ''
  while (out.length < length) out += `${WORDS[Math.floor(next() * WORDS.length)]} `
  return out.slice(0, length)
}

function event(type: string, body: unknown): Uint8Array {
  const headers: Record<string, EventStreamHeaderValue> = {
    ':event-type': { type: 'string', value: type },
    ':content-type': { type: 'string', value: 'application/json' },
    ':message-type': { type: 'string', value: 'event' },
  }
  return encodeEventStreamMessage({ headers, payload: utf8.encode(JSON.stringify(body)) })
}

/**
 * A Kiro-shaped response (docs/protocol.md §4): `count` messages, mostly `assistantResponseEvent`
 * text deltas of 10-60 characters, a run of `toolUseEvent` input fragments near the end (a valid
 * JSON object once joined), then the metering and context-usage events.
 */
export function kiroStream(count: number): { bytes: Uint8Array; messages: number } {
  const next = random(42)
  const parts: Uint8Array[] = []
  const tools = Math.min(40, Math.floor(count / 20))
  const texts = count - tools - 2
  for (let i = 0; i < texts; i++) parts.push(event('assistantResponseEvent', { content: text(next, 10, 60) }))
  for (let i = 0; i < tools; i++) {
    // A valid JSON object in `tools` fragments: `{"path": "` + text + `"}` (the input must parse).
    const input = i === 0 ? '{"path": "' : i === tools - 1 ? '"}' : text(next, 10, 30)
    parts.push(
      event('toolUseEvent', {
        name: 'read_file',
        toolUseId: 'tooluse_Q2hlY2tpbmdUaGVTdHJlYW0',
        input,
        ...(i === tools - 1 ? { stop: true } : {}),
      }),
    )
  }
  parts.push(event('meteringEvent', { unit: 'credit', unitPlural: 'credits', usage: 0.0123 }))
  parts.push(event('contextUsageEvent', { contextUsagePercentage: 3.27 }))
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.length
  }
  return { bytes, messages: parts.length }
}

/** Cuts `bytes` into separate `size`-byte chunks, as a socket would deliver them. */
export function chunk(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = []
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.slice(at, at + size))
  return chunks
}
