import type { ServerResponse } from 'node:http'
import type { TurnAction } from './compile-turn.js'
import type { RecordedRequest, SimulatorReply } from './records.js'

/** Resolves after `ms`, or as soon as the response closes. */
function wait(ms: number, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer)
      response.off('close', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    response.once('close', done)
  })
}

function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done)
      response.off('close', done)
      resolve()
    }
    response.once('drain', done)
    response.once('close', done)
  })
}

function stamp(action: TurnAction, log: RecordedRequest['response']): void {
  if (action.kind !== 'frames') return
  const at = performance.now()
  for (let i = 0; i < action.count; i++) log.frameTimes.push(at)
}

/** Plays a reply onto a node:http response, stamping every frame write with `performance.now()`. */
export async function playOnNode(
  response: ServerResponse,
  reply: SimulatorReply,
  record: RecordedRequest,
): Promise<void> {
  const log = record.response
  if (reply.kind === 'json') {
    response.writeHead(reply.status, reply.headers)
    log.status = reply.status
    log.headersAt = performance.now()
    response.end(reply.body)
    log.outcome = 'complete'
    log.endedAt = performance.now()
    return
  }
  const sendHeaders = () => {
    if (log.status !== undefined) return
    response.writeHead(200, reply.headers)
    log.status = 200
    log.headersAt = performance.now()
  }
  // Resolves once the last write reached the socket, so that a reset comes after what was written
  // (node:http holds a response's first writes back until the next tick).
  let flushed: Promise<void> = Promise.resolve()
  const { actions } = reply.turn
  for (let index = 0; index < actions.length; index++) {
    const action = actions[index]!
    if (response.destroyed) return
    switch (action.kind) {
      case 'delay':
        await wait(action.ms, response)
        break
      case 'flush-headers':
        sendHeaders()
        response.flushHeaders()
        break
      case 'frames':
      case 'raw': {
        sendHeaders()
        if (index === actions.length - 1) {
          // The last bytes of the turn: one end() instead of write() and end() (one less round trip).
          response.end(action.bytes)
          stamp(action, log)
          log.outcome = 'complete'
          log.endedAt = performance.now()
          return
        }
        let written!: () => void
        flushed = new Promise((resolve) => {
          written = resolve
        })
        const flowing = response.write(action.bytes, () => written())
        stamp(action, log)
        if (!flowing) await drained(response)
        break
      }
      case 'stall':
        log.outcome = 'stalled'
        return
      case 'truncate':
        sendHeaders()
        response.end(action.bytes)
        log.outcome = 'truncated'
        log.endedAt = performance.now()
        return
      case 'reset': {
        await flushed
        log.outcome = 'reset'
        log.endedAt = performance.now()
        const socket = response.socket as
          | (NonNullable<ServerResponse['socket']> & { resetAndDestroy?: () => void })
          | null
        if (socket?.resetAndDestroy) socket.resetAndDestroy()
        else socket?.destroy()
        return
      }
      case 'http-error':
        response.writeHead(action.status, {
          ...action.headers,
          'x-amzn-requestid': reply.headers['x-amzn-requestid'],
        })
        log.status = action.status
        log.headersAt = performance.now()
        response.end(action.body)
        log.outcome = 'complete'
        log.endedAt = performance.now()
        return
    }
  }
  sendHeaders()
  response.end()
  log.outcome = 'complete'
  log.endedAt = performance.now()
}
