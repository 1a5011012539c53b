// Transport behaviour against a local HTTPS server we control: one keep-alive dispatcher per
// connection, redirects returned as-is, prefix kept, Retry-After as an HTTP date, SOCKS5 proxies.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnection, type Connection } from '../src/index.js'
import { writeKubeconfig } from './helpers/kubeconfig-file.js'
import { createTestPki, type TestPki } from './helpers/pki.js'
import { startSocks5Proxy } from './helpers/socks5-proxy.js'

let dir: string
let pki: TestPki
let server: Server
let port: number
let tlsConnections = 0
const seen: { url: string; authorization: string | undefined }[] = []
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{}')

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k8s-codegen-transport-'))
  pki = await createTestPki()
  server = createServer({ cert: pki.server.cert, key: pki.server.key }, (req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization })
    handler(req, res)
  })
  server.on('secureConnection', () => tlsConnections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  port = typeof address === 'object' && address !== null ? address.port : 0
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await rm(dir, { recursive: true, force: true })
})

async function connection(
  serverUrl: string,
  extra: Record<string, unknown> = {},
  name = 'kc',
): Promise<Connection> {
  const kubeconfig = await writeKubeconfig(
    dir,
    {
      server: serverUrl,
      caPem: pki.ca.cert,
      cluster: extra,
      user: { token: 'transport-token-0001' },
    },
    name,
  )
  return loadConnection({ kubeconfig, env: { HOME: dir }, inClusterDir: path.join(dir, 'none') })
}

describe('transport', () => {
  it('reuses kept-alive TLS connections for sequential requests', async () => {
    handler = (_req, res) => res.end('{"ok":true}')
    const c = await connection(`https://127.0.0.1:${port}`)
    try {
      const before = tlsConnections
      for (let i = 0; i < 10; i++) expect((await c.request(`/api?i=${i}`)).status).toBe(200)
      // undici may open a second socket while the first is being released; either way the
      // sockets are kept alive and reused instead of one handshake per request.
      expect(tlsConnections - before).toBeLessThanOrEqual(2)
    } finally {
      await c.close()
    }
  })

  it('returns redirects as-is and keeps the path prefix', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { location: '/elsewhere' })
      res.end()
    }
    const c = await connection(
      `https://127.0.0.1:${port}/rancher/k8s/clusters/c-9/`,
      {},
      'prefixed',
    )
    try {
      seen.length = 0
      const res = await c.request('/openapi/v3?x=1')
      expect(res.status).toBe(302)
      expect(res.headers['location']).toBe('/elsewhere')
      expect(seen.map((s) => s.url)).toEqual(['/rancher/k8s/clusters/c-9/openapi/v3?x=1'])
      expect(seen[0]?.authorization).toBe('Bearer transport-token-0001')
      expect(res.url).toBe(`https://127.0.0.1:${port}/rancher/k8s/clusters/c-9/openapi/v3?x=1`)
    } finally {
      await c.close()
    }
  })

  it('honours Retry-After given as an HTTP date', async () => {
    let calls = 0
    handler = (_req, res) => {
      calls++
      if (calls === 1) {
        res.writeHead(503, { 'retry-after': new Date(Date.now() + 1000).toUTCString() })
        res.end()
      } else res.end('{}')
    }
    const c = await connection(`https://127.0.0.1:${port}`)
    try {
      expect((await c.request('/version')).status).toBe(200)
      expect(calls).toBe(2)
    } finally {
      await c.close()
    }
  })

  it('tunnels through a socks5 proxy-url, the host name resolved by the proxy', async () => {
    handler = (_req, res) => res.end('{"via":"socks"}')
    const proxy = await startSocks5Proxy((host) => (host === 'kube.test' ? '127.0.0.1' : host))
    const c = await connection(
      `https://kube.test:${port}`,
      { 'proxy-url': proxy.url, 'tls-server-name': 'localhost' },
      'socks',
    )
    try {
      expect(c.describe()).toMatchObject({ proxy: proxy.url, proxySource: 'kubeconfig' })
      const res = await c.request('/version')
      expect(res.status).toBe(200)
      expect(Buffer.from(res.body).toString()).toBe('{"via":"socks"}')
      expect(proxy.targets).toEqual([`kube.test:${port}`])
    } finally {
      await c.close()
      await proxy.close()
    }
  })

  it('an environment proxy that is not an http/https/socks5 URL is a config error', async () => {
    const kubeconfig = await writeKubeconfig(
      dir,
      {
        server: 'https://api.example:6443',
        caPem: pki.ca.cert,
        user: { token: 'transport-token-0002' },
      },
      'env-proxy',
    )
    await expect(
      loadConnection({
        kubeconfig,
        env: { HOME: dir, HTTPS_PROXY: 'ftp://user:hunter2pw@proxy:21' },
        inClusterDir: path.join(dir, 'none'),
      }),
    ).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLUSTER_CONFIG_INVALID',
      message: expect.not.stringContaining('hunter2pw') as unknown,
    })
  })

  it('request() after close() is a CLOSED error', async () => {
    const c = await connection(`https://127.0.0.1:${port}`)
    await c.close()
    await expect(c.request('/version')).rejects.toMatchObject({
      code: 'K8S_CODEGEN_CLUSTER_CLOSED',
    })
  })
})

// issue 10: `https://` to a plain HTTP port printed OpenSSL's multi-line text and blamed the CA.
describe('an https:// request to a plain HTTP port', () => {
  it('is a TLS error that says the port speaks plain HTTP, on one line, not a CA problem', async () => {
    const { createServer: createHttpServer } = await import('node:http')
    const plain = createHttpServer((_req, res) => res.end('{}'))
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = plain.address() as { port: number }
      const connection = await loadConnection({
        server: `https://127.0.0.1:${port}`,
        kubeconfig: '/dev/null',
      })
      try {
        const error = await connection.request('/version').then(
          () => undefined,
          (e: unknown) => e as Error & { code: string },
        )
        expect(error?.code).toBe('K8S_CODEGEN_CLUSTER_TLS')
        expect(error?.message).toContain('does not speak TLS: the port answered plain HTTP')
        expect(error?.message).not.toContain('--certificate-authority')
        expect(error?.message).not.toContain('\n')
      } finally {
        await connection.close()
      }
    } finally {
      plain.close()
    }
  })
})
