import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exampleCrdDocument, startApiServer, type ApiServer } from '../src/index.js'
import { get, json, send } from './_client.js'

// Each documented simplification (README "Simplifications") with the behaviour that differs
// from a real kube-apiserver, so a change to either side shows up here.
type Obj = { metadata: Record<string, unknown> } & Record<string, unknown>

describe('simplifications', () => {
  let server: ApiServer
  beforeAll(async () => {
    server = await startApiServer({ http: true, exampleCrds: true })
    const v2 = JSON.parse(
      JSON.stringify(exampleCrdDocument())
        .replaceAll('example.dev/v1', 'example.dev/v2')
        .replaceAll('"version":"v1"', '"version":"v2"'),
    ) as unknown
    server.setGroupVersion('apis/example.dev/v2', v2)
  })
  afterAll(() => server.close())

  it('no conversion: one store per group-resource, read at any served version with only apiVersion changed', async () => {
    await send(server, 'POST', '/apis/example.dev/v1/namespaces/default/widgets', {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'shared' },
      spec: { size: 3 },
    })
    const v2 = json(
      await get(server, '/apis/example.dev/v2/namespaces/default/widgets/shared'),
    ) as Obj
    expect(v2).toMatchObject({ apiVersion: 'example.dev/v2', kind: 'Widget', spec: { size: 3 } })
  })

  it('no garbage collector: deleting an owner leaves its dependents (propagationPolicy is accepted and ignored)', async () => {
    const owner = json(
      await send(server, 'POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name: 'owner' },
      }),
    ) as Obj
    await send(server, 'POST', '/api/v1/namespaces/default/configmaps', {
      metadata: {
        name: 'dependent',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata['uid'] },
        ],
      },
    })
    await send(server, 'DELETE', '/api/v1/namespaces/default/configmaps/owner', {
      propagationPolicy: 'Foreground',
    })
    expect((await get(server, '/api/v1/namespaces/default/configmaps/owner')).status).toBe(404)
    expect((await get(server, '/api/v1/namespaces/default/configmaps/dependent')).status).toBe(200)
  })

  it('no kubelet: a pod is deleted at once, without a grace period', async () => {
    await send(server, 'POST', '/api/v1/namespaces/default/pods', {
      metadata: { name: 'p' },
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'i' }] },
    })
    const deleted = await send(server, 'DELETE', '/api/v1/namespaces/default/pods/p')
    expect(deleted.status).toBe(200)
    expect((await get(server, '/api/v1/namespaces/default/pods/p')).status).toBe(404)
  })

  it('schema validation only: a Deployment whose selector does not match its template is accepted', async () => {
    const response = await send(server, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'mismatch' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: {
          metadata: { labels: { app: 'b' } },
          spec: { containers: [{ name: 'c', image: 'i' }] },
        },
      },
    })
    expect(response.status).toBe(201)
  })
})
