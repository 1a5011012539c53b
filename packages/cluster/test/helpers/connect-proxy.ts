// A tiny HTTP CONNECT proxy on 127.0.0.1 for tests: counts tunnels and maps the requested host
// (so a server URL like https://kube.test:PORT only resolves through the proxy).
import { createServer, type IncomingMessage } from 'node:http'
import { connect, type Socket } from 'node:net'

export interface ConnectProxy {
  url: string
  /** `host:port` of every CONNECT, in order */
  tunnels: string[]
  close(): Promise<void>
}

export async function startConnectProxy(mapHost: (host: string) => string): Promise<ConnectProxy> {
  const tunnels: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only')
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    const target = req.url ?? ''
    tunnels.push(target)
    const colon = target.lastIndexOf(':')
    const host = target.slice(0, colon).replace(/^\[|\]$/g, '')
    const upstream = connect(Number(target.slice(colon + 1)), mapHost(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
