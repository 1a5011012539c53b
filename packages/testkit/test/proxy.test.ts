import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { buildProxyUrl, type ProxyTarget } from '@k8s-codegen/proxy-url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateCertificates } from '../src/certificates.js'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, send, type RawResponse } from './_client.js'

// The apiserver proxy to real local backends: an echo server answers with what it received,
// so each row checks the path, query and headers the backend sees for a URL built by
// @k8s-codegen/proxy-url — the Kubernetes documentation's examples first.
interface Echo {
  method: string
  url: string
  headers: Record<string, string>
}

function echo(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/html') {
    res.writeHead(200, { 'Content-Type': 'text/html' })
    res.end('<a href="/login">login</a>')
    return
  }
  if (req.url?.startsWith('/redirect') === true) {
    res.writeHead(302, { Location: '/login?next=1' })
    res.end()
    return
  }
  res.writeHead(200, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }))
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0

describe('apiserver proxy', () => {
  let server: ApiServer
  let plain: Server
  let tls: Server
  let plainPort = 0
  let tlsPort = 0

  beforeAll(async () => {
    plain = createHttpServer(echo)
    const certificates = await generateCertificates()
    tls = createHttpsServer(
      { cert: certificates.server.certPem, key: certificates.server.keyPem },
      echo,
    )
    plainPort = await listen(plain)
    tlsPort = await listen(tls)
    server = await startApiServer({
      backends: { '10.244.0.7:8080': plainPort, '10.0.0.1:10255': plainPort },
    })
    const create = async (path: string, body: object): Promise<void> => {
      const response = await send(server, 'POST', path, body)
      expect(response.status, response.body.toString()).toBe(201)
    }
    const service = async (
      namespace: string,
      name: string,
      ports: object[],
      endpointPorts: object[],
    ): Promise<void> => {
      await create(`/api/v1/namespaces/${namespace}/services`, {
        metadata: { name },
        spec: { ports },
      })
      await create(`/api/v1/namespaces/${namespace}/endpoints`, {
        metadata: { name },
        subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: endpointPorts }],
      })
    }
    await service('kube-system', 'elasticsearch-logging', [{ port: 9200 }], [{ port: plainPort }])
    await service('kube-system', 'kibana-logging', [{ port: 5601 }], [{ port: tlsPort }])
    await service(
      'kube-system',
      'kube-dns',
      [{ name: 'dns', port: 53 }],
      [{ name: 'dns', port: plainPort }],
    )
    await service(
      'default',
      'web',
      [{ name: 'http', port: 8080 }],
      [{ name: 'http', port: plainPort }],
    )
    await service('default', 'down', [{ port: 80 }], [{ port: 1 }])
    await create('/api/v1/namespaces/default/services', {
      metadata: { name: 'lonely' },
      spec: { ports: [{ port: 80 }] },
    })
    await create('/api/v1/namespaces/default/pods', {
      metadata: { name: 'app' },
      spec: { containers: [{ name: 'app', image: 'app', ports: [{ containerPort: 8080 }] }] },
      status: { podIP: '10.244.0.7' },
    })
    // Built-in pod creation drops a client's status; the kubelet would set it through /status.
    const pod = json(await get(server, '/api/v1/namespaces/default/pods/app')) as Record<
      string,
      unknown
    >
    await send(server, 'PUT', '/api/v1/namespaces/default/pods/app/status', {
      ...pod,
      status: { podIP: '10.244.0.7' },
    })
    await create('/api/v1/namespaces/default/pods', {
      metadata: { name: 'local' },
      spec: { containers: [{ name: 'app', image: 'app' }] },
    })
    const local = json(await get(server, '/api/v1/namespaces/default/pods/local')) as Record<
      string,
      unknown
    >
    await send(server, 'PUT', '/api/v1/namespaces/default/pods/local/status', {
      ...local,
      status: { podIP: '127.0.0.1' },
    })
    await create('/api/v1/nodes', { metadata: { name: 'node-1' } })
    const node = json(await get(server, '/api/v1/nodes/node-1')) as Record<string, unknown>
    await send(server, 'PUT', '/api/v1/nodes/node-1/status', {
      ...node,
      status: {
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    })
  })
  afterAll(async () => {
    await server.close()
    await close(plain)
    await close(tls)
  })

  const docs: {
    given: string
    target: Omit<ProxyTarget, 'server'>
    want: { url: string; forwardedUri: string; tls?: boolean }
  }[] = [
    {
      given: "elasticsearch-logging's _search?q=user:kimchy",
      target: {
        kind: 'service',
        namespace: 'kube-system',
        name: 'elasticsearch-logging',
        path: '_search',
        query: { q: 'user:kimchy' },
      },
      want: {
        url: '/_search?q=user%3Akimchy',
        forwardedUri: '/api/v1/namespaces/kube-system/services/elasticsearch-logging/proxy/_search',
      },
    },
    {
      given: 'elasticsearch-logging _cluster/health?pretty=true',
      target: {
        kind: 'service',
        namespace: 'kube-system',
        name: 'elasticsearch-logging',
        path: '_cluster/health',
        query: { pretty: 'true' },
      },
      want: {
        url: '/_cluster/health?pretty=true',
        forwardedUri:
          '/api/v1/namespaces/kube-system/services/elasticsearch-logging/proxy/_cluster/health',
      },
    },
    {
      given: 'https:kibana-logging: (https to the unnamed port)',
      target: {
        kind: 'service',
        namespace: 'kube-system',
        name: 'kibana-logging',
        scheme: 'https',
        path: 'app/kibana',
      },
      want: {
        url: '/app/kibana',
        forwardedUri:
          '/api/v1/namespaces/kube-system/services/https:kibana-logging:/proxy/app/kibana',
        tls: true,
      },
    },
    {
      given: 'kube-dns:dns (a named port) at the proxy root',
      target: { kind: 'service', namespace: 'kube-system', name: 'kube-dns', port: 'dns' },
      want: {
        url: '/',
        forwardedUri: '/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy/',
      },
    },
    {
      given: 'a numeric port (web:8080 → the port named http)',
      target: { kind: 'service', namespace: 'default', name: 'web', port: 8080, path: 'a b/c/' },
      want: {
        url: '/a%20b/c/',
        forwardedUri: '/api/v1/namespaces/default/services/web:8080/proxy/a%20b/c/',
      },
    },
    {
      given: 'a pod port, dialled through the backends map',
      target: { kind: 'pod', namespace: 'default', name: 'app', port: 8080, path: 'healthz' },
      want: {
        url: '/healthz',
        forwardedUri: '/api/v1/namespaces/default/pods/app:8080/proxy/healthz',
      },
    },
    {
      given: 'a pod without a port (the first container port)',
      target: { kind: 'pod', namespace: 'default', name: 'app', path: 'x' },
      want: { url: '/x', forwardedUri: '/api/v1/namespaces/default/pods/app/proxy/x' },
    },
    {
      given: 'a node port other than the kubelet (http)',
      target: { kind: 'node', name: 'node-1', port: 10255, path: 'metrics' },
      want: { url: '/metrics', forwardedUri: '/api/v1/nodes/node-1:10255/proxy/metrics' },
    },
  ]

  it.each(docs)('$given: the backend sees $want.url', async ({ target, want }) => {
    const url = buildProxyUrl({ server: server.url, ...target })
    const response = await get(server, new URL(url).pathname + new URL(url).search, {
      absolute: true,
    })
    expect(response.status, response.body.toString()).toBe(200)
    const seen = json(response) as Echo
    expect(seen.url).toBe(want.url)
    expect(seen.headers['x-forwarded-uri']).toBe(want.forwardedUri)
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1')
    // The authentication filter removes the credentials before proxying.
    expect(seen.headers['authorization']).toBeUndefined()
    expect(new URL(`http://x${seen.url}`).searchParams.get('q')).toBe(
      target.query === undefined ? null : ((target.query as Record<string, string>)['q'] ?? null),
    )
  })

  it.each([
    {
      given: '/api/v1/namespaces/default/services/a:b:c:d/proxy/',
      want: { code: 400, message: 'invalid service request "a:b:c:d"' },
    },
    {
      given: '/api/v1/namespaces/default/services/web:81/proxy/',
      want: { code: 503, message: 'no service port 81 found for service "web"' },
    },
    {
      given: '/api/v1/namespaces/default/services/web:other/proxy/',
      want: { code: 503, message: 'no endpoints available for service "web:other"' },
    },
    {
      given: '/api/v1/namespaces/default/services/lonely/proxy/',
      want: { code: 404, message: 'endpoints "lonely" not found' },
    },
    {
      given: '/api/v1/namespaces/default/services/absent/proxy/',
      want: { code: 404, message: 'services "absent" not found' },
    },
    {
      given: '/api/v1/namespaces/default/pods/local/proxy/',
      want: { code: 400, message: 'address not allowed' },
    },
    {
      given: '/api/v1/namespaces/default/services/down/proxy/',
      want: {
        code: 503,
        message: 'error trying to reach service: dial tcp 127.0.0.1:1: connect: connection refused',
      },
    },
  ])('$given answers $want.code', async ({ given, want }) => {
    const response = await get(server, given)
    expect(response.status).toBe(want.code)
    expect(json(response)).toMatchObject({ kind: 'Status', ...want })
  })

  it('GET of …/proxy without a trailing slash is a 301 to …/proxy/ (query kept)', async () => {
    const response = await get(server, '/api/v1/namespaces/default/services/web:8080/proxy?a=1')
    expect(response.status).toBe(301)
    expect(response.headers['location']).toBe(
      '/api/v1/namespaces/default/services/web:8080/proxy/?a=1',
    )
  })

  it('a redirect from the backend comes back under the proxy path', async () => {
    const response = await get(
      server,
      '/api/v1/namespaces/default/services/web:8080/proxy/redirect',
    )
    expect(response.status).toBe(302)
    expect(response.headers['location']).toBe(
      '/api/v1/namespaces/default/services/web:8080/proxy/login?next=1',
    )
  })

  it('HTML bodies pass unchanged (a real apiserver rewrites their links under the proxy path)', async () => {
    const response = await get(server, '/api/v1/namespaces/default/services/web:8080/proxy/html')
    expect(response.body.toString()).toBe('<a href="/login">login</a>')
  })

  it('POST bodies and methods pass through', async () => {
    const response: RawResponse = await send(
      server,
      'POST',
      '/api/v1/namespaces/default/services/web:8080/proxy/submit',
      { a: 1 },
    )
    expect(json(response)).toMatchObject({
      method: 'POST',
      url: '/submit',
      headers: { 'content-type': 'application/json' },
    })
  })

  it.skipIf(!hasKubectl)(
    'through kubectl proxy, every documentation URL reaches the backend the same way',
    async () => {
      const kubeconfig = await server.kubeconfig()
      const child: ChildProcess = spawn(
        'kubectl',
        ['--kubeconfig', kubeconfig, 'proxy', '--port=0', '--address=127.0.0.1'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      try {
        const port = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('kubectl proxy did not start within 20 s')),
            20_000,
          )
          let out = ''
          child.stdout?.on('data', (chunk: Buffer) => {
            out += chunk.toString()
            const match = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out)
            if (match !== null) {
              clearTimeout(timer)
              resolve(Number(match[1]))
            }
          })
          child.on('exit', (code) => reject(new Error(`kubectl proxy exited with ${String(code)}`)))
        })
        for (const { target, want } of docs) {
          const url = buildProxyUrl({ server: `http://127.0.0.1:${port}`, ...target })
          const response = await fetch(url, { redirect: 'manual' })
          expect(response.status, url).toBe(200)
          const seen = (await response.json()) as Echo
          expect(seen.url).toBe(want.url)
          expect(seen.headers['x-forwarded-uri']).toBe(want.forwardedUri)
        }
      } finally {
        child.kill()
      }
    },
  )
})
