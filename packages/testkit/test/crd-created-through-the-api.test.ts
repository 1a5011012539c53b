import { isDeepStrictEqual } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, openWatch, send, type RawResponse } from './_client.js'

// A CRD created, updated and deleted through the API while the emulator runs, as
// apiextensions-apiserver answers it (crd-controller.ts): Established, then served — resources,
// discovery, OpenAPI — from its current spec; deleted with its custom resources.
type Obj = Record<string, unknown> & { metadata: Record<string, unknown> }
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'

function crdOf(
  group: string,
  names: { plural: string; kind: string; shortNames?: string[] },
  versions: { name: string; served?: boolean; storage?: boolean }[] = [{ name: 'v1' }],
): Obj {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { ...names, singular: names.kind.toLowerCase() },
      versions: versions.map((v, i) => ({
        name: v.name,
        served: v.served ?? true,
        storage: v.storage ?? i === 0,
        additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer', maximum: 10 } } },
            },
          },
        },
      })),
    },
  }
}

// What the CRD's status says once its controllers have run (they answer after the request).
async function settled(server: ApiServer, name: string): Promise<Obj> {
  for (let i = 0; i < 100; i += 1) {
    const response = await get(server, `${CRDS}/${name}`)
    const crd = json(response) as Obj
    const conditions = (crd['status'] as { conditions?: unknown[] } | undefined)?.conditions
    if (response.status === 200 && conditions !== undefined) return crd
    await sleep(10)
  }
  throw new Error(`${name} has no conditions`)
}

const conditionsOf = (crd: Obj): Record<string, string> =>
  Object.fromEntries(
    (
      (crd['status'] as { conditions: { type: string; status: string; reason: string }[] })
        .conditions ?? []
    ).map((c) => [c.type, `${c.status} ${c.reason}`]),
  )

async function gone(server: ApiServer, path: string): Promise<RawResponse> {
  for (let i = 0; i < 100; i += 1) {
    const response = await get(server, path)
    if (response.status === 404) return response
    await sleep(10)
  }
  return get(server, path)
}

describe('a CRD created through the API', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, profile: 'recorded' })
    expect(
      (
        await send(
          server,
          'POST',
          CRDS,
          crdOf('later.example.dev', { plural: 'gizmos', kind: 'Gizmo', shortNames: ['gz'] }),
        )
      ).status,
    ).toBe(201)
  })
  afterAll(() => server.close())

  it('is Established by the server, with its accepted names and stored version', async () => {
    const crd = await settled(server, 'gizmos.later.example.dev')
    expect(conditionsOf(crd)).toEqual({
      NamesAccepted: 'True NoConflicts',
      Established: 'True InitialNamesAccepted',
    })
    expect(crd['status']).toMatchObject({
      acceptedNames: {
        plural: 'gizmos',
        singular: 'gizmo',
        shortNames: ['gz'],
        kind: 'Gizmo',
        listKind: 'GizmoList',
      },
      storedVersions: ['v1'],
    })
  })

  it.each([
    {
      given: 'create',
      path: '/apis/later.example.dev/v1/namespaces/default/gizmos',
      method: 'POST',
      body: {
        apiVersion: 'later.example.dev/v1',
        kind: 'Gizmo',
        metadata: { name: 'g1' },
        spec: { size: 3 },
      },
      want: 201,
    },
    {
      given: 'create refused by the CRD schema',
      path: '/apis/later.example.dev/v1/namespaces/default/gizmos',
      method: 'POST',
      body: {
        apiVersion: 'later.example.dev/v1',
        kind: 'Gizmo',
        metadata: { name: 'g2' },
        spec: { size: 11 },
      },
      want: 422,
    },
    {
      given: 'get',
      path: '/apis/later.example.dev/v1/namespaces/default/gizmos/g1',
      method: 'GET',
      want: 200,
    },
    { given: 'list', path: '/apis/later.example.dev/v1/gizmos', method: 'GET', want: 200 },
  ])('serves its resource: $given → $want', async ({ path, method, body, want }) => {
    await settled(server, 'gizmos.later.example.dev')
    expect((await send(server, method, path, body)).status).toBe(want)
  })

  it.each([
    {
      given: '/apis',
      want: (body: unknown) => JSON.stringify(body).includes('"later.example.dev"'),
    },
    {
      given: '/apis/later.example.dev',
      want: (body: unknown) => (body as Obj)['preferredVersion'] !== undefined,
    },
    {
      given: '/apis/later.example.dev/v1',
      want: (body: unknown) => {
        const [resource] = (body as { resources: Record<string, unknown>[] }).resources
        return isDeepStrictEqual(resource, {
          name: 'gizmos',
          singularName: 'gizmo',
          namespaced: true,
          kind: 'Gizmo',
          verbs: [
            'delete',
            'deletecollection',
            'get',
            'list',
            'patch',
            'create',
            'update',
            'watch',
          ],
          shortNames: ['gz'],
          storageVersionHash: resource?.['storageVersionHash'],
        })
      },
    },
    {
      given: '/openapi/v3',
      want: (body: unknown) =>
        /^\/openapi\/v3\/apis\/later\.example\.dev\/v1\?hash=[0-9A-F]+$/.test(
          String(
            (body as { paths: Record<string, { serverRelativeURL: string }> }).paths[
              'apis/later.example.dev/v1'
            ]?.serverRelativeURL,
          ),
        ),
    },
    {
      given: '/openapi/v3/apis/later.example.dev/v1',
      want: (body: unknown) =>
        (body as { components: { schemas: Record<string, unknown> } }).components.schemas[
          'dev.example.later.v1.Gizmo'
        ] !== undefined,
    },
    {
      given: '/openapi/v2',
      want: (body: unknown) =>
        (body as { paths: Record<string, unknown> }).paths[
          '/apis/later.example.dev/v1/namespaces/{namespace}/gizmos'
        ] !== undefined,
    },
  ])('is in discovery and OpenAPI: $given', async ({ given, want }) => {
    await settled(server, 'gizmos.later.example.dev')
    const response = await get(server, given)
    expect(response.status).toBe(200)
    expect(want(json(response))).toBe(true)
  })

  it('is in aggregated discovery', async () => {
    await settled(server, 'gizmos.later.example.dev')
    const response = await get(server, '/apis', {
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
    })
    const groups = (json(response) as { items: { metadata: { name: string } }[] }).items
    expect(groups.map((g) => g.metadata.name)).toContain('later.example.dev')
  })

  it('a watch on its resource sees its custom resources', async () => {
    await settled(server, 'gizmos.later.example.dev')
    const gizmos = '/apis/later.example.dev/v1/namespaces/default/gizmos'
    const listed = json(await get(server, gizmos)) as { metadata: { resourceVersion: string } }
    const watch = await openWatch(
      server,
      `${gizmos}?watch=true&resourceVersion=${listed.metadata.resourceVersion}`,
    )
    try {
      await send(server, 'POST', gizmos, {
        apiVersion: 'later.example.dev/v1',
        kind: 'Gizmo',
        metadata: { name: 'watched' },
      })
      const events = await watch.waitFor(1)
      expect(
        events.map((e) => [e.type, (e.object['metadata'] as Obj['metadata'])['name']]),
      ).toEqual([['ADDED', 'watched']])
    } finally {
      watch.close()
    }
  })
})

