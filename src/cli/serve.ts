import type { RequestListener } from 'node:http'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { createNodeHandler } from '../server/node.js'
import type { CliIo } from './io.js'
import { loginHelp } from './login-help.js'
import { type OpenedClient, openClient } from './open-client.js'
import { logWhenDone } from './serve/access-log.js'
import { banner } from './serve/banner.js'
import type { ServeFlags } from './serve/flags.js'
import { type Listening, listen } from './serve/listen.js'

export interface ServeOptions extends ServeFlags {
  /** Called once listening; the server stops when it settles (SIGINT/SIGTERM in the real CLI). */
  untilStopped: () => Promise<unknown>
}

/**
 * `kiro-client serve`: the Anthropic-compatible proxy, until `untilStopped` settles. Composed of
 * small steps, each taking the flags it needs (src/cli/serve/flags.ts declares them all):
 * open the client, check the login, build the request listener, listen, print the banner, wait,
 * stop.
 */
export async function serve(io: CliIo, options: ServeOptions): Promise<number> {
  const opened = await openClient({ simulate: options.simulate })
  try {
    if (!(await checkLogin(io, opened, options))) return 1
    const listener = requestListener(io, opened, options)

    let listening: Listening
    try {
      listening = await listen(listener, options)
    } catch (error) {
      io.err(`Cannot listen on ${options.host}:${options.port}: ${(error as Error).message}\n`)
      return 1
    }
    // One line carrying the bound URL first: scripts (and the tests) read it to find the port.
    io.out(`kiro-client serve: listening on ${listening.url}\n`)
    const login = opened.simulator === undefined ? opened.client.credentials.describe() : undefined
    banner(io, listening.url, options, login)

    await options.untilStopped()
    listening.server.close()
    listening.server.closeAllConnections()
    io.err('kiro-client serve: stopped\n')
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
function requestListener(io: CliIo, opened: OpenedClient, options: ServeOptions): RequestListener {
  const handler = createNodeHandler(opened.client, {
    apiKey: options.apiKey,
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
