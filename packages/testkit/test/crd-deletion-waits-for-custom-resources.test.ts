// crd_finalizer.go: a deleted CRD whose custom resource holds a finalizer of its own stays
// Terminating — InstanceDeletionInProgress, then after deleteInstances' minute of polling
// InstanceDeletionCheck ("could not confirm zero CustomResources remaining: context deadline
// exceeded") and a new sync — until the custom resource is gone. The minute runs on fake timers,
// on the CRD controllers alone (the server-parity row "a CRD deleted while …" shows the rest
// against kube-apiserver).
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import type { JsonObject } from '../src/_json.js'
import { runCrdControllers } from '../src/crd-controller.js'
import { crdCreateOptions } from '../src/crd-read.js'
import { crdBuiltinsOf } from '../src/crd-serving.js'
import { CRD_COLLECTION } from '../src/crd-status.js'
import { kubernetes113Profile } from '../src/profile.js'
import { Registry } from '../src/registry.js'
import { ResourceCatalog } from '../src/resource-catalog.js'
import { SpecRegistry } from '../src/spec-registry.js'
import { ObjectStore } from '../src/store.js'

// The controllers answer from setImmediate: each step lets 1 ms of fake time pass.
beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1beta1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gizmos.held.example.dev' },
  spec: { group: 'held.example.dev', version: 'v1', names: { plural: 'gizmos', kind: 'Gizmo' } },
}

const terminating = (object: JsonObject | undefined): string | undefined => {
  const status = (object?.['status'] ?? {}) as { conditions?: JsonObject[] }
  return status.conditions?.find((c) => c['type'] === 'Terminating')?.['reason'] as
    string | undefined
}

it('stays Terminating while a custom resource holds a finalizer; InstanceDeletionCheck after a minute; gone with it', async () => {
  const profile = kubernetes113Profile()
  const specs = new SpecRegistry(profile)
  const crds = new ResourceCatalog(specs).get(
    'apiextensions.k8s.io',
    'v1beta1',
    'customresourcedefinitions',
  )
  if (crds === undefined) throw new Error('the 1.13 profile serves no v1beta1 CRDs')
  const store = new ObjectStore({ historyWindow: 1000 })
  const registry = new Registry(store, () => undefined)
  const stop = runCrdControllers({
    registry,
    specs,
    crds,
    scalePaths: new Map(),
    builtins: () => crdBuiltinsOf(undefined, profile.v2?.()),
    v2: profile.v2,
  })
  const reasons: (string | undefined)[] = []
  store.subscribe((event) => {
    if (event.collection === CRD_COLLECTION)
      reasons.push(event.type === 'DELETED' ? 'DELETED' : terminating(event.object))
  })
  try {
    registry.create(crds, '', crd, crdCreateOptions())
    await vi.advanceTimersByTimeAsync(1)
    const held = {
      apiVersion: 'held.example.dev/v1',
      kind: 'Gizmo',
      metadata: { name: 'held', namespace: 'default', finalizers: ['example.dev/hold'] },
    }
    store.put('held.example.dev/gizmos', held, store.nextRevision())
    registry.delete(crds, '', 'gizmos.held.example.dev', { dryRun: false })
    await vi.advanceTimersByTimeAsync(1)
    const marked = store.get('held.example.dev/gizmos', 'default', 'held')
    expect(marked?.['metadata']).toMatchObject({ deletionGracePeriodSeconds: 0 })
    expect(terminating(store.get(CRD_COLLECTION, '', 'gizmos.held.example.dev'))).toBe(
      'InstanceDeletionInProgress',
    )
    await vi.advanceTimersByTimeAsync(59_000)
    expect(reasons.at(-1)).toBe('InstanceDeletionInProgress')
    await vi.advanceTimersByTimeAsync(1_010)
    // The minute's end: InstanceDeletionCheck, then the requeued sync's InstanceDeletionInProgress.
    expect(reasons.slice(-2)).toEqual(['InstanceDeletionCheck', 'InstanceDeletionInProgress'])
    const check = (
      (store.get(CRD_COLLECTION, '', 'gizmos.held.example.dev')?.['status'] ?? {}) as {
        conditions: JsonObject[]
      }
    ).conditions.find((c) => c['type'] === 'Terminating')
    expect(check?.['status']).toBe('True')
    // A client removes the finalizer: the custom resource goes, then the CRD.
    store.remove('held.example.dev/gizmos', marked as JsonObject, store.nextRevision())
    await vi.advanceTimersByTimeAsync(1)
    expect(store.get(CRD_COLLECTION, '', 'gizmos.held.example.dev')).toBeUndefined()
    expect(reasons.at(-1)).toBe('DELETED')
  } finally {
    stop()
  }
})
