// Every non-streaming operation on built-in kinds through generated bindings, against the
// stateful emulator: ConfigMap (namespaced), Namespace (cluster-scoped), Deployment (status and
// scale subresources).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { isAlreadyExists, isConflict, isNotFound, type Status } from '../src/index.js'
import { Deployment, type Deployment as DeploymentObject } from './generated/builtins/apps/v1.js'
import { ConfigMap, Namespace } from './generated/builtins/core/v1.js'
import { startCluster, type TestCluster } from './helpers/cluster.js'

let cluster: TestCluster
beforeAll(async () => {
  cluster = await startCluster({ client: { fieldManager: 'client-test' } })
})
afterAll(() => cluster.close())

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  )

const deployment = (name: string, replicas = 1): DeploymentObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }],
        },
      },
    },
  }) as const

describe('ConfigMap (namespaced)', () => {
  it('create → get → list → replace → delete', async () => {
    const k8s = cluster.client
    const created = await k8s.create(ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'crud', namespace: 'default', labels: { suite: 'crud' } },
      data: { a: '1' },
    })
    expect(created.metadata?.uid).toEqual(expect.any(String))
    expect(typeof created.metadata?.creationTimestamp).toBe('string')

    const read = await k8s.get(ConfigMap, { namespace: 'default', name: 'crud' })
    expect(read).toEqual(created)

    const list = await k8s.list(ConfigMap, { namespace: 'default', labelSelector: 'suite=crud' })
    expect(list.kind).toBe('ConfigMapList')
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['crud'])

    const replaced = await k8s.replace(ConfigMap, { ...read, data: { a: '2' } })
    expect(replaced.data).toEqual({ a: '2' })
    // The first body's resourceVersion is stale now: optimistic concurrency.
    expect(isConflict(await rejection(k8s.replace(ConfigMap, { ...read, data: { a: '3' } })))).toBe(
      true,
    )

    const deleted = (await k8s.delete(ConfigMap, { namespace: 'default', name: 'crud' })) as Status
    expect(deleted).toMatchObject({ kind: 'Status', status: 'Success' })
    expect(
      isNotFound(await rejection(k8s.get(ConfigMap, { namespace: 'default', name: 'crud' }))),
    ).toBe(true)
  })

  it('create takes the namespace from the options; a second create is AlreadyExists', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'opt-ns' } } as const
    const created = await cluster.client.create(ConfigMap, body, { namespace: 'kube-public' })
    expect(created.metadata?.namespace).toBe('kube-public')
    expect(
      isAlreadyExists(
        await rejection(cluster.client.create(ConfigMap, body, { namespace: 'kube-public' })),
      ),
    ).toBe(true)
  })

  it.each([
    {
      given: 'merge (null deletes)',
      patch: { merge: { data: { a: null, b: '2' } } },
      want: { b: '2' },
    },
    {
      given: 'json',
      patch: {
        json: [
          { op: 'test', path: '/data/a', value: '1' },
          { op: 'replace', path: '/data/a', value: '9' },
          { op: 'add', path: '/data/c', value: '3' },
        ],
      },
      want: { a: '9', c: '3' },
    },
    { given: 'strategic', patch: { strategic: { data: { d: '4' } } }, want: { a: '1', d: '4' } },
  ] as const)('patch $given', async ({ given, patch, want }) => {
    const name = `patch-${given.split(' ')[0]}`
    await cluster.client.create(ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default' },
      data: { a: '1' },
    })
    const patched = await cluster.client.patch(ConfigMap, { namespace: 'default', name }, patch)
    expect(patched.data).toEqual(want)
    // What was sent, from the emulator's request log (a real kube-apiserver keeps none).
    if (cluster.emulator === undefined) return
    const logged = cluster.emulator.requests.at(-1)
    expect(logged?.method).toBe('PATCH')
    expect(logged?.headers['content-type']).toBe(
      {
        merge: 'application/merge-patch+json',
        json: 'application/json-patch+json',
        strategic: 'application/strategic-merge-patch+json',
      }[Object.keys(patch)[0] as 'merge' | 'json' | 'strategic'],
    )
  })

  it('deleteCollection deletes what the selector selects', async () => {
    for (const [name, tmp] of [
      ['dc-1', 'yes'],
      ['dc-2', 'yes'],
      ['dc-3', 'no'],
    ] as const)
      await cluster.client.create(ConfigMap, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'default', labels: { tmp } },
      })
    await cluster.client.deleteCollection(ConfigMap, {
      namespace: 'default',
      labelSelector: { matchLabels: { tmp: 'yes' } },
    })
    const left = await cluster.client.list(ConfigMap, {
      namespace: 'default',
      labelSelector: { matchExpressions: [{ key: 'tmp', operator: 'Exists' }] },
    })
    expect(left.items.map((i) => i.metadata?.name)).toEqual(['dc-3'])
    if (cluster.emulator === undefined) return
    expect(
      cluster.emulator.requests.find(
        (r) => r.method === 'DELETE' && r.path === '/api/v1/namespaces/default/configmaps',
      )?.query,
    ).toBe('?labelSelector=tmp%3Dyes')
  })

  it('list pages with limit and continue; a field selector narrows', async () => {
    for (const name of ['pg-a', 'pg-b', 'pg-c'])
      await cluster.client.create(ConfigMap, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'kube-node-lease', labels: { page: 'yes' } },
      })
    const first = await cluster.client.list(ConfigMap, {
      namespace: 'kube-node-lease',
      labelSelector: 'page=yes',
      limit: 2,
    })
    expect(first.items).toHaveLength(2)
    expect(first.metadata?.continue).toEqual(expect.any(String))
    const second = await cluster.client.list(ConfigMap, {
      namespace: 'kube-node-lease',
      labelSelector: 'page=yes',
      limit: 2,
      continue: first.metadata?.continue,
    })
    expect([...first.items, ...second.items].map((i) => i.metadata?.name)).toEqual([
      'pg-a',
      'pg-b',
      'pg-c',
    ])
    const one = await cluster.client.list(ConfigMap, {
      namespace: 'kube-node-lease',
      fieldSelector: { 'metadata.name': 'pg-b' },
    })
    expect(one.items.map((i) => i.metadata?.name)).toEqual(['pg-b'])
  })
})

