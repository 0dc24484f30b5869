import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createProxy } from 'proxy'

/** A real CONNECT proxy (the `proxy` package) on 127.0.0.1, recording the targets it tunnels to. */
export async function startConnectProxy(options: { user?: string; password?: string } = {}) {
  const server = createProxy(createServer())
  const targets: string[] = []
  // Tunnels are upgraded sockets that server.close() would wait for: tracked to be cut at the end.
  const tunnels = new Set<Socket>()
  server.on('connect', (request, socket: Socket) => {
    targets.push(request.url ?? '')
    tunnels.add(socket)
    socket.once('close', () => tunnels.delete(socket))
  })
  if (options.user !== undefined) {
    const expected = `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`
    server.authenticate = (request) => request.headers['proxy-authorization'] === expected
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of tunnels) socket.destroy()
      }),
  }
}
