import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  negotiateAggregatedDiscovery,
  type APIGroupDiscovery,
  type APIResourceDiscovery,
} from '../src/aggregated-discovery.js'
import { recordedProfileDir, startApiServer, type ApiServer } from '../src/index.js'
import { versionInfo } from '../src/profile.js'
import { get } from './_client.js'

// Aggregated discovery (apiserver pkg/endpoints/discovery/aggregated) on /api and /apis.
const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'
const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'
const CRDS = [
  fileURLToPath(new URL('fixtures/crds', import.meta.url)),
  fileURLToPath(new URL('fixtures/crds-preferred', import.meta.url)),
]

describe('negotiateAggregatedDiscovery', () => {
  it.each([
    // kubectl ≥ 1.26 asks v2, then v2beta1, then the legacy document.
    { given: [KUBECTL_ACCEPT, 'v1.36.0'], want: 'v2' },
    { given: [KUBECTL_ACCEPT, 'v1.31.0'], want: 'v2' },
    { given: [KUBECTL_ACCEPT, 'v1.28.0'], want: 'v2beta1' },
    { given: [KUBECTL_ACCEPT, 'v1.26.0'], want: undefined },
    { given: [KUBECTL_ACCEPT, 'v1.13.4'], want: undefined },
    // AggregatedDiscoveryRemoveBetaType: v2beta1 is gone from 1.33.
    { given: [V2BETA1, 'v1.32.0'], want: 'v2beta1' },
    { given: [V2BETA1, 'v1.33.0'], want: undefined },
    { given: ['application/json', 'v1.36.0'], want: undefined },
    { given: [undefined, 'v1.36.0'], want: undefined },
    // The emulator speaks JSON only: a protobuf clause is skipped.
    {
      given: [
        `application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,${V2}`,
        'v1.36.0',
      ],
      want: 'v2',
    },
    // Higher q first; the first acceptable clause decides.
    { given: [`application/json;q=0.9,${V2}`, 'v1.36.0'], want: 'v2' },
    { given: [`application/json,${V2}`, 'v1.36.0'], want: undefined },
    { given: [`application/json;as=Table;v=v1;g=meta.k8s.io,${V2}`, 'v1.36.0'], want: 'v2' },
    { given: [`*/*;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`, 'v1.36.0'], want: 'v2' },
  ])('$given → $want', ({ given: [accept, version], want }) => {
    expect(negotiateAggregatedDiscovery(accept, versionInfo(version as string))).toBe(want)
  })
})

interface Answer {
  kind: string
  items: APIGroupDiscovery[]
  versions?: { version: string }[]
  preferredVersion?: { version: string }
  resources?: { storageVersionHash?: string }[]
}

function groupNamed(doc: Answer, name: string): APIGroupDiscovery {
  const found = doc.items.find((g) => g.metadata.name === name)
  if (found === undefined) throw new Error(`no group ${name}`)
  return found
}

const CRD_VERBS = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
]
const PREFERRED_FIRST = ['v1', 'v1beta2', 'v2alpha1', 'v1alpha1']

