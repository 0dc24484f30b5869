import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { KiroClient, type KiroClientOptions } from '../../src/client/kiro-client.js'
import {
  createServeObservability,
  type ServeObservabilityOptions,
} from '../../src/observability/serve/observe-serve.js'
import { createAnthropicHandler } from '../../src/server/handler.js'
import { createKiroSimulator, type KiroSimulatorOptions } from '../../src/testing/simulator.js'

/** One JSON record of serve's log (access lines carry the access fields too). */
export interface LogRecord {
  time: string
  level: string
  msg: string
  request_id?: unknown
  duration_ms?: unknown
  ttfb_ms?: unknown
  account?: unknown
  [field: string]: unknown
}

/**
 * serve's observability around a real node:http server, a real KiroClient and the simulator, in
 * this process: what `kiro-client serve` composes, with the log lines collected.
 */
export async function startObservedServer(
  options: Partial<ServeObservabilityOptions> & { apiKey?: string } = {},
  client: (sim: { url: string; refreshUrls: { social: string } }) => Partial<KiroClientOptions> = () => ({}),
  simOptions: KiroSimulatorOptions = {},
) {
  const out: string[] = []
  const err: string[] = []
  const observability = await createServeObservability({
    metrics: true,
    host: '127.0.0.1',
    logFormat: 'json',
    logLevel: 'info',
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    ...options,
  })
  const sim = await createKiroSimulator(simOptions)
  const kiro = new KiroClient({
    baseURL: sim.url,
    credentials: { accessToken: 'serve-secret-token-1234', expiresAt: Date.now() + 3_600_000 },
    ...observability.clientOptions,
    ...client(sim),
  })
  observability.useClient(kiro)
  const server = createServer(
    observability.listener(createAnthropicHandler(kiro, { apiKey: options.apiKey })),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const metricsUrl = await observability.listenMetrics()
  return {
    url,
    metricsUrl,
    sim,
    kiro,
    observability,
    out,
    err,
    /** The JSON records written so far (every stdout line must parse). */
    records: (): LogRecord[] =>
      out
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    async close() {
      server.close()
      server.closeAllConnections()
      await observability.close()
      kiro.close()
      await sim.close()
    },
  }
}

/** Waits until `check` holds (the access log is written when the response closes, just after the client read it). */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error(`never happened: ${what}`)
}
