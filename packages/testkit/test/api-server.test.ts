import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { get, json } from './_client.js'

const sha512 = (bytes: Uint8Array): string =>
  createHash('sha512').update(bytes).digest('hex').toUpperCase()

const recorded = recordedProfileDir()
if (recorded === undefined) {
  console.warn(
    'skipping recorded-profile conformance tests: ../shared/fixtures/kubernetes is absent',
  )
}

describe.skipIf(recorded === undefined)('recorded profile: /openapi/v3', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: 'recorded' })
  })
  afterAll(async () => {
    await server.close()
  })

  it('lists every group-version and the non-GV keys in a sorted root with no-cache and no ETag', async () => {
    const response = await get(server, '/openapi/v3')
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/json')
    expect(response.headers['cache-control']).toBe('no-cache, private')
    expect(response.headers['etag']).toBeUndefined()
    const root = json(response) as { paths: Record<string, { serverRelativeURL: string }> }
    const keys = Object.keys(root.paths)
    expect(keys).toEqual([...keys].sort())
    for (const key of [
      '.well-known/openid-configuration',
      'api',
      'api/v1',
      'apis',
      'apis/apps',
      'apis/apps/v1',
      'apis/autoscaling/v2',
      'openid/v1/jwks',
      'version',
    ]) {
      expect(keys).toContain(key)
    }
    expect(root.paths['apis/apps/v1']?.serverRelativeURL).toBe(
      `/openapi/v3/apis/apps/v1?hash=${server.hashOf('apis/apps/v1')}`,
    )
  })

  it('hashes exactly the served bytes: uppercase hex SHA-512, quoted in the ETag', async () => {
    const response = await get(server, '/openapi/v3/apis/apps/v1')
    const hash = sha512(response.body)
    expect(hash).toMatch(/^[0-9A-F]{128}$/)
    expect(server.hashOf('apis/apps/v1')).toBe(hash)
    expect(response.headers['etag']).toBe(`"${hash}"`)
    expect(response.headers['vary']).toBe('Accept')
    expect(response.headers['cache-control']).toBe('no-cache, private')
  })

  it('serves the recorded document as compact JSON', async () => {
    const response = await get(server, '/openapi/v3/apis/batch/v1')
    const file = JSON.parse(readFileSync(`${recorded}/v3/apis/batch/v1.json`, 'utf8')) as unknown
    expect(response.body.toString('utf8')).toBe(JSON.stringify(file))
  })

  it('makes a current ?hash= immutable for a year', async () => {
    const hash = server.hashOf('apis/apps/v1') ?? ''
    const before = Date.now()
    const response = await get(server, `/openapi/v3/apis/apps/v1?hash=${hash}`)
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('public, immutable')
    const expires = String(response.headers['expires'])
    expect(expires).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC$/)
    const year = 365 * 24 * 3600 * 1000
    expect(Date.parse(expires.replace(/UTC$/, 'GMT')) - before).toBeGreaterThan(year - 5000)
  })

  it('redirects a stale ?hash= with 301 to the current hash', async () => {
    const response = await get(server, '/openapi/v3/apis/apps/v1?hash=0123ABCD')
    expect(response.status).toBe(301)
    expect(response.headers['location']).toBe(
      `/openapi/v3/apis/apps/v1?hash=${server.hashOf('apis/apps/v1')}`,
    )
    expect(response.body.length).toBe(0)
  })

  it('answers If-None-Match with 304', async () => {
    const etag = `"${server.hashOf('api/v1')}"`
    const response = await get(server, '/openapi/v3/api/v1', { headers: { 'if-none-match': etag } })
    expect(response.status).toBe(304)
    expect(response.body.length).toBe(0)
    expect(response.headers['etag']).toBe(etag)
  })

  it.each([
    { given: 'application/com.github.proto-openapi.spec.v3.v1.0+protobuf', want: 406 },
    { given: 'text/html', want: 406 },
    { given: 'application/json', want: 200 },
    { given: 'application/*', want: 200 },
    { given: 'application/json, */*', want: 200 },
  ])('negotiates Accept $given → $want', async ({ given, want }) => {
    const response = await get(server, '/openapi/v3/apis/batch/v1', { headers: { accept: given } })
    expect(response.status).toBe(want)
    if (want === 406) expect(response.body.length).toBe(0)
  })

  it('answers an unknown key with 404 and an empty body', async () => {
    const response = await get(server, '/openapi/v3/apis/nope.example/v1')
    expect(response.status).toBe(404)
    expect(response.body.length).toBe(0)
  })

  it('serves v2 from the newest recorded v2 document with a quoted uppercase ETag', async () => {
    const response = await get(server, '/openapi/v2', {
      headers: { 'accept-encoding': 'identity' },
    })
    expect(response.status).toBe(200)
    expect(response.headers['etag']).toBe(`"${sha512(response.body)}"`)
    expect(response.headers['vary']).toBe('Accept-Encoding, Accept')
    const file = JSON.parse(readFileSync(`${recorded}/v2/kubernetes-1.36.json`, 'utf8')) as unknown
    expect(response.body.toString('utf8')).toBe(JSON.stringify(file))
  })

  it('gzips v2 when accepted and keeps the ETag of the identity bytes', async () => {
    const plain = await get(server, '/openapi/v2')
    const zipped = await get(server, '/openapi/v2', { headers: { 'accept-encoding': 'gzip' } })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true)
    expect(zipped.headers['etag']).toBe(plain.headers['etag'])
  })
})

