import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, send } from './_client.js'

// Storage semantics over HTTP, as apiserver `pkg/registry/generic/registry/store.go` serves
// them. Every row starts from a shared server with the example CRDs (Widget has status and
// scale subresources, Gadget is cluster-scoped).
type Obj = Record<string, unknown> & {
  metadata: Record<string, unknown>
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
}

const cms = '/api/v1/namespaces/default/configmaps'
const widgets = '/apis/example.dev/v1/namespaces/default/widgets'

describe('storage', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, exampleCrds: true })
  })
  afterAll(() => server.close())

  const create = async (path: string, body: object): Promise<Obj> => {
    const response = await send(server, 'POST', path, body)
    expect(response.status, response.body.toString()).toBe(201)
    return json(response) as Obj
  }

  it('create fills uid, resourceVersion, creationTimestamp and managedFields; get returns it', async () => {
    const response = await send(
      server,
      'POST',
      cms,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' }, data: { a: '1' } },
      { 'user-agent': 'testkit-client/1.0 (linux)' },
    )
    expect(response.status).toBe(201)
    const created = json(response) as Obj
    expect(created.metadata).toMatchObject({ name: 'one', namespace: 'default' })
    expect(created.metadata['uid']).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.metadata['resourceVersion']).toMatch(/^\d+$/)
    expect(created.metadata['creationTimestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(created.metadata['managedFields']).toEqual([
      expect.objectContaining({
        manager: 'testkit-client',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
      }),
    ])
    // ConfigMaps have no status subresource: no generation (the strategy never sets it).
    expect(created.metadata['generation']).toBeUndefined()
    const fetched = json(await get(server, `${cms}/one`)) as Obj
    expect(fetched).toEqual(created)
  })

  it('one cluster-wide counter: every write takes the next resourceVersion', async () => {
    const a = await create(cms, { metadata: { name: 'rv-a' } })
    const b = await create('/api/v1/namespaces/kube-system/configmaps', {
      metadata: { name: 'rv-b' },
    })
    const widget = await create(widgets, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'rv-w' },
      spec: { size: 1 },
    })
    expect(Number(b.metadata['resourceVersion'])).toBe(Number(a.metadata['resourceVersion']) + 1)
    expect(Number(widget.metadata['resourceVersion'])).toBe(
      Number(b.metadata['resourceVersion']) + 1,
    )
  })

  it('generateName appends 5 characters of the apiserver alphabet', async () => {
    const created = await create(cms, { metadata: { generateName: 'gen-' } })
    expect(created.metadata['name']).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
  })

  it.each([
    {
      given: 'an existing name',
      path: cms,
      body: { metadata: { name: 'one' } },
      want: {
        code: 409,
        reason: 'AlreadyExists',
        message: 'configmaps "one" already exists',
        details: { name: 'one', kind: 'configmaps' },
      },
    },
    {
      given: 'a missing namespace (NamespaceLifecycle)',
      path: '/api/v1/namespaces/absent/configmaps',
      body: { metadata: { name: 'x' } },
      want: { code: 404, reason: 'NotFound', message: 'namespaces "absent" not found' },
    },
    {
      given: 'no name and no generateName',
      path: cms,
      body: { metadata: {} },
      want: {
        code: 422,
        reason: 'Invalid',
        details: { causes: [{ reason: 'FieldValueRequired', field: 'metadata.name' }] },
      },
    },
    {
      given: 'a name that is not a DNS subdomain',
      path: cms,
      body: { metadata: { name: 'Not_Valid' } },
      want: {
        code: 422,
        reason: 'Invalid',
        details: {
          name: 'Not_Valid',
          kind: 'ConfigMap',
          causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }],
        },
      },
    },
    {
      given: 'a wrong type and a missing required field',
      path: widgets,
      body: {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'bad' },
        spec: { replicas: 'two' },
      },
      want: {
        code: 422,
        reason: 'Invalid',
        message:
          'Widget.example.dev "bad" is invalid: [spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", spec.size: Required value, .spec.replicas: Invalid value: 0: .spec.replicas accessor error: two is of the type string, expected int64]',
        details: {
          name: 'bad',
          group: 'example.dev',
          kind: 'Widget',
          // The last from the scale subresource (customresource/validator.go ValidateScaleSpec).
          causes: [
            { reason: 'FieldValueTypeInvalid', field: 'spec.replicas' },
            { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' },
            { reason: 'FieldValueInvalid', field: '.spec.replicas' },
          ],
        },
      },
    },
    {
      given: 'a value outside an enum',
      path: '/apis/example.dev/v1/gadgets',
      body: {
        apiVersion: 'example.dev/v1',
        kind: 'Gadget',
        metadata: { name: 'purple' },
        spec: { color: 'purple' },
      },
      want: {
        code: 422,
        reason: 'Invalid',
        details: {
          causes: [
            {
              reason: 'FieldValueNotSupported',
              message: 'Unsupported value: "purple": supported values: "red", "green", "blue"',
              field: 'spec.color',
            },
          ],
        },
      },
    },
    {
      // A plain storage error, not a Status: kube-apiserver 1.37 answers 500 without a reason
      // (server-parity "a replace of a missing object is NotFound, …").
      given: 'a resourceVersion on create',
      path: cms,
      body: { metadata: { name: 'x', resourceVersion: '5' } },
      want: {
        code: 500,
        message: 'resourceVersion should not be set on objects to be created',
      },
    },
    {
      given: 'an unknown field with fieldValidation=Strict',
      path: `${cms}?fieldValidation=Strict`,
      body: { metadata: { name: 'strict' }, datta: {} },
      want: {
        code: 400,
        reason: 'BadRequest',
        message:
          'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datta"',
      },
    },
  ])('create with $given answers a $want.code Status', async ({ path, body, want }) => {
    const response = await send(server, 'POST', path, body)
    expect(response.status).toBe(want.code)
    expect(json(response)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      ...want,
    })
  })

  it('an unknown field is dropped with a 299 Warning by default (fieldValidation=Warn)', async () => {
    const response = await send(server, 'POST', cms, {
      metadata: { name: 'warned' },
      datta: { x: '1' },
    })
    expect(response.status).toBe(201)
    expect(response.headers['warning']).toBe('299 - "unknown field \\"datta\\""')
    expect((json(response) as Obj)['datta']).toBeUndefined()
  })

  it('PUT with a stale resourceVersion is 409 Conflict; with the current one it writes', async () => {
    const created = await create(cms, { metadata: { name: 'occ' }, data: { v: '1' } })
    const current = { ...created, data: { v: '2' } }
    const ok = await send(server, 'PUT', `${cms}/occ`, current)
    expect(ok.status).toBe(200)
    const stale = await send(server, 'PUT', `${cms}/occ`, { ...created, data: { v: '3' } })
    expect(stale.status).toBe(409)
    expect(json(stale)).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again',
    })
  })

  it('a no-op update (PUT or PATCH) writes nothing and keeps the resourceVersion', async () => {
    const created = await create(cms, { metadata: { name: 'noop' }, data: { v: '1' } })
    const again = json(await send(server, 'PUT', `${cms}/noop`, created)) as Obj
    expect(again.metadata['resourceVersion']).toBe(created.metadata['resourceVersion'])
    const patched = json(
      await send(
        server,
        'PATCH',
        `${cms}/noop`,
        { data: { v: '1' } },
        { 'content-type': 'application/merge-patch+json' },
      ),
    ) as Obj
    expect(patched.metadata['resourceVersion']).toBe(created.metadata['resourceVersion'])
  })

  it('custom resources need a resourceVersion on PUT (no unconditional update)', async () => {
    await create(widgets, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'uncond' },
      spec: { size: 1 },
    })
    const response = await send(server, 'PUT', `${widgets}/uncond`, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'uncond' },
      spec: { size: 2 },
    })
    expect(response.status).toBe(422)
    expect(json(response)).toMatchObject({
      details: { causes: [{ field: 'metadata.resourceVersion' }] },
    })
  })

  it('status subresource: the main resource ignores status, /status ignores the rest; generation follows spec', async () => {
    const w = await create(widgets, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'gen' },
      spec: { size: 1 },
      status: { replicas: 9 },
    })
    expect(w.metadata['generation']).toBe(1)
    const main = json(
      await send(server, 'PUT', `${widgets}/gen`, {
        ...w,
        spec: { size: 2 },
        status: { replicas: 7 },
      }),
    ) as Obj
    expect(main.metadata['generation']).toBe(2)
    expect(main.status).toEqual(w.status)
    const status = json(
      await send(server, 'PUT', `${widgets}/gen/status`, {
        ...main,
        spec: { size: 5 },
        status: { replicas: 3 },
      }),
    ) as Obj
    expect(status.spec).toEqual({ size: 2 })
    expect(status.status).toEqual({ replicas: 3 })
    expect(status.metadata['generation']).toBe(2)
    const labelled = json(
      await send(
        server,
        'PATCH',
        `${widgets}/gen`,
        { metadata: { labels: { a: 'b' } } },
        { 'content-type': 'application/merge-patch+json' },
      ),
    ) as Obj
    expect(labelled.metadata['generation']).toBe(2)
  })

  it('scale subresource reads and writes spec.replicas as an autoscaling/v1 Scale', async () => {
    await create(widgets, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'scaled' },
      spec: { size: 1, replicas: 2 },
    })
    const scale = json(await get(server, `${widgets}/scaled/scale`)) as Obj
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'scaled', namespace: 'default' },
      spec: { replicas: 2 },
    })
    const patched = await send(
      server,
      'PATCH',
      `${widgets}/scaled/scale`,
      { spec: { replicas: 4 } },
      { 'content-type': 'application/merge-patch+json' },
    )
    expect(json(patched)).toMatchObject({ spec: { replicas: 4 } })
    expect((json(await get(server, `${widgets}/scaled`)) as Obj).spec).toMatchObject({
      replicas: 4,
    })
  })

  it('dryRun=All validates and answers without persisting', async () => {
    const response = await send(server, 'POST', `${cms}?dryRun=All`, { metadata: { name: 'dry' } })
    expect(response.status).toBe(201)
    expect((json(response) as Obj).metadata['resourceVersion']).toBeUndefined()
    expect((await get(server, `${cms}/dry`)).status).toBe(404)
  })

  it('finalizers hold a deleted object (deletionTimestamp, 200) until the last one is removed', async () => {
    const created = await create(cms, {
      metadata: { name: 'fin', finalizers: ['example.dev/hold'] },
    })
    const deleted = await send(server, 'DELETE', `${cms}/fin`)
    expect(deleted.status).toBe(200)
    const held = json(deleted) as Obj
    expect(held.metadata['deletionTimestamp']).toBeDefined()
    const adding = await send(server, 'PUT', `${cms}/fin`, {
      ...held,
      metadata: { ...held.metadata, finalizers: ['example.dev/hold', 'more'] },
    })
    expect(adding.status).toBe(422)
    const released = await send(server, 'PUT', `${cms}/fin`, {
      ...held,
      metadata: { ...held.metadata, finalizers: [] },
    })
    expect(released.status).toBe(200)
    expect((await get(server, `${cms}/fin`)).status).toBe(404)
    expect(created.metadata['uid']).toBe(held.metadata['uid'])
  })

  it('delete answers a Success Status, for built-ins and custom resources alike; then 404', async () => {
    const cm = await create(cms, { metadata: { name: 'gone' } })
    const response = await send(server, 'DELETE', `${cms}/gone`)
    expect(json(response)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'gone', kind: 'configmaps', uid: cm.metadata['uid'] },
    })
    await create(widgets, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'gone' },
      spec: { size: 1 },
    })
    // Custom resources too (kube-apiserver 1.37, server-parity "a custom resource: delete …").
    expect(json(await send(server, 'DELETE', `${widgets}/gone`))).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'gone', group: 'example.dev', kind: 'widgets' },
    })
    const again = await send(server, 'DELETE', `${cms}/gone`)
    expect(json(again)).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'configmaps "gone" not found',
      details: { name: 'gone', kind: 'configmaps' },
    })
  })

  it('deletecollection removes what the selector matches', async () => {
    await create(cms, { metadata: { name: 'dc-1', labels: { batch: 'x' } } })
    await create(cms, { metadata: { name: 'dc-2', labels: { batch: 'x' } } })
    await create(cms, { metadata: { name: 'dc-3', labels: { batch: 'y' } } })
    const response = await send(server, 'DELETE', `${cms}?labelSelector=batch%3Dx`)
    expect(response.status).toBe(200)
    const left = json(await get(server, `${cms}?labelSelector=batch`)) as { items: Obj[] }
    expect(left.items.map((i) => i.metadata['name'])).toEqual(['dc-3'])
  })

  // handlers/delete.go DeleteCollection decodes the body's DeleteOptions as DeleteResource does:
  // client-go's DeleteCollection sends dryRun there (in protobuf from a typed clientset).
  it.each([
    { given: 'JSON', body: '{"dryRun":["All"]}', type: 'application/json' },
    {
      given: 'protobuf',
      // k8s\0, runtime.Unknown{typeMeta: {v1, DeleteOptions}, raw: DeleteOptions{dryRun: [All]}}
      body: Buffer.concat([
        Buffer.from('k8s\u0000', 'latin1'),
        Buffer.from([0x0a, 0x13, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x0d]),
        Buffer.from('DeleteOptions'),
        Buffer.from([0x12, 0x05, 0x2a, 0x03]),
        Buffer.from('All'),
      ]),
      type: 'application/vnd.kubernetes.protobuf',
    },
  ])(
    'deletecollection with dryRun in its $given body deletes nothing',
    async ({ given, body, type }) => {
      const label = `dry-${given.toLowerCase()}`
      await create(cms, { metadata: { name: label, labels: { batch: label } } })
      const response = await send(server, 'DELETE', `${cms}?labelSelector=batch%3D${label}`, body, {
        'content-type': type,
      })
      expect(response.status, response.body.toString()).toBe(200)
      expect((await get(server, `${cms}/${label}`)).status).toBe(200)
    },
  )

  it('a terminating namespace refuses new content (403) and is removed with its content', async () => {
    await create('/api/v1/namespaces', { metadata: { name: 'doomed' } })
    await create('/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'inside' } })
    const deleted = await send(server, 'DELETE', '/api/v1/namespaces/doomed')
    expect(deleted.status).toBe(200)
    expect(json(deleted)).toMatchObject({ status: { phase: 'Terminating' } })
    const refused = await send(server, 'POST', '/api/v1/namespaces/doomed/configmaps', {
      metadata: { name: 'late' },
    })
    // The controller may already have finished: then the namespace is simply gone.
    expect([403, 404]).toContain(refused.status)
    for (
      let i = 0;
      i < 50 && (await get(server, '/api/v1/namespaces/doomed')).status !== 404;
      i += 1
    ) {
      await new Promise((r) => setTimeout(r, 20))
    }
    expect((await get(server, '/api/v1/namespaces/doomed')).status).toBe(404)
    expect((await get(server, '/api/v1/namespaces/doomed/configmaps/inside')).status).toBe(404)
  })

  it.each([
    {
      given: 'POST on an item',
      method: 'POST',
      path: `${cms}/one`,
      body: {},
      headers: {},
      want: { code: 405, reason: 'MethodNotAllowed' },
    },
    {
      given: 'a protobuf envelope without a message',
      method: 'POST',
      path: cms,
      body: 'k8s\u0000',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
      want: { code: 400, reason: 'BadRequest', message: 'empty body' },
    },
    {
      // apiextensions-apiserver serves custom resources in JSON and YAML only.
      given: 'a protobuf body for a custom resource',
      method: 'POST',
      path: widgets,
      body: 'k8s\u0000',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
      want: {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
        absent: ['details'],
      },
    },
    {
      given: 'a strategic merge patch on a custom resource',
      method: 'PATCH',
      path: `${widgets}/gen`,
      body: '{}',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      want: {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
        // negotiation/errors.go errUnsupportedMediaType.Status(): no details.
        absent: ['details'],
      },
    },
    {
      // handlers/patch.go jsonPatcher: a patch that does not apply is NewGenericServerResponse's
      // 422, whose message is generic and whose details are empty (client-go's IsInvalid holds).
      given: 'a JSON patch whose test fails',
      method: 'PATCH',
      path: `${cms}/one`,
      body: '[{"op":"test","path":"/data/nothing","value":"x"}]',
      headers: { 'content-type': 'application/json-patch+json' },
      want: {
        code: 422,
        reason: 'Invalid',
        message: 'the server rejected our request due to an error in our request',
        details: {},
      },
    },
    {
      // A built-in's go-restful route consumes the four patch types; go-restful refuses others
      // and apiserver `server/handler.go` serviceErrorHandler wraps its text.
      given: 'a patch of a built-in in an unknown patch type',
      method: 'PATCH',
      path: `${cms}/one`,
      body: 'x',
      headers: { 'content-type': 'text/plain' },
      want: {
        code: 415,
        reason: 'UnsupportedMediaType',
        message: '415: Unsupported Media Type',
        details: {},
      },
    },
    {
      // handlers/patch.go validateAndTranscodePatch: every non-apply patch must be valid JSON.
      given: 'a merge patch that is not JSON',
      method: 'PATCH',
      path: `${cms}/one`,
      body: '{"data":',
      headers: { 'content-type': 'application/merge-patch+json' },
      want: { code: 400, reason: 'BadRequest', message: 'invalid JSON patch' },
    },
    {
      given: 'an unknown resource',
      method: 'GET',
      path: '/api/v1/namespaces/default/absents',
      body: undefined,
      headers: {},
      want: { code: 404, reason: 'NotFound' },
    },
  ])('$given answers $want.code', async ({ method, path, body, headers, want }) => {
    const response = await send(server, method, path, body, headers)
    expect(response.status).toBe(want.code)
    const { absent = [], ...expected } = want
    expect(json(response)).toMatchObject({ kind: 'Status', ...expected })
    for (const key of absent) expect(json(response)).not.toHaveProperty(key)
  })

  it('an injected 429 carries Retry-After and a TooManyRequests Status', async () => {
    const remove = server.injectFault({
      path: cms,
      kind: 'status',
      status: 429,
      retryAfter: 2,
      times: 1,
    })
    const response = await send(server, 'POST', cms, { metadata: { name: 'throttled' } })
    remove()
    expect(response.status).toBe(429)
    expect(response.headers['retry-after']).toBe('2')
    expect(json(response)).toMatchObject({
      reason: 'TooManyRequests',
      details: { retryAfterSeconds: 2 },
      code: 429,
    })
  })
})

