import { monitorEventLoopDelay } from 'node:perf_hooks'

export interface LoadFigures {
  requests: number
  completed: number
  failed: number
  firstFailure: string | undefined
  seconds: number
  requestsPerSecond: number
  /** Process CPU (user + system) per completed request. */
  cpuMsPerRequest: number
  eventLoopDelayP99Ms: number
  eventLoopDelayMaxMs: number
}

/** The histogram's 1 ms timer records whole intervals (Node 20): the delay is what exceeds the 1 ms. */
const RESOLUTION_MS = 1
const delayMs = (intervalNs: number) => Math.max(0, intervalNs / 1e6 - RESOLUTION_MS)

/**
 * Keeps `concurrency` requests in flight: each worker runs `perWorker` requests back to back, and the
 * workers start spread evenly over `staggerMs` (one stream's duration), so requests arrive at a
 * steady rate instead of all in one tick, as they would at a server. The event-loop delay is
 * recorded for the whole run.
 */
export async function runLoad(
  request: () => Promise<void>,
  concurrency: number,
  perWorker: number,
  staggerMs: number,
): Promise<LoadFigures> {
  let completed = 0
  let failed = 0
  let firstFailure: string | undefined
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  histogram.enable()
  const start = performance.now()
  const startCpu = process.cpuUsage()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const offset = (worker * staggerMs) / concurrency
      if (offset > 0) await new Promise((resolve) => setTimeout(resolve, offset))
      for (let i = 0; i < perWorker; i++) {
        try {
          await request()
          completed++
        } catch (error) {
          failed++
          firstFailure ??= (error as Error).message
        }
      }
    }),
  )
  const seconds = (performance.now() - start) / 1000
  const cpu = process.cpuUsage(startCpu)
  histogram.disable()
  return {
    requests: concurrency * perWorker,
    completed,
    failed,
    firstFailure,
    seconds,
    requestsPerSecond: completed / seconds,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / completed,
    eventLoopDelayP99Ms: delayMs(histogram.percentile(99)),
    eventLoopDelayMaxMs: delayMs(histogram.max),
  }
}
