import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { startApiServer, type ApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createClient, isStatusError, type Client } from '../src/index.js'
import { Pod, Service } from './generated/builtins/core/v1.js'
import { write } from './_helpers.js'

// proxy().fetch takes one URL form, as `kubectl get --raw` does (an escaped path, a raw query),
// and tells the apiserver's own failures (thrown StatusErrors) from the backend's answers (a
// Response, whatever its status).
function backend(req: IncomingMessage, res: ServerResponse): void {
  if (req.url === '/unavailable') {
    // The backend's own 503, JSON but no apiserver Status.
    res.writeHead(503, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: 'warming up' }))
    return
  }
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end(req.url)
}

describe('proxy().fetch', () => {
  let server: ApiServer
  let echo: Server
  let closed: Server
  let k8s: Client
  beforeAll(async () => {
    echo = createServer(backend)
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
    // A port nothing listens on: bound, then closed.
    closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const closedPort = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    server = await startApiServer({})
    k8s = await createClient({ kubeconfig: await server.kubeconfig() })
    const endpoints = async (name: string, port?: number): Promise<void> => {
      await write(k8s, 'POST', '/api/v1/namespaces/default/services', {
        metadata: { name },
        spec: { ports: [{ name: 'http', port: 80 }] },
      })
      await write(k8s, 'POST', '/api/v1/namespaces/default/endpoints', {
        metadata: { name },
        subsets:
          port === undefined
            ? []
            : [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'http', port }] }],
      })
    }
    await endpoints('web', (echo.address() as AddressInfo).port)
    await endpoints('empty')
    await endpoints('down', closedPort)
    await write(k8s, 'POST', '/api/v1/namespaces/default/pods', {
      metadata: { name: 'link-local' },
      spec: { containers: [{ name: 'app', image: 'app' }] },
    })
    await write(k8s, 'PUT', '/api/v1/namespaces/default/pods/link-local/status', {
      metadata: { name: 'link-local' },
      status: { podIP: '169.254.169.254' },
    })
  })
  afterAll(async () => {
    await k8s.close()
    await server.close()
    await new Promise<void>((resolve) => {
      echo.close(() => resolve())
      echo.closeAllConnections()
    })
  })

  const web = () => k8s.proxy(Service, { namespace: 'default', name: 'web', port: 'http' })

  it.each([
    // The path is escaped: decoded once (the apiserver routes on the decoded path); the query is
    // sent as written.
    { given: '/a%20b/c?x=%2e&y=a+b&z=%20', want: '/a%20b/c?x=%2e&y=a+b&z=%20' },
    { given: 'plain/path?q=user:kimchy', want: '/plain/path?q=user:kimchy' },
    { given: '/a%2Fb', want: '/a/b' },
    // Encoded dot segments are dot segments: they clamp at the proxy root like plain ones.
    { given: '/%2e%2e/%2e%2e/secrets?raw=%2e%2e', want: '/secrets?raw=%2e%2e' },
  ])('$given reaches the backend as $want', async ({ given, want }) => {
    const response = await web().fetch(given)
    expect({ status: response.status, url: await response.text() }).toEqual({
      status: 200,
      url: want,
    })
  })

  it.each([
    {
      given: 'a service without endpoints',
      fetch: () =>
        k8s.proxy(Service, { namespace: 'default', name: 'empty', port: 'http' }).fetch('/'),
      want: { statusCode: 503, reason: 'ServiceUnavailable', message: 'no endpoints available' },
    },
    {
      given: 'a backend nothing listens on',
      fetch: () =>
        k8s.proxy(Service, { namespace: 'default', name: 'down', port: 'http' }).fetch('/'),
      want: {
        statusCode: 503,
        reason: 'ServiceUnavailable',
        message: 'error trying to reach service',
      },
    },
    {
      given: 'a pod address the apiserver will not dial',
      fetch: () =>
        k8s.proxy(Pod, { namespace: 'default', name: 'link-local', port: 8080 }).fetch('/'),
      want: { statusCode: 400, reason: 'BadRequest', message: 'address not allowed' },
    },
    {
      given: 'a pod that does not exist',
      fetch: () => k8s.proxy(Pod, { namespace: 'default', name: 'nope', port: 8080 }).fetch('/'),
      want: { statusCode: 404, reason: 'NotFound', message: 'pods "nope" not found' },
    },
  ])("$given: the apiserver's own $want.statusCode is a StatusError", async ({ fetch, want }) => {
    const error = await fetch().then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isStatusError(error)).toBe(true)
    expect(error).toMatchObject({
      statusCode: want.statusCode,
      reason: want.reason,
      message: expect.stringContaining(want.message) as unknown,
    })
  })

  it("the backend's own 503 is its Response", async () => {
    const response = await web().fetch('/unavailable')
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: 'warming up' })
  })
})
