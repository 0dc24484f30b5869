import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CliIo } from '../io.js'

/** Logs each request when its response ends (or the client leaves), with status and duration. */
export function logWhenDone(io: CliIo, request: IncomingMessage, response: ServerResponse): void {
  const started = performance.now()
  response.once('close', () => {
    const ms = Math.round(performance.now() - started)
    const outcome = response.writableFinished
      ? String(response.statusCode)
      : `${response.statusCode} client left`
    io.err(`${request.method} ${request.url} ${outcome} ${ms} ms\n`)
  })
}
