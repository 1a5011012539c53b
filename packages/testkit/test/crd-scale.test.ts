import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiServer, type ApiServer } from '../src/index.js'
import { get, json, send } from './_client.js'

// A custom resource's /scale follows its CRD's specReplicasPath, statusReplicasPath and
// labelSelectorPath (apiextensions-apiserver `pkg/registry/customresource/etcd.go`
// scaleFromCustomResource / scaleUpdatedObjectInfo), here `.spec.instances` as cloudnative-pg's.
const CRDS = [fileURLToPath(new URL('fixtures/crds-scale', import.meta.url))]
const clusters = '/apis/pg.test.dev/v1/namespaces/default/clusters'
type Obj = Record<string, unknown> & {
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
}

describe('the /scale of a custom resource with its own scale paths', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ crds: CRDS, http: true })
  })
  afterAll(() => server.close())

  const create = async (name: string, spec: Record<string, unknown>): Promise<void> => {
    const created = await send(server, 'POST', clusters, {
      apiVersion: 'pg.test.dev/v1',
      kind: 'Cluster',
      metadata: { name },
      spec,
    })
    expect(created.status, created.body.toString()).toBe(201)
    const status = await send(
      server,
      'PATCH',
      `${clusters}/${name}/status`,
      JSON.stringify({ status: { instances: 2, selector: `cnpg.io/cluster=${name}` } }),
      { 'content-type': 'application/merge-patch+json' },
    )
    expect(status.status, status.body.toString()).toBe(200)
  }

  it('reads spec and status replicas and the selector from the CRD paths', async () => {
    await create('read', { instances: 3 })
    const scale = json(await get(server, `${clusters}/read/scale`)) as Obj
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 3 },
      status: { replicas: 2, selector: 'cnpg.io/cluster=read' },
    })
  })

  it.each([
    {
      given: 'a merge patch of the Scale',
      request: (s: ApiServer, path: string) =>
        send(s, 'PATCH', path, JSON.stringify({ spec: { replicas: 5 } }), {
          'content-type': 'application/merge-patch+json',
        }),
      want: 5,
    },
    {
      given: 'a PUT of the Scale',
      request: (s: ApiServer, path: string) =>
        send(s, 'PUT', path, {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name: path.split('/').at(-2) },
          spec: { replicas: 4 },
        }),
      want: 4,
    },
  ])('$given writes .spec.instances, never .spec.replicas', async ({ given, request, want }) => {
    const name = given.startsWith('a PUT') ? 'put' : 'patch'
    await create(name, { instances: 1 })
    const response = await request(server, `${clusters}/${name}/scale`)
    expect(response.status, response.body.toString()).toBe(200)
    expect(json(response)).toMatchObject({ spec: { replicas: want } })
    const object = json(await get(server, `${clusters}/${name}`)) as Obj
    expect(object.spec).toEqual({ instances: want })
  })

  it('an object without spec replicas has no Scale to read: 500, as ScaleREST.Get', async () => {
    await create('unset', { image: 'postgres' })
    const response = await get(server, `${clusters}/unset/scale`)
    expect(response.status).toBe(500)
    expect(json(response)).toMatchObject({
      reason: 'InternalError',
      message: 'Internal error occurred: the spec replicas field ".spec.instances" does not exist',
    })
  })

  it.each([
    {
      given: 'a patch that sets replicas creates the field',
      patch: { spec: { replicas: 2 } },
      want: { status: 200, instances: 2, message: undefined },
    },
    {
      given: 'a patch that leaves them unset',
      patch: { metadata: { labels: { a: 'b' } } },
      want: {
        status: 400,
        instances: undefined,
        message: 'the spec replicas field ".spec.instances" cannot be empty',
      },
    },
  ])(
    'on an object without spec replicas, $given → $want.status',
    async ({ given, patch, want }) => {
      const name = given.includes('sets') ? 'unset-set' : 'unset-left'
      await create(name, { image: 'postgres' })
      const response = await send(
        server,
        'PATCH',
        `${clusters}/${name}/scale`,
        JSON.stringify(patch),
        {
          'content-type': 'application/merge-patch+json',
        },
      )
      expect(response.status).toBe(want.status)
      if (want.message !== undefined)
        expect(json(response)).toMatchObject({ message: want.message })
      const object = json(await get(server, `${clusters}/${name}`)) as Obj
      expect(object.spec?.['instances']).toBe(want.instances)
    },
  )
})

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { timeout: 20_000 }).status === 0
if (!hasKubectl) console.warn('skipping kubectl scale test: kubectl is not on PATH')

describe.skipIf(!hasKubectl)('kubectl scale on a custom resource with its own scale paths', () => {
  let server: ApiServer
  const work = mkdtempSync(join(tmpdir(), 'testkit-crd-scale-'))
  beforeAll(async () => {
    server = await startApiServer({ crds: CRDS })
  })
  afterAll(async () => {
    await server.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('scales .spec.instances', async () => {
    const kubeconfig = await server.kubeconfig(join(work, 'kubeconfig'))
    const kubectl = (args: string[]): Promise<string> =>
      new Promise((resolve, reject) => {
        execFile(
          'kubectl',
          ['--kubeconfig', kubeconfig, '--cache-dir', join(work, 'cache'), ...args],
          { encoding: 'utf8', timeout: 60_000 },
          (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
        )
      })
    const created = await send(server, 'POST', clusters, {
      apiVersion: 'pg.test.dev/v1',
      kind: 'Cluster',
      metadata: { name: 'pg' },
      spec: { instances: 1 },
    })
    expect(created.status).toBe(201)
    await kubectl(['scale', 'clusters.pg.test.dev/pg', '--replicas=3'])
    const object = json(await get(server, `${clusters}/pg`)) as Obj
    expect(object.spec).toEqual({ instances: 3 })
  })
})