describe('a CRD updated and deleted through the API', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, profile: 'recorded' })
  })
  afterAll(() => server.close())

  it.each([
    {
      given: 'a version added',
      group: 'added.example.dev',
      versions: [{ name: 'v1' }, { name: 'v2', storage: false }],
      want: { v1: 200, v2: 200, preferred: 'v2' },
    },
    {
      given: 'v1 no longer served',
      group: 'unserved.example.dev',
      versions: [
        { name: 'v1', served: false },
        { name: 'v2', storage: false },
      ],
      want: { v1: 404, v2: 200, preferred: 'v2' },
    },
    {
      given: 'the storage version moved to v2',
      group: 'moved.example.dev',
      versions: [
        { name: 'v1', storage: false },
        { name: 'v2', storage: true },
      ],
      want: { v1: 200, v2: 200, preferred: 'v2', storedVersions: ['v1', 'v2'] },
    },
  ])('an update with $given changes what is served', async ({ group, versions, want }) => {
    const name = `things.${group}`
    await send(server, 'POST', CRDS, crdOf(group, { plural: 'things', kind: 'Thing' }))
    const live = await settled(server, name)
    const next = crdOf(group, { plural: 'things', kind: 'Thing' }, versions)
    next.metadata['resourceVersion'] = live.metadata['resourceVersion']
    expect((await send(server, 'PUT', `${CRDS}/${name}`, next)).status).toBe(200)
    let answers: Record<string, unknown> = {}
    for (let i = 0; i < 100; i += 1) {
      const crd = json(await get(server, `${CRDS}/${name}`)) as Obj
      answers = {
        v1: (await get(server, `/apis/${group}/v1/things`)).status,
        v2: (await get(server, `/apis/${group}/v2/things`)).status,
        preferred: (
          json(await get(server, `/apis/${group}`)) as { preferredVersion?: { version: string } }
        ).preferredVersion?.version,
        ...('storedVersions' in want
          ? { storedVersions: (crd['status'] as { storedVersions: string[] }).storedVersions }
          : {}),
      }
      if (JSON.stringify(answers) === JSON.stringify(want)) break
      await sleep(10)
    }
    expect(answers).toEqual(want)
  })

  // naming_controller.go checks plural, singular, short names, kind, list kind in that order;
  // the last conflict names the condition.
  it.each([
    {
      given: { plural: 'twos', kind: 'One' },
      want: {
        reason: 'False ListKindConflict',
        accepted: { plural: 'twos', kind: '' },
      },
    },
    {
      given: { plural: 'threes', kind: 'Three', shortNames: ['one'] },
      want: {
        reason: 'False ShortNamesConflict',
        accepted: { plural: 'threes', singular: 'three', kind: 'Three', listKind: 'ThreeList' },
      },
    },
  ])(
    'a name another CRD of the group holds is refused: not Established, not served ($want.reason)',
    async ({ given, want }) => {
      await send(server, 'POST', CRDS, crdOf('names.example.dev', { plural: 'ones', kind: 'One' }))
      await settled(server, 'ones.names.example.dev')
      await send(server, 'POST', CRDS, crdOf('names.example.dev', given))
      const refused = await settled(server, `${given.plural}.names.example.dev`)
      expect(conditionsOf(refused)).toEqual({
        NamesAccepted: want.reason,
        Established: 'False NotAccepted',
      })
      expect((refused['status'] as { acceptedNames: unknown }).acceptedNames).toEqual(want.accepted)
      expect((await get(server, `/apis/names.example.dev/v1/${given.plural}`)).status).toBe(404)
      expect((await get(server, '/apis/names.example.dev/v1/ones')).status).toBe(200)
    },
  )

  it('a delete removes its custom resources (watchers see them go), then the CRD, and stops serving it', async () => {
    await send(server, 'POST', CRDS, crdOf('gone.example.dev', { plural: 'bits', kind: 'Bit' }))
    await settled(server, 'bits.gone.example.dev')
    const bits = '/apis/gone.example.dev/v1/namespaces/default/bits'
    expect(
      (
        await send(server, 'POST', bits, {
          apiVersion: 'gone.example.dev/v1',
          kind: 'Bit',
          metadata: { name: 'b' },
        })
      ).status,
    ).toBe(201)
    const watch = await openWatch(server, '/apis/gone.example.dev/v1/bits?watch=true')
    try {
      const deleted = await send(server, 'DELETE', `${CRDS}/bits.gone.example.dev`)
      expect(deleted.status).toBe(200)
      const terminating = json(deleted) as Obj
      expect(terminating.metadata['finalizers']).toEqual([
        'customresourcecleanup.apiextensions.k8s.io',
      ])
      expect(conditionsOf(terminating)['Terminating']).toBe('True InstanceDeletionPending')
      expect((await gone(server, `${CRDS}/bits.gone.example.dev`)).status).toBe(404)
      // The initial state of a watch without a resourceVersion, then the deletion.
      const events = await watch.waitFor(2)
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED'])
    } finally {
      watch.close()
    }
    expect((await get(server, `${bits}/b`)).status).toBe(404)
    expect((await get(server, '/apis/gone.example.dev/v1')).status).toBe(404)
    expect(JSON.stringify(json(await get(server, '/apis')))).not.toContain('gone.example.dev')
    expect(
      Object.keys((json(await get(server, '/openapi/v3')) as { paths: object }).paths),
    ).not.toContain('apis/gone.example.dev/v1')
    // Created again, it starts empty.
    await send(server, 'POST', CRDS, crdOf('gone.example.dev', { plural: 'bits', kind: 'Bit' }))
    await settled(server, 'bits.gone.example.dev')
    expect((json(await get(server, bits)) as { items: unknown[] }).items).toEqual([])
  })
})

describe('a CRD created through the API in a group the server serves itself', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, profile: 'recorded', exampleCrds: true })
  })
  afterAll(() => server.close())

  // A built-in group with a dot is protected: the CRD carries the approval annotation (a group
  // without one, as `apps`, is refused outright: crd-validation.ts).
  it.each([
    { given: 'networking.k8s.io', want: '/apis/networking.k8s.io/v1/namespaces/default/ingresses' },
    { given: 'example.dev', want: '/apis/example.dev/v1/namespaces/default/widgets' },
  ])('leaves $given as it was: $want still answers', async ({ given, want }) => {
    const crd = crdOf(given, { plural: 'intruders', kind: 'Intruder' })
    const metadata = {
      ...(crd['metadata'] as Obj),
      annotations: { 'api-approved.kubernetes.io': 'unapproved, a test' },
    }
    expect((await send(server, 'POST', CRDS, { ...crd, metadata })).status).toBe(201)
    await settled(server, `intruders.${given}`)
    expect((await get(server, want)).status).toBe(200)
    expect((await get(server, `/apis/${given}/v1/intruders`)).status).toBe(404)
  })
})