describe('Namespace (cluster-scoped)', () => {
  it('create → get → list → apply → delete', async () => {
    const k8s = cluster.client
    await k8s.create(Namespace, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a' },
    })
    expect((await k8s.get(Namespace, { name: 'team-a' })).status?.phase).toBe('Active')
    const all = await k8s.list(Namespace)
    expect(all.items.map((n) => n.metadata?.name)).toContain('team-a')
    const applied = await k8s.apply(Namespace, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { team: 'a' } },
    })
    expect(applied.metadata?.labels).toMatchObject({ team: 'a' })
    const deleted = await k8s.delete(Namespace, { name: 'team-a' })
    // Namespaces terminate first (the namespace controller removes them after their content).
    expect(deleted).toMatchObject({ kind: 'Namespace', status: { phase: 'Terminating' } })
  })
})

describe('Deployment (status and scale)', () => {
  it('status: get, replace and patch change only status', async () => {
    const k8s = cluster.client
    const created = await k8s.create(Deployment, deployment('st'))
    const target = { namespace: 'default', name: 'st' }
    expect((await k8s.getStatus(Deployment, target)).metadata?.uid).toBe(created.metadata?.uid)

    const replaced = await k8s.replaceStatus(Deployment, {
      ...created,
      spec: { ...created.spec!, replicas: 7 },
      status: { replicas: 1, readyReplicas: 1 },
    })
    expect(replaced.status).toMatchObject({ replicas: 1, readyReplicas: 1 })
    expect(replaced.spec?.replicas).toBe(1)

    const patched = await k8s.patchStatus(Deployment, target, {
      merge: { status: { availableReplicas: 1 } },
    })
    expect(patched.status).toMatchObject({ replicas: 1, availableReplicas: 1 })
  })

  it('scale: get, replace and patch the autoscaling/v1 Scale', async () => {
    const k8s = cluster.client
    await k8s.create(Deployment, deployment('sc', 2))
    const target = { namespace: 'default', name: 'sc' }
    const scale = await k8s.getScale(Deployment, target)
    expect(scale).toMatchObject({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'sc', namespace: 'default' },
      spec: { replicas: 2 },
    })
    const replaced = await k8s.replaceScale(Deployment, target, { ...scale, spec: { replicas: 4 } })
    expect(replaced.spec?.replicas).toBe(4)
    const patched = await k8s.patchScale(Deployment, target, { merge: { spec: { replicas: 5 } } })
    expect(patched.spec?.replicas).toBe(5)
    expect((await k8s.get(Deployment, target)).spec?.replicas).toBe(5)
  })

  it('a strategic merge patch merges containers by name', async () => {
    const k8s = cluster.client
    await k8s.create(Deployment, deployment('smp'))
    const patched = await k8s.patch(
      Deployment,
      { namespace: 'default', name: 'smp' },
      {
        strategic: {
          spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
        },
      },
    )
    expect(patched.spec?.template.spec?.containers).toEqual([
      expect.objectContaining({
        name: 'web',
        image: 'nginx:1.27',
        // A real kube-apiserver also defaults the protocol (TCP).
        ports: [expect.objectContaining({ containerPort: 80 })],
      }),
    ])
  })
})
