// send() and stream() against the emulated kube-apiserver and a few sockets we control: every
// method with a body, statuses returned instead of thrown, the 401 refresh, the retry table per
// method (with-retry.ts `isRetryable`), and streams that outlive the request timeout, abort and
// cancel, through a path prefix.
import { readFile } from 'node:fs/promises'
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { startApiServer } from '@k8s-codegen/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClusterError, type SendOptions } from '../src/index.js'
import { useEmulatorConnections } from './helpers/emulator-connections.js'
import { writeKubeconfig } from './helpers/kubeconfig-file.js'

const plugin = fileURLToPath(new URL('./fixtures/exec-plugin.mjs', import.meta.url))
const CM = '/api/v1/namespaces/default/configmaps'

const emulator = useEmulatorConnections('k8s-codegen-send-')
const { server, connect } = emulator
let dir: string
let seq = 0
beforeAll(() => {
  dir = emulator.dir
})

async function emulated(options: Parameters<typeof startApiServer>[0] = {}) {
  const s = await server(options)
  const c = await connect({ kubeconfig: await s.kubeconfig(path.join(dir, `kc-${seq++}`)) })
  return { s, c }
}

const json = (body: Uint8Array) =>
  JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>
const configMap = (name: string, data: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data })
const asJson = { contentType: 'application/json' }

async function failure(promise: Promise<unknown>): Promise<ClusterError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ClusterError)
  return error as ClusterError
}

describe('send(): methods and bodies', () => {
  it.each<{ given: string; options: SendOptions; path: string; want: number }>([
    {
      given: 'POST with a string body',
      options: { method: 'POST', body: configMap('a', { k: 'v' }), ...asJson },
      path: CM,
      want: 201,
    },
    {
      given: 'POST with a Uint8Array body',
      options: {
        method: 'POST',
        body: new TextEncoder().encode(configMap('b', { k: 'v' })),
        ...asJson,
      },
      path: CM,
      want: 201,
    },
    { given: 'GET', options: { method: 'GET' }, path: `${CM}/seed`, want: 200 },
    {
      given: 'PUT',
      options: { method: 'PUT', body: configMap('seed', { k: 'put' }), ...asJson },
      path: `${CM}/seed`,
      want: 200,
    },
    {
      given: 'PATCH with a merge patch',
      options: {
        method: 'PATCH',
        body: '{"data":{"k":"patched"}}',
        contentType: 'application/merge-patch+json',
      },
      path: `${CM}/seed`,
      want: 200,
    },
    { given: 'DELETE', options: { method: 'DELETE' }, path: `${CM}/seed`, want: 200 },
    { given: 'HEAD', options: { method: 'HEAD' }, path: CM, want: 200 },
    {
      given: 'a 404 Status is returned',
      options: { method: 'GET' },
      path: `${CM}/absent`,
      want: 404,
    },
  ])('$given → $want', async ({ options, path: target, want }) => {
    const { s, c } = await emulated()
    await c.send(CM, { method: 'POST', body: configMap('seed', { k: 'v' }), ...asJson })
    const res = await c.send(target, options)
    expect(res.status).toBe(want)
    if (options.method === 'HEAD') expect(res.body).toHaveLength(0)
    else if (want === 404)
      expect(json(res.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 })
    else if (options.method !== 'DELETE')
      expect(json(res.body)).toMatchObject({ kind: 'ConfigMap' })
    const logged = s.requests.at(-1)
    expect(logged).toMatchObject({ method: options.method, status: want })
    if (options.contentType !== undefined)
      expect(logged?.headers['content-type']).toBe(options.contentType)
  })

  it('reads back what PUT and PATCH wrote', async () => {
    const { c } = await emulated()
    await c.send(CM, { method: 'POST', body: configMap('x', { a: '1' }), ...asJson })
    await c.send(`${CM}/x`, {
      method: 'PATCH',
      body: '{"data":{"b":"2"}}',
      contentType: 'application/merge-patch+json',
    })
    expect(json((await c.send(`${CM}/x`, { method: 'GET' })).body)['data']).toEqual({
      a: '1',
      b: '2',
    })
  })

  it('returns 403 and a 401 that refreshing cannot fix instead of throwing', async () => {
    const { s, c } = await emulated()
    s.injectFault({ path: `${CM}/x`, kind: 'status', status: 403 })
    expect((await c.send(`${CM}/x`, { method: 'GET' })).status).toBe(403)
    const wrong = await writeKubeconfig(
      dir,
      { server: s.url, caPem: s.caPem, user: { token: 'wrong-send-token-0001' } },
      `wrong-${seq++}`,
    )
    const w = await connect({ kubeconfig: wrong })
    const res = await w.send(CM, { method: 'POST', body: configMap('y'), ...asJson })
    expect(res.status).toBe(401)
    expect(json(res.body)).toMatchObject({ kind: 'Status', reason: 'Unauthorized' })
  })

  it('re-runs an exec plugin once after a 401 and re-sends the body', async () => {
    const s = await server()
    const state = path.join(dir, `plugin-state-${seq++}`)
    const kubeconfig = await writeKubeconfig(
      dir,
      {
        server: s.url,
        caPem: s.caPem,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: process.execPath,
            args: [plugin],
            interactiveMode: 'Never',
            env: [
              { name: 'PLUGIN_STATE', value: state },
              { name: 'PLUGIN_DUMP', value: path.join(dir, `dump-${seq++}`) },
              { name: 'PLUGIN_TOKENS', value: `stale-send-token-0002,${s.token ?? ''}` },
            ],
          },
        },
      },
      `exec-${seq++}`,
    )
    const c = await connect({ kubeconfig })
    const res = await c.send(CM, { method: 'POST', body: configMap('z', { k: 'v' }), ...asJson })
    expect(res.status).toBe(201)
    expect(Number(await readFile(state, 'utf8'))).toBe(2)
    expect(s.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([401, 201])
  })

  it('never lets a caller header replace the credentials', async () => {
    const { s, c } = await emulated()
    const res = await c.send('/version', {
      method: 'GET',
      headers: { Authorization: 'Bearer not-the-kubeconfig-token' },
    })
    expect(res.status).toBe(200)
    expect(s.requests.at(-1)?.status).toBe(200)
  })
})

