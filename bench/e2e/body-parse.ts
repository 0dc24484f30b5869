/**
 * How long reading a request body blocks the event loop at the default `maxRequestBytes` (4 MiB):
 * the body checks (size, nesting, value count) and `JSON.parse`, for bodies of that size shaped
 * as a real request with a large image, as a long text conversation, and as the worst shape the
 * checks still let through (100,000 small values, the rest one long string). Each is compared with
 * a body at Kiro's own limit (600 KB of text), measured in the same run. Best of 5.
 *
 *   node --import tsx bench/e2e/body-parse.ts
 */

import { MAX_JSON_VALUES } from '../../src/server/json-shape.js'
import { DEFAULT_MAX_REQUEST_BYTES } from '../../src/server/options.js'
import { readJsonBody } from '../../src/server/read-body.js'
import { progress, writeResult } from '../lib/result.js'
import { fmt } from '../lib/stats.js'

const LIMIT = DEFAULT_MAX_REQUEST_BYTES

function request(messages: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages, ...extra })
}

/** Pads a body built by `make(fill)` up to `bytes` with its filler string. */
function sized(bytes: number, make: (fill: string) => string): string {
  const overhead = make('').length
  return make('A'.repeat(Math.max(0, bytes - overhead - 16)))
}

const shapes: Record<string, string> = {
  'Kiro-limit text (600 KB, reference)': sized(600_000, (fill) => request([{ role: 'user', content: fill }])),
  'image (base64)': sized(LIMIT, (fill) =>
    request([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: fill } },
          { type: 'text', text: 'What is in this screenshot?' },
        ],
      },
    ]),
  ),
  'long conversation': sized(LIMIT, (fill) => {
    const turns = []
    const per = Math.floor(fill.length / 400)
    for (let i = 0; i < 400; i++) {
      turns.push({
        role: i % 2 === 0 ? 'user' : 'assistant',
        content: `turn ${i}: ${'lorem ipsum '.repeat(per / 12)}`,
      })
    }
    return request(turns)
  }),
  'worst accepted (100k values)': sized(LIMIT, (fill) =>
    request([{ role: 'user', content: fill }], {
      metadata: { v: Array.from({ length: MAX_JSON_VALUES - 50 }, () => 0) },
    }),
  ),
}

async function blockedMs(text: string): Promise<number> {
  const bytes = new TextEncoder().encode(text)
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < 5; i++) {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes)
        controller.close()
      },
    })
    const req = new Request('http://localhost/v1/messages', {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit)
    // The read itself is one chunk; what is timed is the synchronous check-and-parse after it.
    const started = performance.now()
    await readJsonBody(req, LIMIT)
    best = Math.min(best, performance.now() - started)
  }
  return best
}

const results: Record<string, { bytes: number; ms: number }> = {}
for (const [name, text] of Object.entries(shapes)) {
  results[name] = { bytes: Buffer.byteLength(text), ms: await blockedMs(text) }
}
const reference = results['Kiro-limit text (600 KB, reference)']!.ms
progress(`reading a request body at the default limit (${LIMIT} bytes), best of 5:`)
for (const [name, { bytes, ms }] of Object.entries(results)) {
  progress(
    `  ${name.padEnd(38)} ${fmt(bytes / 1024 / 1024, 2)} MiB  ${fmt(ms, 1)} ms  (${fmt(ms / reference, 1)}x the reference)`,
  )
}
writeResult(results)
