import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { get } from './_client.js'

// The `crds` option: installed CRDs appear in /openapi/v3, /openapi/v2 and discovery as
// kube-apiserver serves them.
const CRDS = fileURLToPath(new URL('fixtures/crds', import.meta.url))
const json = async (server: ApiServer, path: string): Promise<Record<string, unknown>> => {
  const response = await get(server, path)
  expect(response.status, path).toBe(200)
  return JSON.parse(response.body.toString('utf8')) as Record<string, unknown>
}

describe('startApiServer({ crds }) on a v2-only (1.13) profile', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: 'kubernetes-1.13', crds: [CRDS], http: true })
  })
  afterAll(async () => {
    await server.close()
  })

  it('lists the CRDs with their own short names, categories, verbs and storage version hash', async () => {
    const v1 = await json(server, '/apis/test.dev/v1')
    expect(v1.resources).toEqual([
      {
        name: 'knobs',
        singularName: 'knob',
        namespaced: false,
        kind: 'Knob',
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        storageVersionHash: expect.any(String) as string,
      },
      {
        name: 'things',
        singularName: 'thing',
        namespaced: true,
        kind: 'Thing',
        verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'],
        shortNames: ['th'],
        categories: ['all'],
        storageVersionHash: expect.any(String) as string,
      },
      {
        name: 'things/scale',
        singularName: '',
        namespaced: true,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      },
      {
        name: 'things/status',
        singularName: '',
        namespaced: true,
        kind: 'Thing',
        verbs: ['get', 'patch', 'update'],
      },
    ])
    const beta = await json(server, '/apis/test.dev/v1beta1')
    const hash = (list: Record<string, unknown>): unknown =>
      (list.resources as { name: string; storageVersionHash?: string }[]).find(
        (r) => r.name === 'things',
      )?.storageVersionHash
    // Every served version reports the storage version's hash.
    expect(hash(beta)).toBe(hash(v1))
  })

  it('groups the served versions with v1 preferred', async () => {
    expect(await json(server, '/apis/test.dev')).toMatchObject({
      name: 'test.dev',
      versions: [
        { groupVersion: 'test.dev/v1', version: 'v1' },
        { groupVersion: 'test.dev/v1beta1', version: 'v1beta1' },
      ],
      preferredVersion: { groupVersion: 'test.dev/v1', version: 'v1' },
    })
  })

  it('adds the CRD routes and definitions to /openapi/v2 of a v2-only server', async () => {
    const v2 = await json(server, '/openapi/v2')
    expect(Object.keys(v2.paths as object)).toContain(
      '/apis/test.dev/v1/namespaces/{namespace}/things/{name}/scale',
    )
    // A v2 root that preserves unknown fields is published as a bare object (buildKubeNative).
    expect((v2.definitions as Record<string, unknown>)['dev.test.v1.Knob']).toEqual({
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: 'test.dev', kind: 'Knob', version: 'v1' }],
    })
  })
})

describe.runIf(recordedProfileDir() !== undefined)(
  'startApiServer({ crds }) on the recorded (v3) profile',
  () => {
    let server: ApiServer
    beforeAll(async () => {
      server = await startApiServer({ crds: [CRDS], http: true })
    })
    afterAll(async () => {
      await server.close()
    })

    it('serves one /openapi/v3 document per served group-version, hash-addressed', async () => {
      const root = await json(server, '/openapi/v3')
      const paths = root.paths as Record<string, { serverRelativeURL: string }>
      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining(['apis/test.dev/v1', 'apis/test.dev/v1beta1']),
      )
      const doc = await json(server, paths['apis/test.dev/v1beta1']?.serverRelativeURL ?? '')
      expect(Object.keys(doc.components as { schemas: object }).length).toBe(1)
      expect(Object.keys((doc.components as { schemas: object }).schemas)).toEqual(
        expect.arrayContaining([
          'dev.test.v1beta1.Thing',
          'dev.test.v1beta1.ThingList',
          'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        ]),
      )
    })

    it('stores the CRDs as apiextensions.k8s.io/v1 objects, as a cluster serving them holds them', async () => {
      const list = await json(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
      const items = list.items as {
        metadata: { name: string; uid?: string; resourceVersion?: string }
        spec: { versions: { name: string; deprecated?: boolean }[] }
      }[]
      expect(items.map((i) => i.metadata.name)).toEqual(['knobs.test.dev', 'things.test.dev'])
      const things = items[1]
      expect(things?.metadata.uid).toEqual(expect.any(String))
      expect(things?.spec.versions.map((v) => [v.name, v.deprecated])).toEqual([
        ['v1beta1', true],
        ['v1', undefined],
      ])
    })
  },
)

// The CRDs are SpecRegistry entries like any served group-version, so the storage serves them:
// create, get, list and the status subresource work on the installed kinds.
describe.each([
  { given: 'the v2-only (1.13) profile', profile: 'kubernetes-1.13' as const },
  ...(recordedProfileDir() === undefined
    ? []
    : [{ given: 'the recorded profile', profile: undefined }]),
])('startApiServer({ crds }) stores custom resources on $given', ({ profile }) => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({
      ...(profile === undefined ? {} : { profile }),
      crds: [CRDS],
      http: true,
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('creates, gets and lists a Thing, and writes its status through /status', async () => {
    const things = '/apis/test.dev/v1/namespaces/default/things'
    const created = await get(server, things, {
      method: 'POST',
      body: {
        apiVersion: 'test.dev/v1',
        kind: 'Thing',
        metadata: { name: 'one' },
        spec: { replicas: 2 },
      },
    })
    expect(created.status, created.body.toString('utf8')).toBe(201)
    const one = await json(server, `${things}/one`)
    expect(one).toMatchObject({ kind: 'Thing', metadata: { name: 'one', namespace: 'default' } })
    const list = await json(server, things)
    expect(list).toMatchObject({ kind: 'ThingList', items: [{ metadata: { name: 'one' } }] })
    const status = await get(server, `${things}/one/status`, {
      method: 'PUT',
      body: { ...one, status: { replicas: 2 } },
    })
    expect(status.status, status.body.toString('utf8')).toBe(200)
    expect(await json(server, `${things}/one`)).toMatchObject({ status: { replicas: 2 } })
  })
})
