import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CredentialsDescription } from '../auth/types.js'
import { CredentialsError } from '../errors/credentials-error.js'
import { KiroError } from '../errors/kiro-error.js'
import { createNodeHandler } from '../server/node.js'
import { loginLines } from './describe-login.js'
import { type CliIo, dim } from './io.js'
import { loginHelp } from './login-help.js'
import { openClient } from './open-client.js'

export interface ServeOptions {
  port: number
  host: string
  apiKey: string | undefined
  simulate: boolean
  /** Called once listening; the server stops when it settles (SIGINT/SIGTERM in the real CLI). */
  untilStopped: () => Promise<unknown>
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1'])

/** `kiro-client serve`: the Anthropic-compatible proxy, until `stopped` resolves. */
export async function serve(io: CliIo, options: ServeOptions): Promise<number> {
  const opened = await openClient({ simulate: options.simulate })
  try {
    if (!options.simulate) {
      try {
        // Find and, if needed, refresh the login now, so a missing one is reported at startup
        // rather than on the first request.
        await opened.client.credentials.getToken()
      } catch (error) {
        if (error instanceof CredentialsError) {
          io.err(loginHelp(error, 'kiro-client serve --simulate'))
          return 1
        }
        throw error
      }
    }

    const handler = createNodeHandler(opened.client, {
      apiKey: options.apiKey,
      onError: (error, context) => {
        const where = context.streaming ? ' (after the stream started)' : ''
        const message = KiroError.isInstance(error) ? error.message : String(error)
        io.err(`${context.requestId} ${context.method} ${context.path}${where}: ${message}\n`)
      },
    })
    const server = createServer((request, response) => {
      logWhenDone(io, request, response)
      void handler(request, response)
    })
    server.listen(options.port, options.host)
    try {
      await Promise.race([
        once(server, 'listening'),
        once(server, 'error').then(([error]) => Promise.reject(error)),
      ])
    } catch (error) {
      io.err(`Cannot listen on ${options.host}:${options.port}: ${(error as Error).message}\n`)
      return 1
    }

    const url = urlOf(server.address() as AddressInfo)
    // One line carrying the bound URL first: scripts (and the tests) read it to find the port.
    io.out(`kiro-client serve: listening on ${url}\n`)
    banner(
      io,
      url,
      options,
      opened.simulator === undefined ? opened.client.credentials.describe() : undefined,
    )

    await options.untilStopped()
    server.close()
    server.closeAllConnections()
    io.err('kiro-client serve: stopped\n')
    return 0
  } finally {
    await opened.close()
  }
}

function banner(
  io: CliIo,
  url: string,
  options: ServeOptions,
  login: CredentialsDescription | undefined,
): void {
  const lines: string[] = []
  if (login === undefined) {
    lines.push('Simulated Kiro: scripted answers over the real protocol; no account is used.')
  } else {
    lines.push('Kiro login:')
    for (const [label, value] of loginLines(login, Date.now())) lines.push(`  ${label}: ${value}`)
  }
  const hint = LOOPBACK.has(options.host) ? url : url.replace(/\/\/[^/]+/, `//127.0.0.1:${new URL(url).port}`)
  const token = options.apiKey === undefined ? 'unused' : '<your --api-key>'
  lines.push(
    '',
    'Point Claude Code at it:',
    `  ANTHROPIC_BASE_URL=${hint} ANTHROPIC_AUTH_TOKEN=${token} claude`,
    'or any Anthropic SDK:',
    `  new Anthropic({ baseURL: '${hint}', apiKey: '${token}' })`,
  )
  if (options.apiKey === undefined && !LOOPBACK.has(options.host)) {
    lines.push('', `Warning: ${options.host} is reachable from other machines and no --api-key is set.`)
  }
  io.out(`${dim(io, lines.join('\n'))}\n`)
}

/** Logs each request when its response ends (or the client leaves), with status and duration. */
function logWhenDone(io: CliIo, request: IncomingMessage, response: ServerResponse): void {
  const started = performance.now()
  response.once('close', () => {
    const ms = Math.round(performance.now() - started)
    const outcome = response.writableFinished
      ? String(response.statusCode)
      : `${response.statusCode} client left`
    io.err(`${request.method} ${request.url} ${outcome} ${ms} ms\n`)
  })
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}
