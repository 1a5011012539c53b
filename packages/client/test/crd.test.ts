// Every non-streaming operation on a custom resource whose bindings `k8s-codegen generate --crds`
// wrote (the example.dev Widget CRD, served by the emulator from the same CRD file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { ClientError, isInvalid, isNotFound } from '../src/index.js'
import { Widget } from './generated/crd/example.dev/v1.js'
import { startCluster, type TestCluster } from './helpers/cluster.js'

let cluster: TestCluster
beforeAll(async () => {
  cluster = await startCluster({ client: { fieldManager: 'crd-test' } })
})
afterAll(() => cluster.close())

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  )
const widget = (name: string, size: number | string = 1) =>
  ({
    apiVersion: 'example.dev/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec: { size, replicas: 1, mode: 'fast' },
  }) as const

describe('Widget (example.dev/v1, from generate --crds)', () => {
  it('create → get → list → replace → patch (merge, json) → delete', async () => {
    const k8s = cluster.client
    const created = await k8s.create(Widget, widget('w1'))
    expect(created).toMatchObject({
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      spec: { size: 1 },
    })
    expect(await k8s.get(Widget, { namespace: 'default', name: 'w1' })).toEqual(created)

    const list = await k8s.list(Widget, { namespace: 'default' })
    expect(list.kind).toBe('WidgetList')
    // Custom resources' list items keep apiVersion and kind.
    expect(list.items[0]).toMatchObject({ apiVersion: 'example.dev/v1', kind: 'Widget' })

    const replaced = await k8s.replace(Widget, {
      ...created,
      spec: { ...created.spec!, size: '2' },
    })
    expect(replaced.spec?.size).toBe('2')

    const target = { namespace: 'default', name: 'w1' }
    expect(
      (await k8s.patch(Widget, target, { merge: { spec: { mode: 'slow' } } })).spec?.mode,
    ).toBe('slow')
    const jsonPatched = await k8s.patch(Widget, target, {
      json: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
    })
    expect(jsonPatched.spec?.replicas).toBe(3)

    // kube-apiserver 1.37 answers a custom resource's delete with a Success Status, as for
    // built-ins.
    const deleted = await k8s.delete(Widget, target)
    expect(deleted).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'w1' } })
    expect(isNotFound(await rejection(k8s.get(Widget, target)))).toBe(true)
  })

  it('replace without a resourceVersion is Invalid for a custom resource', async () => {
    const created = await cluster.client.create(Widget, widget('w-norv'))
    const metadata = { ...created.metadata }
    delete metadata.resourceVersion
    const error = await rejection(cluster.client.replace(Widget, { ...created, metadata }))
    expect(isInvalid(error)).toBe(true)
  })

  it('server-side apply creates, then owns what it set', async () => {
    const k8s = cluster.client
    const applied = await k8s.apply(Widget, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'w-apply', namespace: 'default' },
      spec: { size: 4 },
    })
    // A real kube-apiserver also fills the schema's defaults (replicas, mode).
    expect(applied.spec).toMatchObject({ size: 4 })
    expect(applied.metadata?.managedFields).toEqual([
      expect.objectContaining({ manager: 'crd-test', operation: 'Apply' }),
    ])
    // What was sent, from the emulator's request log (a real kube-apiserver keeps none).
    if (cluster.emulator === undefined) return
    const logged = cluster.emulator.requests.at(-1)
    expect(logged?.headers['content-type']).toBe('application/apply-patch+yaml')
    expect(logged?.query).toBe('?fieldManager=crd-test')
  })

  it('status and scale subresources', async () => {
    const k8s = cluster.client
    const created = await k8s.create(Widget, widget('w-sub'))
    const target = { namespace: 'default', name: 'w-sub' }
    const withStatus = await k8s.replaceStatus(Widget, {
      ...created,
      status: { replicas: 1, selector: 'app=w' },
    })
    expect(withStatus.status).toEqual({ replicas: 1, selector: 'app=w' })
    expect(
      (await k8s.patchStatus(Widget, target, { merge: { status: { replicas: 2 } } })).status,
    ).toEqual({
      replicas: 2,
      selector: 'app=w',
    })
    expect((await k8s.getStatus(Widget, target)).status?.replicas).toBe(2)
    const scale = await k8s.getScale(Widget, target)
    expect(scale).toMatchObject({
      kind: 'Scale',
      spec: { replicas: 1 },
      status: { replicas: 2, selector: 'app=w' },
    })
    expect(
      (await k8s.replaceScale(Widget, target, { ...scale, spec: { replicas: 6 } })).spec,
    ).toEqual({
      replicas: 6,
    })
    expect(
      (
        await k8s.patchScale(Widget, target, {
          json: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
        })
      ).spec,
    ).toEqual({ replicas: 2 })
    expect((await k8s.get(Widget, target)).spec?.replicas).toBe(2)
  })

  it('a strategic merge patch is refused before any request (the server would answer 415)', async () => {
    await cluster.client.create(Widget, widget('w-smp'))
    const before = cluster.emulator?.requests.length
    const error = await rejection(
      cluster.client.patch(
        Widget,
        { namespace: 'default', name: 'w-smp' },
        // @ts-expect-error strategic merge patch is for built-in kinds only
        { strategic: { spec: { size: 2 } } },
      ),
    )
    expect(error).toBeInstanceOf(ClientError)
    expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLIENT_UNSUPPORTED_PATCH' })
    expect(cluster.emulator?.requests.length).toBe(before)
    // What the server says when asked anyway.
    const res = await cluster.client.connection.send(
      Widget.path({ namespace: 'default', name: 'w-smp' }),
      { method: 'PATCH', body: '{}', contentType: 'application/strategic-merge-patch+json' },
    )
    expect(res.status).toBe(415)
  })

  it('a cluster without the CRD: K8S_CODEGEN_CLIENT_KIND_NOT_SERVED naming the kind and group-version', async () => {
    const bare = await startCluster({ crds: false })
    try {
      const error = await rejection(bare.client.get(Widget, { namespace: 'default', name: 'w' }))
      expect(error).toMatchObject({ code: 'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED' })
      expect((error as Error).message).toMatch(
        /the cluster does not serve Widget \(widgets\) in example\.dev\/v1/,
      )
      // Discovery is asked once per group-version and client.
      await rejection(bare.client.list(Widget, { namespace: 'default' }))
      const discoveries = bare.emulator?.requests.filter((r) => r.path === '/apis/example.dev/v1')
      if (bare.emulator !== undefined) expect(discoveries).toHaveLength(1)
    } finally {
      await bare.close()
    }
  })
})
