/** A stream opened for the heap pass: settles `first` at its first event or chunk. */
export interface HeldStream {
  first: Promise<void>
  /** Settles (never rejects) once the stream ended after `abort()`. */
  done: Promise<void>
  abort(): void
}

export interface HeldFigures {
  /** Streams that had delivered their first events when the heap was measured. */
  heldInFlight: number
  heapPerStreamBytes: number
  rssPerStreamBytes: number
  /** How long starting every stream in one tick kept the event loop busy. */
  burstStartMs: number
}

const gc = (globalThis as { gc?: () => void }).gc

function fullGc(): void {
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)')
  gc()
  gc()
}

/**
 * Opens `count` streams in one tick on a scenario that stalls after its first events, waits until
 * every stream delivered its first event, measures heap and RSS after a full GC against a measurement
 * taken before, then aborts them all.
 */
export async function measureHeldStreams(open: () => HeldStream, count: number): Promise<HeldFigures> {
  fullGc()
  const before = process.memoryUsage()
  const startedAt = performance.now()
  const streams = Array.from({ length: count }, open)
  const burstStartMs = await new Promise<number>((resolve) =>
    setImmediate(() => resolve(performance.now() - startedAt)),
  )
  let heldInFlight = 0
  await Promise.all(streams.map((stream) => stream.first.then(() => heldInFlight++)))
  fullGc()
  const during = process.memoryUsage()
  for (const stream of streams) stream.abort()
  await Promise.all(streams.map((stream) => stream.done))
  return {
    heldInFlight,
    heapPerStreamBytes: (during.heapUsed - before.heapUsed) / count,
    rssPerStreamBytes: (during.rss - before.rss) / count,
    burstStartMs,
  }
}