describe('send(): retries by method', () => {
  it.each<{
    given: string
    method: 'GET' | 'POST' | 'DELETE'
    fault: { status: number; retryAfter?: number }
    want: number[]
  }>([
    {
      given: 'GET not on 503 without Retry-After',
      method: 'GET',
      fault: { status: 503 },
      want: [503],
    },
    {
      given: 'GET on 503 with Retry-After',
      method: 'GET',
      fault: { status: 503, retryAfter: 0 },
      want: [503, 200],
    },
    {
      given: 'GET on 500 with Retry-After',
      method: 'GET',
      fault: { status: 500, retryAfter: 0 },
      want: [500, 200],
    },
    { given: 'GET not on a bare 500', method: 'GET', fault: { status: 500 }, want: [500] },
    {
      given: 'POST on 429 with Retry-After',
      method: 'POST',
      fault: { status: 429, retryAfter: 0 },
      want: [429, 201],
    },
    {
      given: 'POST not on 429 without Retry-After',
      method: 'POST',
      fault: { status: 429 },
      want: [429],
    },
    { given: 'POST not on 500', method: 'POST', fault: { status: 500 }, want: [500] },
    {
      given: 'POST on 503 with Retry-After (client-go checkWait)',
      method: 'POST',
      fault: { status: 503, retryAfter: 0 },
      want: [503, 201],
    },
    {
      given: 'POST not on 503 without Retry-After',
      method: 'POST',
      fault: { status: 503 },
      want: [503],
    },
    {
      given: 'DELETE on 429 with Retry-After',
      method: 'DELETE',
      fault: { status: 429, retryAfter: 0 },
      want: [429, 200],
    },
  ])('$given: $want', async ({ method, fault, want }) => {
    const { s, c } = await emulated()
    await c.send(CM, { method: 'POST', body: configMap('r'), ...asJson })
    s.clearRequests()
    const target = method === 'POST' ? CM : `${CM}/r`
    s.injectFault({ path: target, kind: 'status', times: 1, ...fault })
    const body = method === 'POST' ? { body: configMap('r2'), ...asJson } : {}
    const res = await c.send(target, { method, ...body })
    expect(res.status).toBe(want.at(-1))
    expect(s.requests.map((r) => r.status)).toEqual(want)
  })

  it.each<{ method: 'GET' | 'POST'; want: { code: string; attempts: number } }>([
    { method: 'GET', want: { code: 'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE', attempts: 2 } },
    { method: 'POST', want: { code: 'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE', attempts: 1 } },
  ])(
    'a reset after the request was written: $method retried $want.attempts time(s)',
    async ({ method, want }) => {
      const { s, c } = await emulated()
      await c.send(CM, { method: 'POST', body: configMap('r'), ...asJson })
      s.clearRequests()
      const target = method === 'POST' ? CM : `${CM}/r`
      s.injectFault({ path: target, kind: 'reset', afterBytes: 3 })
      const body = method === 'POST' ? { body: configMap('r2'), ...asJson } : {}
      const e = await failure(c.send(target, { method, ...body, retries: 1 }))
      expect(e.code).toBe(want.code)
      expect(s.requests).toHaveLength(want.attempts)
    },
  )

  describe('failures before a request byte was written', () => {
    let tcp: TcpServer
    let port: number
    let accepted = 0
    beforeAll(async () => {
      // Accepts each connection and resets it at once: the TLS handshake never completes.
      tcp = createTcpServer((socket) => {
        accepted++
        socket.resetAndDestroy()
      })
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve))
      const address = tcp.address()
      port = typeof address === 'object' && address !== null ? address.port : 0
    })
    afterAll(async () => {
      await new Promise<void>((resolve) => tcp.close(() => resolve()))
    })

    it('POST is retried after a reset during the handshake', async () => {
      const kubeconfig = await writeKubeconfig(
        dir,
        {
          server: `https://127.0.0.1:${port}`,
          cluster: { 'insecure-skip-tls-verify': true },
          user: { token: 'reset-token-0003' },
        },
        `reset-${seq++}`,
      )
      const c = await connect({ kubeconfig })
      accepted = 0
      const e = await failure(
        c.send(CM, { method: 'POST', body: configMap('q'), ...asJson, retries: 2 }),
      )
      expect(e.code).toBe('K8S_CODEGEN_CLUSTER_UNREACHABLE')
      expect(e.message).toMatch(/for POST https:\/\/127\.0\.0\.1:\d+\/api\/v1\/.* after 3 attempts/)
      expect(accepted).toBe(3)
    })

    it.each([
      { given: 'send', attempts: 3 },
      { given: 'request', attempts: 1 },
    ])('a refused connection: $given makes $attempts attempt(s)', async ({ given, attempts }) => {
      const closed = createTcpServer()
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
      const address = closed.address()
      const freePort = typeof address === 'object' && address !== null ? address.port : 0
      await new Promise<void>((resolve) => closed.close(() => resolve()))
      const kubeconfig = await writeKubeconfig(
        dir,
        { server: `http://127.0.0.1:${freePort}`, user: {} },
        `refused-${seq++}`,
      )
      const c = await connect({ kubeconfig })
      const e = await failure(
        given === 'send'
          ? c.send(CM, { method: 'POST', body: configMap('q'), ...asJson, retries: 2 })
          : c.request('/version', { retries: 2 }),
      )
      expect(e.code).toBe('K8S_CODEGEN_CLUSTER_UNREACHABLE')
      if (attempts > 1) expect(e.message).toContain(`after ${attempts} attempts`)
      else expect(e.message).not.toContain('attempts')
    })
  })
})

