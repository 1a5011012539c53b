// A server that accepts TCP and never answers the TLS ClientHello (a stuck load balancer, a
// port that is not TLS). undici honours an abort only once a request reaches a socket, so a
// stalled handshake used to hold every deadline until its own 15 s connect timeout. The error's
// cause tells which limit ended the attempt: the request's own deadline, never the connect timer.
import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnection } from '../src/index.js'

let server: Server
let port: number
const sockets: Socket[] = []

beforeAll(async () => {
  server = createServer((socket) => sockets.push(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  port = typeof address === 'object' && address !== null ? address.port : 0
})
afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('a TLS handshake that never completes', () => {
  it.each([
    {
      given: { what: '--request-timeout 1s', requestTimeout: '1s', signal: undefined },
      want: { code: 'K8S_CODEGEN_CLUSTER_TIMEOUT', message: 'did not complete within 1000 ms' },
    },
    {
      given: {
        what: 'an overall deadline (signal)',
        requestTimeout: '0',
        signal: () => AbortSignal.timeout(300),
      },
      want: { code: 'K8S_CODEGEN_CLUSTER_TIMEOUT', message: '' },
    },
  ])(
    '$given.what ends the attempt, not the connect timeout',
    { timeout: 10_000 },
    async ({ given, want }) => {
      const connection = await loadConnection({
        server: `https://127.0.0.1:${port}`,
        insecureSkipTlsVerify: true,
        requestTimeout: given.requestTimeout,
        env: {},
        onWarning: () => undefined,
      })
      try {
        const signal = given.signal?.()
        const error = (await connection
          .request('/version', signal === undefined ? {} : { signal })
          .catch((e: unknown) => e)) as { code: string; message: string; cause?: unknown }
        expect(error.code).toBe(want.code)
        expect(error.message).toContain(want.message)
        // undici's own connect timer never fired: the attempt was ended by our deadline.
        expect(JSON.stringify(error.cause ?? null)).not.toContain('UND_ERR_CONNECT_TIMEOUT')
        expect(String((error.cause as Error | undefined)?.name)).toMatch(/AbortError|TimeoutError/)
      } finally {
        await connection.close()
      }
    },
  )
})
