import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, type Client, type Warning } from '../src/index.js'
import { ConfigMap, Node, Pod, Service } from './generated/builtins/core/v1.js'
import { iterate, write } from './_helpers.js'

// The apiserver proxy as a fetch: an echo backend on 127.0.0.1 answers with what it received,
// reached through the emulator's proxy directly and through `kubectl proxy`.
interface Echo {
  method: string
  url: string
  body: string
  headers: Record<string, string>
}

function echo(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    if (req.url === '/warn') {
      res.writeHead(200, { 'content-type': 'text/plain', warning: '299 - "from the backend"' })
      res.end('ok')
      return
    }
    if (req.url === '/stream') {
      // A body in two parts, the second only after the client read the first.
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('first\n')
      setTimeout(() => res.end('second\n'), 50)
      return
    }
    res.writeHead(req.url === '/missing' ? 404 : 200, {
      'content-type': 'application/json',
      'x-backend': 'echo',
    })
    res.end(
      JSON.stringify({
        method: req.method,
        url: req.url,
        body: Buffer.concat(chunks).toString(),
        headers: req.headers,
      }),
    )
  })
}

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0
if (!hasKubectl) console.warn('skipping the kubectl proxy rows: kubectl is not on PATH')

describe('proxy', () => {
  let backend: Server
  let port = 0
  let server: ApiServer
  let k8s: Client
  const work = mkdtempSync(join(tmpdir(), 'client-proxy-'))

  beforeAll(async () => {
    backend = createServer(echo)
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    port = (backend.address() as AddressInfo).port
    server = await startApiServer({ backends: { '10.244.0.9:8080': port, '10.0.0.2:10255': port } })
    k8s = await createClient({ kubeconfig: await server.kubeconfig() })
    await write(k8s, 'POST', '/api/v1/namespaces/default/services', {
      metadata: { name: 'web' },
      spec: { ports: [{ name: 'http', port: 80 }] },
    })
    await write(k8s, 'POST', '/api/v1/namespaces/default/endpoints', {
      metadata: { name: 'web' },
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port }] }],
    })
    await write(k8s, 'POST', '/api/v1/namespaces/default/pods', {
      metadata: { name: 'app' },
      spec: { containers: [{ name: 'app', image: 'app' }] },
    })
    await write(k8s, 'PUT', '/api/v1/namespaces/default/pods/app/status', {
      metadata: { name: 'app' },
      status: { podIP: '10.244.0.9' },
    })
    await write(k8s, 'POST', '/api/v1/nodes', { metadata: { name: 'node-1' } })
    await write(k8s, 'PUT', '/api/v1/nodes/node-1/status', {
      metadata: { name: 'node-1' },
      status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] },
    })
  })
  afterAll(async () => {
    await k8s.close()
    await server.close()
    await new Promise<void>((resolve) => {
      backend.close(() => resolve())
      backend.closeAllConnections()
    })
    rmSync(work, { recursive: true, force: true })
  })

  function rows(client: () => Client) {
    return [
      {
        given: 'a service by port name, with a query',
        fetch: () =>
          client()
            .proxy(Service, { namespace: 'default', name: 'web', port: 'http' })
            .fetch('/api/v1?q=user:kimchy'),
        want: { status: 200, url: '/api/v1?q=user:kimchy', method: 'GET', body: '' },
      },
      {
        given: 'a POST with a body',
        fetch: () =>
          client()
            .proxy(Service, { namespace: 'default', name: 'web', port: 'http' })
            .fetch('submit', {
              method: 'POST',
              headers: { 'content-type': 'text/plain' },
              body: 'hello',
            }),
        want: { status: 200, url: '/submit', method: 'POST', body: 'hello' },
      },
      {
        given: 'a path that tries to climb out of the proxy',
        fetch: () =>
          client()
            .proxy(Service, { namespace: 'default', name: 'web', port: 'http' })
            .fetch('../../../secrets'),
        want: { status: 200, url: '/secrets', method: 'GET', body: '' },
      },
      {
        given: 'a pod port',
        fetch: () =>
          client().proxy(Pod, { namespace: 'default', name: 'app', port: 8080 }).fetch('/healthz'),
        want: { status: 200, url: '/healthz', method: 'GET', body: '' },
      },
      {
        given: 'a node on the read-only kubelet port',
        fetch: () => client().proxy(Node, { name: 'node-1', port: 10255 }).fetch('/metrics'),
        want: { status: 200, url: '/metrics', method: 'GET', body: '' },
      },
      {
        given: "a backend's 404",
        fetch: () =>
          client()
            .proxy(Service, { namespace: 'default', name: 'web', port: 'http' })
            .fetch('/missing'),
        want: { status: 404, url: '/missing', method: 'GET', body: '' },
      },
    ]
  }

  it.each(rows(() => k8s))('$given reaches the backend', async ({ fetch, want }) => {
    const response = await fetch()
    expect(response).toBeInstanceOf(Response)
    expect(response.headers.get('x-backend')).toBe('echo')
    const seen = (await response.json()) as Echo
    expect({
      status: response.status,
      url: seen.url,
      method: seen.method,
      body: seen.body,
    }).toEqual(want)
    expect(seen.headers['authorization']).toBeUndefined()
  })

  it("a backend's Warning header stays in the Response, not the client's onWarning", async () => {
    const warnings: Warning[] = []
    const client = await createClient({
      kubeconfig: await server.kubeconfig(),
      onWarning: (w) => warnings.push(w),
    })
    try {
      const response = await client
        .proxy(Service, { namespace: 'default', name: 'web', port: 'http' })
        .fetch('/warn')
      expect(response.headers.get('warning')).toBe('299 - "from the backend"')
      expect(await response.text()).toBe('ok')
      expect(warnings).toEqual([])
    } finally {
      await client.close()
    }
  })

  it('the body streams: the first part is readable before the backend ends', async () => {
    const response = await k8s
      .proxy(Service, { namespace: 'default', name: 'web', port: 'http' })
      .fetch('/stream')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe('first\n')
    let rest = ''
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      rest += new TextDecoder().decode(next.value)
    }
    expect(rest).toBe('second\n')
  })

  describe.skipIf(!hasKubectl)('through kubectl proxy', () => {
    let child: ChildProcess
    let proxied: Client
    beforeAll(async () => {
      child = spawn(
        'kubectl',
        ['--kubeconfig', await server.kubeconfig(), 'proxy', '--port=0', '--address=127.0.0.1'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      )
      const proxyPort = await new Promise<number>((resolve, reject) => {
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
      // kubectl proxy adds the credentials: this kubeconfig has none.
      const kubeconfig = join(work, 'kubeconfig-proxy')
      writeFileSync(
        kubeconfig,
        `apiVersion: v1
kind: Config
clusters: [{name: proxy, cluster: {server: "http://127.0.0.1:${proxyPort}"}}]
users: [{name: nobody, user: {}}]
contexts: [{name: proxy, context: {cluster: proxy, user: nobody}}]
current-context: proxy
`,
      )
      proxied = await createClient({ kubeconfig })
    })
    afterAll(async () => {
      await proxied.close()
      child.kill()
    })

    it.each(rows(() => proxied))('$given reaches the backend', async ({ fetch, want }) => {
      const response = await fetch()
      const seen = (await response.json()) as Echo
      expect({
        status: response.status,
        url: seen.url,
        method: seen.method,
        body: seen.body,
      }).toEqual(want)
    })

    it('a watch streams through kubectl proxy too, and resumes after a dropped connection', async () => {
      const events = iterate(
        proxied.watch(ConfigMap, {
          namespace: 'default',
          retry: { attempts: 5, initialDelayMs: 5, maxDelayMs: 20 },
        }),
      )
      const first = events.next()
      await expect.poll(() => server.openWatches, { timeout: 10_000 }).toBe(1)
      await write(k8s, 'POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name: 'one' },
      })
      expect((await first).value).toMatchObject({
        type: 'ADDED',
        object: { metadata: { name: 'one' } },
      })
      server.dropWatches()
      await write(k8s, 'POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name: 'two' },
      })
      expect((await events.next()).value).toMatchObject({
        type: 'ADDED',
        object: { metadata: { name: 'two' } },
      })
      await events.return?.()
    })
  })
})
