import type { RequestListener } from 'node:http'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { createNodeHandler } from '../server/node.js'
import { registerSecret } from '../util/redact.js'
import type { CliIo } from './io.js'
import { loginHelp } from './login-help.js'
import { type OpenedClient, openClient } from './open-client.js'
import { logWhenDone } from './serve/access-log.js'
import { banner } from './serve/banner.js'
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

  const opened = await openClient({ simulate: options.simulate })
  try {
    if (!(await checkLogin(io, opened, options))) return 1
    const closing = new AbortController()
    const listener = requestListener(io, opened, options, exposure, closing.signal)

    let listening: Listening
    try {
      listening = await listen(listener, { ...options, tls })
    } catch (error) {
      if (!(error instanceof Error) || !('code' in error)) throw error
      io.err(`Cannot listen on ${options.host}:${options.port}: ${error.message}\n`)
      return 1
    }
    // One line carrying the bound URL first: scripts (and the tests) read it to find the port.
    io.out(`kiro-client serve: listening on ${listening.url}\n`)
    const login = opened.simulator === undefined ? opened.client.credentials.describe() : undefined
    banner(io, listening.url, options, login)

    await options.untilStopped()
    io.err(`kiro-client serve: stopping; running answers have ${options.shutdownTimeoutMs} ms to finish\n`)
    const cut = await shutDown(listening.server, closing, options.shutdownTimeoutMs)
    io.err(`kiro-client serve: stopped${cut === 0 ? '' : ` (${cut} connection(s) ended at the deadline)`}\n`)
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

/** The Anthropic handler as a `node:http` listener, with the per-request log line. */
function requestListener(
  io: CliIo,
  opened: OpenedClient,
  options: ServeOptions,
  exposure: Exposure,
  closeSignal: AbortSignal,
): RequestListener {
  const handler = createNodeHandler(opened.client, {
    apiKey: options.apiKey,
    maxRequestBytes: options.maxRequestBytes,
    allowedHosts: exposure.allowedHosts,
    allowedOrigins: exposure.allowedOrigins,
    closeSignal,
    onError: (error, context) => {
      const where = context.streaming ? ' (after the stream started)' : ''
      const message = KiroError.isInstance(error) ? error.message : String(error)
      io.err(`${context.requestId} ${context.method} ${context.path}${where}: ${message}\n`)
    },
  })
  return (request, response) => {
    logWhenDone(io, request, response)
    void handler(request, response)
  }
}
