import { createHash } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { get, json } from './_client.js'
import { tinyProfile, tinyV2 } from './_profiles.js'

const sha512 = (bytes: Uint8Array): string =>
  createHash('sha512').update(bytes).digest('hex').toUpperCase()

const recorded = recordedProfileDir()
if (recorded === undefined) {
  console.warn(
    'skipping the recorded-profile /openapi/v2 and /version tests (/openapi/v3 conformance runs on a throwaway profile): ../shared/fixtures/kubernetes is absent',
  )
}

// The /openapi/v3 conformance suite runs on the recorded specs when present, else on a
// throwaway profile (the example CRD group), so it never depends on ../shared.
const fallback = recorded === undefined ? tinyProfile() : undefined
afterAll(() => fallback?.remove())
const key = recorded === undefined ? 'apis/example.dev/v1' : 'apis/apps/v1'

describe(`/openapi/v3 conformance (${recorded === undefined ? 'throwaway' : 'recorded'} profile)`, () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: recorded ?? fallback?.dir ?? '' })
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
    for (const want of [
      '.well-known/openid-configuration',
      'api',
      'api/v1',
      'apis',
      key.split('/').slice(0, 2).join('/'),
      key,
      'logs',
      'openid/v1/jwks',
      'version',
    ]) {
      expect(keys).toContain(want)
    }
    expect(root.paths[key]?.serverRelativeURL).toBe(`/openapi/v3/${key}?hash=${server.hashOf(key)}`)
    for (const entry of Object.keys(root.paths)) {
      const response = await get(server, root.paths[entry]?.serverRelativeURL ?? '')
      expect(response.status, entry).toBe(200)
      expect(sha512(response.body), entry).toBe(server.hashOf(entry))
    }
  })

  it('serves an ETag and 304 on the root with rootEtag, as Kubernetes 1.27+ servers do', async () => {
    const withEtag = await startApiServer({
      profile: recorded ?? fallback?.dir ?? '',
      rootEtag: true,
    })
    try {
      const response = await get(withEtag, '/openapi/v3')
      expect(response.headers['etag']).toBe(`"${sha512(response.body)}"`)
      const again = await get(withEtag, '/openapi/v3', {
        headers: { 'if-none-match': String(response.headers['etag']) },
      })
      expect(again.status).toBe(304)
      expect(again.body.length).toBe(0)
    } finally {
      await withEtag.close()
    }
  })

  it('hashes exactly the served bytes: uppercase hex SHA-512, quoted in the ETag', async () => {
    const response = await get(server, `/openapi/v3/${key}`)
    const hash = sha512(response.body)
    expect(hash).toMatch(/^[0-9A-F]{128}$/)
    expect(server.hashOf(key)).toBe(hash)
    expect(response.headers['etag']).toBe(`"${hash}"`)
    expect(response.headers['vary']).toBe('Accept')
    expect(response.headers['cache-control']).toBe('no-cache, private')
  })

  it('serves the profile document as compact JSON', async () => {
    const response = await get(server, `/openapi/v3/${key}`)
    const file = JSON.parse(
      readFileSync(`${recorded ?? fallback?.dir}/v3/${key}.json`, 'utf8'),
    ) as unknown
    expect(response.body.toString('utf8')).toBe(JSON.stringify(file))
  })

  it('makes a current ?hash= immutable for a year', async () => {
    const hash = server.hashOf(key) ?? ''
    const before = Date.now()
    const response = await get(server, `/openapi/v3/${key}?hash=${hash}`)
    expect(response.status).toBe(200)
    expect(response.headers['cache-control']).toBe('public, immutable')
    const expires = String(response.headers['expires'])
    expect(expires).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC$/)
    const year = 365 * 24 * 3600 * 1000
    expect(Date.parse(expires.replace(/UTC$/, 'GMT')) - before).toBeGreaterThan(year - 5000)
  })

  it('redirects a stale ?hash= with 301 to the current hash', async () => {
    const response = await get(server, `/openapi/v3/${key}?hash=0123ABCD`)
    expect(response.status).toBe(301)
    expect(response.headers['location']).toBe(`/openapi/v3/${key}?hash=${server.hashOf(key)}`)
    expect(response.headers['etag']).toBe(`"${server.hashOf(key)}"`)
    expect(response.headers['cache-control']).toBe('no-cache, private')
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
    const response = await get(server, `/openapi/v3/${key}`, { headers: { accept: given } })
    expect(response.status).toBe(want)
    if (want === 406) expect(response.body.length).toBe(0)
  })

  it('answers an unknown key with 404 and an empty body', async () => {
    const response = await get(server, '/openapi/v3/apis/nope.example/v1')
    expect(response.status).toBe(404)
    expect(response.body.length).toBe(0)
  })

  it('answers HEAD with the headers and no body', async () => {
    const response = await get(server, `/openapi/v3/${key}`, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers['etag']).toBe(`"${server.hashOf(key)}"`)
    expect(response.body.length).toBe(0)
  })
})

describe.skipIf(recorded === undefined)('recorded profile: /openapi/v2 and /version', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: 'recorded' })
  })
  afterAll(async () => {
    await server.close()
  })

  it('serves another recorded v2 document with the v2 option, and reports its version', async () => {
    const older = await startApiServer({
      profile: 'recorded',
      v2: `${recorded}/v2/kubernetes-1.28.json`,
    })
    try {
      const file = JSON.parse(
        readFileSync(`${recorded}/v2/kubernetes-1.28.json`, 'utf8'),
      ) as unknown
      const response = await get(older, '/openapi/v2', {
        headers: { 'accept-encoding': 'identity' },
      })
      expect(response.body.toString('utf8')).toBe(JSON.stringify(file))
      expect(json(await get(older, '/version'))).toMatchObject({
        gitVersion: 'v1.28.0',
        minor: '28',
      })
    } finally {
      await older.close()
    }
  })

  it('reports the version of the newest recorded v2 document', async () => {
    const version = json(await get(server, '/version')) as { gitVersion: string; minor: string }
    expect(version).toMatchObject({ gitVersion: 'v1.36.0', minor: '36' })
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
    expect(zipped.headers['content-length']).toBeUndefined()
    expect(zipped.headers['transfer-encoding']).toBe('chunked')
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true)
    expect(zipped.headers['etag']).toBe(plain.headers['etag'])
  })
})

