import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, rawGet, send } from './_client.js'

// Requests an attacker (or a buggy client) sends: each is answered as kube-apiserver answers it,
// with its own limits (apiserver `pkg/server/config.go`, `pkg/endpoints/handlers/patch.go`,
// `rest.go`; etcd's request size), a Status for every error, and the server still up after.
const cms = '/api/v1/namespaces/default/configmaps'
type Obj = { metadata: Record<string, unknown>; data?: Record<string, unknown> }

describe('hostile requests', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true })
  })
  afterAll(() => server.close())

  const create = async (name: string, data: Record<string, string>): Promise<void> => {
    const response = await send(server, 'POST', cms, { metadata: { name }, data })
    expect(response.status, response.body.toString()).toBe(201)
  }
  const patch = (name: string, type: string, body: unknown, query = ''): ReturnType<typeof send> =>
    send(
      server,
      'PATCH',
      `${cms}/${name}${query}`,
      typeof body === 'string' ? body : JSON.stringify(body),
      { 'content-type': type },
    )

  it('a JSON patch whose copies double the object stops at the 3 MiB copy limit (422)', async () => {
    await create('doubling', { a: 'x'.repeat(1000) })
    const ops = Array.from({ length: 40 }, (_, i) => ({
      op: 'copy',
      from: '/data',
      path: `/data/k${i}`,
    }))
    const response = await patch('doubling', 'application/json-patch+json', ops)
    expect(response.status).toBe(422)
    expect(json(response)).toMatchObject({
      kind: 'Status',
      code: 422,
      // Without the limit the patch applies (200); its text is dropped as every JSON patch
      // failure's is (patch.go applyJSPatch → NewGenericServerResponse).
      message: 'the server rejected our request due to an error in our request',
    })
    expect((await get(server, `${cms}/doubling`)).status).toBe(200)
  })

  it('a JSON patch of more than 10,000 operations is 413', async () => {
    await create('many-ops', { a: '1' })
    const ops = Array.from({ length: 10_001 }, () => ({ op: 'test', path: '/data/a', value: '1' }))
    const response = await patch('many-ops', 'application/json-patch+json', ops)
    expect(response.status).toBe(413)
    expect(json(response)).toMatchObject({
      reason: 'RequestEntityTooLarge',
      message:
        'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    })
  })

  it.each([
    {
      given: 'a create of an object over etcd’s 1.5 MiB',
      request: (): ReturnType<typeof send> =>
        send(server, 'POST', cms, {
          metadata: { name: 'huge' },
          data: { a: 'x'.repeat(1.6 * 1024 * 1024) },
        }),
    },
    {
      // etcd counts bytes: 800,000 characters of two UTF-8 bytes each are over 1.5 MiB.
      given: 'a create under 1.5 Mi characters but over 1.5 MiB of UTF-8',
      request: (): ReturnType<typeof send> =>
        send(server, 'POST', cms, {
          metadata: { name: 'huge' },
          data: { a: '\u00e9'.repeat(800_000) },
        }),
    },
    {
      // YAML aliases expand a 40 KB anchor 80 times: a 3.2 MB ConfigMap from a small body.
      given: 'a server-side apply whose aliases expand past etcd’s 1.5 MiB',
      request: (): ReturnType<typeof send> =>
        patch(
          'huge',
          'application/apply-patch+yaml',
          [
            'apiVersion: v1',
            'kind: ConfigMap',
            'metadata: {name: huge}',
            'data:',
            `  k0: &big ${'y'.repeat(40_000)}`,
            ...Array.from({ length: 80 }, (_, i) => `  k${i + 1}: *big`),
          ].join('\n'),
          '?fieldManager=attacker',
        ),
    },
  ])('$given is etcd’s 500 “request is too large”, and nothing is stored', async ({ request }) => {
    const response = await request()
    expect(response.status).toBe(500)
    expect(json(response)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'etcdserver: request is too large',
      code: 500,
    })
    expect((await get(server, `${cms}/huge`)).status).toBe(404)
  })

  it.each([
    {
      given: 'JSON nested 10,001 deep',
      body: `${'{"a":'.repeat(10_001)}1${'}'.repeat(10_001)}`,
      want: 400,
    },
    {
      given: 'an array nested 100,000 deep',
      body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      want: 400,
    },
  ])('$given is a $want Status, and the server stays up', async ({ body, want }) => {
    const response = await send(server, 'POST', cms, body, { 'content-type': 'application/json' })
    expect(response.status).toBe(want)
    expect(json(response)).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: expect.stringMatching(/exceeded max depth$/) as unknown,
    })
    expect((await get(server, '/api/v1/namespaces/default')).status).toBe(200)
  })

  it('JSON nested under the depth limit still gets a Status, whatever the answer', async () => {
    const body = `{"metadata":{"name":"deep"},"data":${'{"a":'.repeat(9_000)}1${'}'.repeat(9_000)}}`
    const response = await send(server, 'POST', cms, body, { 'content-type': 'application/json' })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(json(response)).toMatchObject({ kind: 'Status', code: response.status })
  })

  describe('__proto__ and other Object.prototype names are data keys', () => {
    const keys = JSON.parse('{"__proto__":"p","constructor":"c","toString":"t"}') as Record<
      string,
      string
    >
    it.each([
      {
        given: 'create',
        run: () =>
          send(
            server,
            'POST',
            cms,
            JSON.stringify({ metadata: { name: 'k-create' }, data: keys }),
            { 'content-type': 'application/json' },
          ),
        name: 'k-create',
      },
      {
        given: 'merge patch',
        run: async () => {
          await create('k-merge', {})
          return patch('k-merge', 'application/merge-patch+json', JSON.stringify({ data: keys }))
        },
        name: 'k-merge',
      },
      {
        given: 'strategic merge patch',
        run: async () => {
          await create('k-smp', {})
          return patch(
            'k-smp',
            'application/strategic-merge-patch+json',
            JSON.stringify({ data: keys }),
          )
        },
        name: 'k-smp',
      },
      {
        given: 'JSON patch',
        run: async () => {
          await create('k-json', { x: '1' })
          return patch(
            'k-json',
            'application/json-patch+json',
            Object.entries(keys).map(([k, v]) => ({ op: 'add', path: `/data/${k}`, value: v })),
          )
        },
        name: 'k-json',
      },
      {
        given: 'server-side apply',
        run: () =>
          patch(
            'k-apply',
            'application/apply-patch+yaml',
            'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k-apply}\ndata: {__proto__: p, constructor: c, toString: t}\n',
            '?fieldManager=m',
          ),
        name: 'k-apply',
      },
    ])('$given keeps them', async ({ run, name }) => {
      const response = await run()
      expect(response.status, response.body.toString()).toBeLessThan(300)
      const stored = json(await get(server, `${cms}/${name}`)) as Obj
      expect(Object.entries(stored.data ?? {}).filter(([k]) => k in keys)).toEqual(
        Object.entries(keys),
      )
    })

    it('a JSON patch through __proto__ neither reaches Object.prototype nor applies', async () => {
      await create('pollute', { a: '1' })
      const response = await patch('pollute', 'application/json-patch+json', [
        { op: 'add', path: '/metadata/__proto__/polluted', value: 'yes' },
      ])
      expect(response.status).toBe(422)
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    })
  })

  describe('paths are routed as Go routes them: decoded, split, never resolved', () => {
    it.each([
      // net/http keeps `..` segments (only ServeMux cleans, and the apiserver does not use it); the
      // request-info resolver reads group `..`, version `..`: no such group-version.
      { given: '/apis/%2e%2e/%2e%2e/api/v1/secrets', want: 404, message: undefined },
      { given: '/api/v1/namespaces/default/%2e%2e/%2e%2e/secrets', want: 404, message: undefined },
      // A name from the URL must be a valid path segment (store.go NamespaceKeyFunc).
      {
        given: `${cms}/%2e%2e`,
        want: 400,
        message: 'Name parameter invalid: "..": may not be \'..\'',
      },
      { given: `${cms}/%2E`, want: 400, message: 'Name parameter invalid: ".": may not be \'.\'' },
      {
        given: `${cms}/a%25b`,
        want: 400,
        message: 'Name parameter invalid: "a%b": may not contain \'%\'',
      },
      // `%2F` is a separator once decoded: configmap `a`, subresource `b`, which does not exist.
      { given: `${cms}/a%2Fb`, want: 404, message: undefined },
    ])('GET $given → $want', async ({ given, want, message }) => {
      const response = await rawGet(server, given)
      expect(response.status).toBe(want)
      expect(response.body.toString()).not.toContain('SecretList')
      if (message !== undefined)
        expect(response.body.toString()).toContain(JSON.stringify(message).slice(1, -1))
    })
  })

  describe('a 413 body', () => {
    // Go net/http reads up to 256 KiB of what a handler left unread to keep the connection.
    const exchange = (
      bodyBytes: number,
    ): Promise<{ first: string; second: string; closed: boolean }> => {
      const { port } = new URL(server.url)
      return new Promise((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: Number(port) })
        let text = ''
        let closed = false
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1')
          const responses = text.split(/(?=HTTP\/1\.1 )/)
          if (responses.length >= 2 && /\r\n0\r\n\r\n$/.test(text)) {
            socket.end()
            resolve({ first: responses[0] ?? '', second: responses[1] ?? '', closed })
          }
        })
        socket.on('error', (error: NodeJS.ErrnoException) => {
          if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
        })
        socket.on('close', () => {
          closed = true
          resolve({ first: text, second: '', closed })
        })
        socket.on('connect', () => {
          const auth = `Authorization: Bearer ${server.token ?? ''}\r\n`
          socket.write(
            `POST ${cms} HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${bodyBytes}\r\n\r\n`,
          )
          socket.write(Buffer.alloc(bodyBytes, 0x20), () => {
            socket.write(`GET /api/v1/namespaces/default HTTP/1.1\r\nHost: x\r\n${auth}\r\n`)
          })
        })
      })
    }

    it('just over 3 MiB: 413, and the kept-alive connection answers the next request', async () => {
      const { first, second } = await exchange(3 * 1024 * 1024 + 10)
      expect(first).toMatch(/^HTTP\/1\.1 413 /)
      expect(first).toContain('Request entity too large: limit is 3145728')
      expect(first.toLowerCase()).not.toContain('connection: close')
      expect(second).toMatch(/^HTTP\/1\.1 200 /)
    })

    it('more than 256 KiB over: 413 with Connection: close, and the connection ends cleanly', async () => {
      const { first, second, closed } = await exchange(4 * 1024 * 1024)
      expect(first).toMatch(/^HTTP\/1\.1 413 /)
      expect(first.toLowerCase()).toContain('connection: close')
      expect(second).toBe('')
      expect(closed).toBe(true)
    })
  })
})