describe.runIf(recordedProfileDir() !== undefined)('aggregated discovery (recorded, 1.36)', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ crds: CRDS, http: true })
  })
  afterAll(async () => {
    await server.close()
  })
  const aggregated = async (path: string, accept = KUBECTL_ACCEPT): Promise<Answer> => {
    const response = await get(server, path, { headers: { Accept: accept } })
    expect(response.status, path).toBe(200)
    return JSON.parse(response.body.toString('utf8')) as Answer
  }

  it('answers an APIGroupDiscoveryList with the etag.go headers, and 304 to its ETag', async () => {
    const response = await get(server, '/apis', { headers: { Accept: KUBECTL_ACCEPT } })
    expect(response.headers).toMatchObject({
      'content-type': 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      'cache-control': 'public',
      vary: 'Accept',
    })
    const text = response.body.toString('utf8')
    expect(text).toMatch(
      /^\{"kind":"APIGroupDiscoveryList","apiVersion":"apidiscovery.k8s.io\/v2","metadata":\{\},"items":\[.*\]\}\n$/,
    )
    // calculateETag: SHA-512 of the v2 list's JSON without kind and apiVersion.
    const { items } = JSON.parse(text) as Answer
    const hash = createHash('sha512').update(JSON.stringify({ metadata: {}, items }))
    const etag = `"${hash.digest('hex').toUpperCase()}"`
    expect(response.headers.etag).toBe(etag)
    const cached = await get(server, '/apis', {
      headers: { Accept: KUBECTL_ACCEPT, 'If-None-Match': etag },
    })
    expect([cached.status, cached.body.length, cached.headers.etag]).toEqual([304, 0, etag])
  })

  it('lists the core group at /api, its kinds without group and version (installer.go)', async () => {
    const doc = await aggregated('/api')
    expect(doc.items).toHaveLength(1)
    expect(doc.items[0]?.metadata).toEqual({ creationTimestamp: null })
    const v1 = doc.items[0]?.versions[0]
    expect([v1?.version, v1?.freshness]).toEqual(['v1', 'Current'])
    const pods = v1?.resources?.find((r) => r.resource === 'pods')
    expect(pods).toMatchObject({
      responseKind: { group: '', version: '', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
      categories: ['all'],
    })
    expect(pods?.subresources).toContainEqual({
      subresource: 'eviction',
      responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' },
      verbs: ['create'],
    })
  })

  it('lists a CRD group as the CRD discovery controller does, highest version first', async () => {
    const testDev = groupNamed(await aggregated('/apis'), 'test.dev')
    expect(testDev.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1'])
    const resources: APIResourceDiscovery[] = [
      {
        resource: 'knobs',
        responseKind: { group: 'test.dev', version: 'v1', kind: 'Knob' },
        scope: 'Cluster',
        singularResource: 'knob',
        verbs: CRD_VERBS,
      },
      {
        resource: 'things',
        responseKind: { group: 'test.dev', version: 'v1', kind: 'Thing' },
        scope: 'Namespaced',
        singularResource: 'thing',
        verbs: CRD_VERBS,
        shortNames: ['th'],
        categories: ['all'],
        subresources: [
          {
            subresource: 'status',
            responseKind: { group: 'test.dev', version: 'v1', kind: 'Thing' },
            verbs: ['get', 'patch', 'update'],
          },
          {
            subresource: 'scale',
            responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
            verbs: ['get', 'patch', 'update'],
          },
        ],
      },
    ]
    expect(testDev.versions[0]).toEqual({ version: 'v1', resources, freshness: 'Current' })
  })

  it('prefers the highest version, not the storage version (sortGroupDiscoveryByKubeAwareVersion)', async () => {
    // customresource_discovery_controller.go sync(): versions sorted by
    // CompareKubeAwareVersionStrings, PreferredVersion = the first; gizmos are stored as v1alpha1.
    const group = await aggregated('/apis/pref.dev', 'application/json')
    expect(group.versions?.map((v) => v.version)).toEqual(PREFERRED_FIRST)
    expect(group.preferredVersion?.version).toBe('v1')
    const pref = groupNamed(await aggregated('/apis'), 'pref.dev')
    expect(pref.versions.map((v) => v.version)).toEqual(PREFERRED_FIRST)
    // Every served version reports the storage version's hash.
    const list = await aggregated('/apis/pref.dev/v1', 'application/json')
    const hash = createHash('sha256').update('pref.dev/v1alpha1/Gizmo').digest().subarray(0, 8)
    expect(list.resources?.[0]?.storageVersionHash).toBe(hash.toString('base64'))
  })

  it('answers the legacy documents to a plain Accept, and Stale for an unavailable group-version', async () => {
    expect((await aggregated('/apis', 'application/json')).kind).toBe('APIGroupList')
    expect((await aggregated('/api', 'application/json')).kind).toBe('APIVersions')
    // v2beta1 is not served from 1.33 (AggregatedDiscoveryRemoveBetaType): the legacy document.
    expect((await aggregated('/apis', V2BETA1)).kind).toBe('APIGroupList')
    server.markUnavailable('apis/batch/v1')
    const batch = groupNamed(await aggregated('/apis', V2), 'batch')
    expect(batch.versions).toEqual([{ version: 'v1', freshness: 'Stale' }])
  })
})

describe('aggregated discovery on a server that predates it (1.13)', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ profile: 'kubernetes-1.13', http: true })
  })
  afterAll(async () => {
    await server.close()
  })

  it('ignores the as parameter and answers the legacy documents', async () => {
    for (const [path, kind] of [
      ['/apis', 'APIGroupList'],
      ['/api', 'APIVersions'],
    ]) {
      const response = await get(server, path as string, { headers: { Accept: KUBECTL_ACCEPT } })
      expect(response.headers['content-type']).toBe('application/json')
      expect((JSON.parse(response.body.toString('utf8')) as { kind: string }).kind).toBe(kind)
    }
  })
})