describe('/openapi/v2 conformance (throwaway profile)', () => {
  const profile = tinyProfile()
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: profile.dir })
  })
  afterAll(async () => {
    await server.close()
    profile.remove()
  })

  it('serves the profile v2.json with ETag and Vary, uncompressed below 1400 bytes', async () => {
    const response = await get(server, '/openapi/v2', { headers: { 'accept-encoding': 'gzip' } })
    expect(response.status).toBe(200)
    expect(response.headers['content-encoding']).toBeUndefined()
    expect(response.body.toString()).toBe(JSON.stringify(tinyV2))
    expect(response.headers['etag']).toBe(`"${sha512(response.body)}"`)
    expect(response.headers['vary']).toBe('Accept-Encoding, Accept')
    expect(response.headers['content-type']).toBe('application/json')
  })

  it('answers If-None-Match with 304 and an empty body', async () => {
    const etag = String((await get(server, '/openapi/v2')).headers['etag'])
    const response = await get(server, '/openapi/v2', { headers: { 'if-none-match': etag } })
    expect(response.status).toBe(304)
    expect(response.body.length).toBe(0)
  })

  // kube-openapi `pkg/handler/handler.go`: the first clause (by q, then specificity) naming JSON
  // or either protobuf media type picks the body; protobuf goes out as the v1.0 type.
  const protobuf = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'
  it.each([
    { given: protobuf, want: { status: 200, type: protobuf } },
    {
      given: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      want: { status: 200, type: protobuf },
    },
    { given: 'text/plain', want: { status: 406, type: undefined } },
    { given: '*/*', want: { status: 200, type: 'application/json' } },
    { given: 'application/*', want: { status: 200, type: 'application/json' } },
    { given: `application/json;q=0.9, ${protobuf}`, want: { status: 200, type: protobuf } },
    {
      given: `${protobuf};q=0.9, application/json`,
      want: { status: 200, type: 'application/json' },
    },
  ])('negotiates Accept $given → $want.status $want.type', async ({ given, want }) => {
    const response = await get(server, '/openapi/v2', { headers: { accept: given } })
    expect({ status: response.status, type: response.headers['content-type'] }).toEqual(want)
    if (want.status === 406) expect(response.body.length).toBe(0)
  })

  it('gives the protobuf the ETag of the JSON (the Vary header tells them apart)', async () => {
    const json = await get(server, '/openapi/v2')
    const response = await get(server, '/openapi/v2', {
      headers: { accept: protobuf, 'if-none-match': String(json.headers['etag']) },
    })
    expect(response.status).toBe(304)
  })

  it('reports /version from a profile version.json when present', async () => {
    const version = {
      major: '1',
      minor: '31',
      gitVersion: 'v1.31.4+k3s1',
      gitCommit: 'abc',
      gitTreeState: 'clean',
      buildDate: '2024-12-01T00:00:00Z',
      goVersion: 'go1.22.9',
      compiler: 'gc',
      platform: 'linux/arm64',
    }
    writeFileSync(join(profile.dir, 'version.json'), JSON.stringify(version))
    const k3s = await startApiServer({ profile: profile.dir })
    try {
      expect(json(await get(k3s, '/version'))).toEqual(version)
    } finally {
      await k3s.close()
      rmSync(join(profile.dir, 'version.json'))
    }
  })

  it('reports the version from version.json-less v2 info', async () => {
    expect(json(await get(server, '/version'))).toMatchObject({
      gitVersion: 'v1.30.2',
      major: '1',
      minor: '30',
    })
  })

  it.each([
    { given: '/api', want: { kind: 'APIVersions', versions: ['v1'] } },
    { given: '/apis', want: { kind: 'APIGroupList', apiVersion: 'v1' } },
    {
      given: '/apis/example.dev',
      want: {
        kind: 'APIGroup',
        name: 'example.dev',
        preferredVersion: { groupVersion: 'example.dev/v1', version: 'v1' },
      },
    },
    { given: '/api/v1', want: { kind: 'APIResourceList', groupVersion: 'v1' } },
  ])('serves discovery $given', async ({ given, want }) => {
    const response = await get(server, given)
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/json')
    expect(response.body.toString().endsWith('}\n')).toBe(true)
    expect(json(response)).toMatchObject(want)
  })

  it.each([{ given: '/api/v1/namespaces/default/absentresources', want: 404 }])(
    'answers $given with a NotFound Status',
    async ({ given, want }) => {
      const response = await get(server, given)
      expect(response.status).toBe(want)
      expect(json(response)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 })
    },
  )

  // A group no one serves is past go-restful (apiserver pkg/server/handler.go director): Go's
  // text 404, as kube-apiserver answers (server-parity "a path of a group the server …").
  it.each(['/apis/absent.dev/v1', '/apis/absent.dev', '/apis/absent.dev/v1/things'])(
    'answers %s with Go’s text 404',
    async (given) => {
      const response = await get(server, given)
      expect(response.status).toBe(404)
      expect(response.body.toString()).toBe('404 page not found\n')
    },
  )
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
