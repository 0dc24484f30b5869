import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { KiroClient } from '../../src/client/kiro-client.js'
import { createNodeHandler } from '../../src/server/node.js'
import { lazyUpstream } from '../helpers/lazy-upstream.js'
import { loopbackSocketCapacity, settled } from '../helpers/socket-capacity.js'

const MiB = 1024 * 1024
const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** The SSE frame one upstream frame becomes, to convert kernel-held SSE bytes into upstream bytes. */
function sseBytesFor(text: string): number {
  const event = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }
  return Buffer.byteLength(`event: content_block_delta\ndata: ${JSON.stringify(event)}\n\n`)
}

describe('a client that stops reading its stream', () => {
  it('stops the upstream read: what the server holds stays under 1 MiB past what the kernel holds', async () => {
    const upstream = lazyUpstream({ totalBytes: 50 * MiB })
    const client = new KiroClient({
      baseURL: 'http://127.0.0.1:9',
      credentials: { accessToken: 'backpressure-token-0001' },
      fetch: upstream.fetch,
      maxRetries: 0,
    })
    const server: Server = createServer(createNodeHandler(client))
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    cleanups.push(() => {
      server.closeAllConnections()
      server.close()
      client.close()
    })
    const { port } = server.address() as { port: number }

    // A raw client: sends the request, reads until the first event arrived, then reads nothing.
    const socket = connect(port, '127.0.0.1')
    cleanups.push(() => socket.destroy())
    const body = JSON.stringify({
      model: 'claude-sonnet-4-6',
      max_tokens: 64_000,
      stream: true,
      messages: [{ role: 'user', content: 'Write a very long answer.' }],
    })
    socket.write(
      `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
    let seen = ''
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        seen += chunk.toString('latin1')
        if (seen.includes('content_block_delta')) {
          socket.off('data', onData)
          socket.pause()
          resolve()
        }
      }
      socket.on('data', onData)
    })
    expect(seen.startsWith('HTTP/1.1 200')).toBe(true)

    const stalledAt = await settled(() => upstream.pulled)
    const kernel = await loopbackSocketCapacity()
    // The kernel holds SSE bytes; in upstream bytes that is a little less or more.
    const kernelInUpstreamBytes = (kernel * upstream.frameBytes) / sseBytesFor(upstream.frameText)
    const held = stalledAt - kernelInUpstreamBytes
    // 1 MiB of queued events, plus slack for what is in flight (one upstream chunk of 16 frames,
    // Node's 16 KiB socket buffer, one SSE frame) and for the kernel's buffers varying a little
    // between the two connections. Without backpressure this is the whole 50 MB answer.
    expect(held).toBeLessThan(1.5 * MiB)
    expect(stalledAt).toBeLessThan(50 * MiB)

    // The client goes away: the upstream body is cancelled.
    socket.destroy()
    await settled(() => (upstream.cancelled ? 1 : 0), 3, 50)
    expect(upstream.cancelled).toBe(true)
  }, 60_000)
})
