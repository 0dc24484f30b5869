import { eventFrame } from '../../src/testing/frames.js'

/**
 * A Kiro upstream that makes a long answer only as it is read: a `fetch` whose response body is a
 * pull stream (high-water mark 0) of `assistantResponseEvent` frames, counting the bytes pulled.
 * What was pulled is exactly what the client under test asked for, so a test can tell whether
 * a slow reader slowed the upstream read, without timing anything.
 */
export interface LazyUpstream {
  fetch: typeof globalThis.fetch
  /** Bytes of the answer pulled so far. */
  readonly pulled: number
  /** Set once the client cancelled the body (its reader went away). */
  readonly cancelled: boolean
  /** The text of one frame, and the frame's size in bytes. */
  readonly frameText: string
  readonly frameBytes: number
}

export function lazyUpstream(options: {
  totalBytes: number
  frameText?: string
  framesPerChunk?: number
}): LazyUpstream {
  const frameText = options.frameText ?? 'x'.repeat(1000)
  const frame = eventFrame('assistantResponseEvent', { content: frameText })
  const perChunk = options.framesPerChunk ?? 16
  const chunk = new Uint8Array(frame.length * perChunk)
  for (let i = 0; i < perChunk; i++) chunk.set(frame, i * frame.length)
  const state = { pulled: 0, cancelled: false }

  const fetch = (async () => {
    let sent = 0
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (sent >= options.totalBytes) {
            controller.close()
            return
          }
          controller.enqueue(chunk.slice())
          sent += chunk.length
          state.pulled += chunk.length
        },
        cancel() {
          state.cancelled = true
        },
      },
      { highWaterMark: 0 },
    )
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'lazy-1' },
    })
  }) as typeof globalThis.fetch

  return {
    fetch,
    get pulled() {
      return state.pulled
    },
    get cancelled() {
      return state.cancelled
    },
    frameText,
    frameBytes: frame.length,
  }
}