describe('stream()', () => {
  const decoder = new TextDecoder()

  it('outlives the request timeout once the headers are in, through a path prefix', async () => {
    const { s, c } = await emulated({ prefix: '/k8s/clusters/c-1' })
    const st = await c.stream(`${CM}?watch=true&resourceVersion=0`, {
      method: 'GET',
      timeoutMs: 300,
    })
    expect(st.status).toBe(200)
    expect(st.url).toBe(`${s.url}${CM}?watch=true&resourceVersion=0`)
    expect(s.requests.at(-1)?.path).toBe(`/k8s/clusters/c-1${CM}`)
    await new Promise((resolve) => setTimeout(resolve, 600))
    await c.send(CM, { method: 'POST', body: configMap('late'), ...asJson })
    let text = ''
    for await (const chunk of st.body) {
      text += decoder.decode(chunk)
      if (text.includes('"late"')) break
    }
    expect(JSON.parse(text.trim().split('\n').at(-1) ?? '')).toMatchObject({
      type: 'ADDED',
      object: { metadata: { name: 'late' } },
    })
  })

  it('the caller’s signal aborts the body with K8S_CODEGEN_CLUSTER_ABORTED', async () => {
    const { c } = await emulated()
    const controller = new AbortController()
    const st = await c.stream(`${CM}?watch=true`, { method: 'GET', signal: controller.signal })
    const read = (async () => {
      for await (const chunk of st.body) void chunk
    })()
    controller.abort()
    const e = await failure(read)
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_ABORTED')
    expect(e.message).toMatch(
      /^GET https:\/\/127\.0\.0\.1:\d+\/api\/v1\/.*was aborted by the caller$/,
    )
  })

  it('cancel() ends the body without an error', async () => {
    const { c } = await emulated()
    const st = await c.stream(`${CM}?watch=true`, { method: 'GET' })
    const read = (async () => {
      let chunks = 0
      for await (const chunk of st.body) chunks += chunk.byteLength > 0 ? 1 : 0
      return chunks
    })()
    await st.cancel()
    await expect(read).resolves.toBeGreaterThanOrEqual(0)
  })

  it('the timeout applies until the headers arrive', async () => {
    const { s, c } = await emulated()
    s.injectFault({ path: CM, kind: 'latency', ms: 2_000 })
    const e = await failure(c.stream(`${CM}?watch=true`, { method: 'GET', timeoutMs: 200 }))
    expect(e.code).toBe('K8S_CODEGEN_CLUSTER_TIMEOUT')
  })

  it('a non-2xx answer is read whole, retried when allowed, and handed over as its Status', async () => {
    const { s, c } = await emulated()
    s.injectFault({ path: `${CM}/absent`, kind: 'status', status: 503, retryAfter: 0, times: 1 })
    const st = await c.stream(`${CM}/absent`, { method: 'GET' })
    expect(st.status).toBe(404)
    let text = ''
    for await (const chunk of st.body) text += decoder.decode(chunk)
    expect(JSON.parse(text)).toMatchObject({ kind: 'Status', reason: 'NotFound' })
    expect(s.requests.map((r) => r.status)).toEqual([503, 404])
  })
  it('content-decodes a gzip body to the bytes send() returns', async () => {
    const { s, c } = await emulated()
    const st = await c.stream('/openapi/v2', { method: 'GET' })
    expect(s.requests.at(-1)?.headers['accept-encoding']).toBe('gzip')
    const chunks: Uint8Array[] = []
    for await (const chunk of st.body) chunks.push(chunk)
    expect(st.headers['content-encoding']).toBeUndefined()
    const whole = await c.send('/openapi/v2', { method: 'GET' })
    expect(Buffer.concat(chunks).equals(Buffer.from(whole.body))).toBe(true)
  })
})
