import type { RequestListener } from 'node:http'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { createServeObservability, type ServeObservability } from '../observability/serve/observe-serve.js'
import { createAnthropicHandler } from '../server/handler.js'
import { redact, registerSecret } from '../util/redact.js'
import type { CliIo } from './io.js'
import { loginHelp } from './login-help.js'
import { type OpenedClient, openClient } from './open-client.js'
import { banner } from './serve/banner.js'
import { serveClientOptions } from './serve/client-options.js'
import { decideExposure, type Exposure } from './serve/exposure.js'
import type { ServeFlags } from './serve/flags.js'
import { type Listening, listen, loadTls } from './serve/listen.js'
import { shutDown } from './serve/shutdown.js'

export interface ServeOptions extends ServeFlags {
  /** Called once listening; the server stops when it settles (SIGINT/SIGTERM in the real CLI). */
  untilStopped: () => Promise<unknown>
}

/**
 * `kiro-client serve`: the Anthropic-compatible proxy, until `untilStopped` settles. Composed of
 * small steps, each taking the flags it needs (src/cli/serve/flags.ts declares them all):
 * decide the exposure, open the client, check the login, build the request listener, listen,
 * print the banner, wait, shut down gracefully.
 */
export async function serve(io: CliIo, options: ServeOptions): Promise<number> {
  // Checked before anything starts: a setup that would expose the account never listens.
  const exposure = decideExposure(options)
  const tls = await loadTls(options)
  registerSecret(options.apiKey)
  registerSecret(options.adminKey)
  for (const warning of exposure.warnings) io.err(`${warning}\n`)

  // Metrics, access log, /health and /ready (docs/observability.md).
  const observability = await createServeObservability({ ...options, out: io.out, err: io.err })
  const { log } = observability
  const opened = await openClient({
    simulate: options.simulate,
    client: { ...serveClientOptions(options), ...observability.clientOptions },
    env: io.env,
  })
  observability.useClient(opened.client)
  try {
    if (!(await checkLogin(io, opened, options))) return 1
    const closing = new AbortController()
    const listener = requestListener(opened, options, observability, exposure, closing.signal)

    let listening: Listening
    let metricsUrl: string | undefined
    try {
      listening = await listen(listener, { ...options, tls })
      metricsUrl = await observability.listenMetrics()
    } catch (error) {
      if (!(error instanceof Error) || !('code' in error)) throw error
      const message = `Cannot listen on ${options.host}:${options.port}: ${error.message}`
      if (log.format === 'json') log.write('error', message)
      else io.err(`${message}\n`)
      return 1
    }
    // One line carrying the bound URL first: scripts (and the tests) read it to find the port.
    log.announce('listening on', { url: listening.url })
    if (metricsUrl !== undefined) log.announce('metrics on', { url: `${metricsUrl}/metrics` })
    const login = opened.simulator === undefined ? opened.client.credentials.describe() : undefined
    // In JSON mode stdout carries records only: the banner's advice is for people at a terminal.
    if (log.format === 'pretty') banner(io, listening.url, options, login)

    await options.untilStopped()
    const stopping = `stopping; running answers have ${options.shutdownTimeoutMs} ms to finish`
    if (log.format === 'json') log.write('info', stopping)
    else io.err(`kiro-client serve: ${stopping}\n`)
    const cut = await shutDown(listening.server, closing, options.shutdownTimeoutMs)
    await observability.close()
    const stopped = `stopped${cut === 0 ? '' : ` (${cut} connection(s) ended at the deadline)`}`
    if (log.format === 'json') log.write('info', stopped)
    else io.err(`kiro-client serve: ${stopped}\n`)
    return 0
  } finally {
    await opened.close()
  }
}

/**
 * Finds and, if needed, refreshes the login now, so a missing one is reported at startup rather
 * than on the first request. False (after explaining) when there is none.
 */
async function checkLogin(io: CliIo, opened: OpenedClient, options: ServeOptions): Promise<boolean> {
  if (options.simulate) return true
  try {
    await opened.client.credentials.getToken()
    return true
  } catch (error) {
    if (!(error instanceof CredentialsError)) throw error
    io.err(loginHelp(error, 'kiro-client serve --simulate'))
    return false
  }
}

/** The Anthropic handler as a `node:http` listener: guarded, timed, counted and logged per request. */
function requestListener(
  opened: OpenedClient,
  options: ServeOptions,
  observability: ServeObservability,
  exposure: Exposure,
  closeSignal: AbortSignal,
): RequestListener {
  const handler = createAnthropicHandler(opened.client, {
    apiKey: options.apiKey,
    maxRequestBytes: options.maxRequestBytes,
    allowedHosts: exposure.allowedHosts,
    allowedOrigins: exposure.allowedOrigins,
    closeSignal,
    // Claude Code and the SDKs retry themselves: throttling is answered at once, with retry-after.
    retryScope: 'transient',
    onError: (error, context) => {
      const message = redact(KiroError.isInstance(error) ? error.message : String(error), [])
      observability.log.write('error', `${context.method} ${context.path}: ${message}`, {
        request_id: context.requestId,
        streaming: context.streaming,
      })
    },
  })
  return observability.listener(handler)
}
