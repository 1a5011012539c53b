// A minimal SOCKS5 proxy (RFC 1928: no authentication, CONNECT only) on 127.0.0.1 for tests.
// Records every target and maps host names (so a server URL like https://kube.test:PORT only
// resolves through the proxy).
import { connect, createServer, type Socket } from 'node:net'

export interface Socks5Proxy {
  url: string
  targets: string[]
  close(): Promise<void>
}

export async function startSocks5Proxy(mapHost: (host: string) => string): Promise<Socks5Proxy> {
  const targets: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    let buffer = Buffer.alloc(0)
    let stage: 'greeting' | 'request' | 'piping' = 'greeting'
    client.on('data', (chunk: Buffer) => {
      if (stage === 'piping') return
      buffer = Buffer.concat([buffer, chunk])
      if (stage === 'greeting') {
        if (buffer.length < 2 || buffer.length < 2 + (buffer[1] ?? 0)) return
        buffer = buffer.subarray(2 + (buffer[1] ?? 0))
        client.write(Buffer.from([0x05, 0x00]))
        stage = 'request'
      }
      if (stage === 'request') {
        if (buffer.length < 5) return
        const atyp = buffer[3]
        let host: string
        let end: number
        if (atyp === 0x01) {
          end = 4 + 4
          host = [...buffer.subarray(4, end)].join('.')
        } else if (atyp === 0x03) {
          end = 5 + (buffer[4] ?? 0)
          host = buffer.subarray(5, end).toString('latin1')
        } else {
          end = 4 + 16
          const words: string[] = []
          for (let i = 4; i < end; i += 2) words.push(buffer.readUInt16BE(i).toString(16))
          host = words.join(':')
        }
        if (buffer.length < end + 2) return
        const port = buffer.readUInt16BE(end)
        const rest = buffer.subarray(end + 2)
        stage = 'piping'
        targets.push(`${host}:${port}`)
        const upstream = connect(port, mapHost(host), () => {
          client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]))
          if (rest.length > 0) upstream.write(rest)
          upstream.pipe(client)
          client.pipe(upstream)
        })
        sockets.add(upstream)
        upstream.on('close', () => sockets.delete(upstream))
        upstream.on('error', () => {
          client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0]))
        })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    url: `socks5://127.0.0.1:${port}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