describe('storage on a v2-only profile (kubernetes-1.13)', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, profile: 'kubernetes-1.13' })
  })
  afterAll(() => server.close())

  it('creates, lists and validates against the v2 definitions', async () => {
    const created = await send(server, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    })
    expect(created.status).toBe(201)
    expect(json(created)).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { generation: 1 },
    })
    const list = json(await get(server, '/apis/apps/v1/deployments')) as {
      kind: string
      items: unknown[]
    }
    expect(list).toMatchObject({ kind: 'DeploymentList', items: [{ metadata: { name: 'web' } }] })
    const strict = await send(
      server,
      'POST',
      '/api/v1/namespaces/default/configmaps?fieldValidation=Strict',
      {
        metadata: { name: 'x' },
        dat: {},
      },
    )
    expect(json(strict)).toMatchObject({
      code: 400,
      message:
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dat"',
    })
  })

  // 1.13 predates server-side apply (the ServerSideApply gate, on from 1.16): no managedFields
  // are written, and an apply patch gets the 415 of its PATCH handler.
  it('writes no managedFields', async () => {
    const created = await send(server, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: { name: 'plain' },
      data: { a: 'b' },
    })
    expect(created.status).toBe(201)
    const metadata = (json(created) as { metadata: Record<string, unknown> }).metadata
    expect(metadata['managedFields']).toBeUndefined()
  })

  it('answers an apply patch with the 415 of a server without server-side apply', async () => {
    const response = await send(
      server,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/plain?fieldManager=me',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } },
      { 'content-type': 'application/apply-patch+yaml' },
    )
    expect(json(response)).toMatchObject({
      code: 415,
      // go-restful's refusal: the route does not consume the apply type.
      message: '415: Unsupported Media Type',
    })
  })
})