describe('kubernetes-1.13 profile (no ../shared needed)', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: 'kubernetes-1.13' })
  })
  afterAll(async () => {
    await server.close()
  })

  it('has no /openapi/v3, as pre-1.24 servers', async () => {
    const response = await get(server, '/openapi/v3')
    expect(response.status).toBe(404)
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(response.body.toString()).toBe('404 page not found\n')
    expect(server.hashOf('api/v1')).toBeUndefined()
  })

  it('reports version 1.13', async () => {
    const version = json(await get(server, '/version')) as {
      major: string
      minor: string
      gitVersion: string
    }
    expect(version).toMatchObject({ major: '1', minor: '13', gitVersion: 'v1.13.4' })
  })

  it('derives discovery from the v2 paths, subresources with their own kinds', async () => {
    const list = json(await get(server, '/apis/apps/v1')) as {
      kind: string
      groupVersion: string
      resources: {
        name: string
        kind: string
        group?: string
        version?: string
        namespaced: boolean
        verbs: string[]
      }[]
    }
    expect(list.kind).toBe('APIResourceList')
    expect(list.groupVersion).toBe('apps/v1')
    const byName = new Map(list.resources.map((r) => [r.name, r]))
    expect(byName.get('deployments')).toMatchObject({
      kind: 'Deployment',
      namespaced: true,
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    })
    expect(byName.get('deployments/scale')).toMatchObject({
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    })
    expect(byName.get('deployments/status')).toMatchObject({
      kind: 'Deployment',
      verbs: ['get', 'patch', 'update'],
    })
    expect(byName.get('deployments/status')).not.toHaveProperty('group')
  })

  it('rejects a missing or wrong token with a 401 Status', async () => {
    for (const token of [null, 'wrong']) {
      const response = await get(server, '/version', { token })
      expect(response.status).toBe(401)
      expect(response.body.toString()).toBe(
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}\n',
      )
    }
  })

  it('logs requests without the Authorization value', async () => {
    server.clearRequests()
    await get(server, '/api?x=1', {
      headers: { accept: 'application/json', 'user-agent': 'testkit-test' },
    })
    expect(server.requests).toEqual([
      {
        method: 'GET',
        path: '/api',
        query: '?x=1',
        status: 200,
        headers: { accept: 'application/json', 'user-agent': 'testkit-test' },
      },
    ])
    expect(JSON.stringify(server.requests)).not.toContain(server.token ?? '')
  })
})
