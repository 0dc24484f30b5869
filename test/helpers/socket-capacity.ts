import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'

/**
 * Polls `read` until it stops changing (the same value `quietPolls` times in a row, `everyMs`
 * apart), and returns it. For waiting until a stalled pipeline has settled; the value is what a
 * test asserts on, never the time it took.
 */
export async function settled(
  read: () => number,
  quietPolls = 10,
  everyMs = 100,
  maxPolls = 600,
): Promise<number> {
  let last = read()
  let quiet = 0
  for (let i = 0; i < maxPolls && quiet < quietPolls; i++) {
    await delay(everyMs)
    const now = read()
    quiet = now === last ? quiet + 1 : 0
    last = now
  }
  return last
}

/**
 * How many bytes the kernel takes on a loopback TCP connection whose reader never reads: written
 * into a paused peer until Node's own buffer stops draining. What sits there is the kernel's,
 * not the server's; a backpressure test subtracts it.
 */
export async function loopbackSocketCapacity(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const accepted = once(server, 'connection') as Promise<[Socket]>
  const client = connect(port, '127.0.0.1')
  client.pause()
  const [socket] = await accepted
  const chunk = Buffer.alloc(16 * 1024, 0x61)
  let written = 0
  for (;;) {
    written += chunk.length
    if (!socket.write(chunk)) {
      const before = socket.writableLength
      const after = await settled(() => socket.writableLength, 5, 100)
      if (after >= before && after > 0) break
    }
  }
  const capacity = written - socket.writableLength
  client.destroy()
  socket.destroy()
  server.close()
  return capacity
}
