// Compile-time guarantees of the client, against generated bindings: results typed by the
// descriptor alone, scope, subresources, bodies, apply identity and patch shapes.
import { describe, expectTypeOf, test } from 'vitest'

import type { Client, Scale, Status } from '../src/index.js'
import type { ApplyOf, JsonPointer, MergePatch } from '../src/types.js'
import {
  Deployment,
  type Deployment as DeploymentObject,
  type DeploymentList,
} from './generated/builtins/apps/v1.js'
import {
  ConfigMap,
  Namespace,
  type ConfigMap as ConfigMapObject,
  type Namespace as NamespaceObject,
} from './generated/builtins/core/v1.js'
import { Widget, type Widget as WidgetObject } from './generated/crd/example.dev/v1.js'

declare const k8s: Client
declare const aDeployment: DeploymentObject
const web = { namespace: 'web', name: 'api' } as const

describe('results are typed by the descriptor, with no type argument', () => {
  test('get, list, create, apply, subresources', () => {
    expectTypeOf(k8s.get(Deployment, web)).resolves.toEqualTypeOf<DeploymentObject>()
    expectTypeOf(k8s.get(Widget, web)).resolves.toEqualTypeOf<WidgetObject>()
    expectTypeOf(k8s.get(Namespace, { name: 'web' })).resolves.toEqualTypeOf<NamespaceObject>()
    expectTypeOf(k8s.list(Deployment)).resolves.toEqualTypeOf<DeploymentList>()
    expectTypeOf(k8s.getStatus(Deployment, web)).resolves.toEqualTypeOf<DeploymentObject>()
    expectTypeOf(k8s.getScale(Widget, web)).resolves.toEqualTypeOf<Scale>()
    expectTypeOf(k8s.delete(ConfigMap, web)).resolves.toEqualTypeOf<ConfigMapObject | Status>()
    expectTypeOf(
      k8s.apply(Widget, {
        apiVersion: 'example.dev/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace: 'web' },
      }),
    ).resolves.toEqualTypeOf<WidgetObject>()
  })

  test('list items are the generated ListItem<T>: apiVersion and kind optional (built-in lists omit them)', () => {
    type Items<P> = P extends Promise<{ items: (infer I)[] }> ? I : never
    expectTypeOf<Items<ReturnType<typeof k8s.list<typeof Deployment>>>>()
      .toHaveProperty('apiVersion')
      .toEqualTypeOf<'apps/v1' | undefined>()
    expectTypeOf<Items<ReturnType<typeof k8s.list<typeof Widget>>>>()
      .toHaveProperty('kind')
      .toEqualTypeOf<'Widget' | undefined>()
  })

  test('timestamps stay strings (or null), as on the wire', () => {
    expectTypeOf<DeploymentObject['metadata']>()
      .exclude<undefined>()
      .toHaveProperty('creationTimestamp')
      .toEqualTypeOf<string | null | undefined>()
  })
})

describe('scope', () => {
  test('a namespace on a cluster-scoped kind does not compile', () => {
    // @ts-expect-error Namespace is cluster-scoped
    void k8s.get(Namespace, { namespace: 'web', name: 'x' })
    // @ts-expect-error Namespace is cluster-scoped
    void k8s.list(Namespace, { namespace: 'web' })
    // @ts-expect-error Namespace is cluster-scoped
    void k8s.delete(Namespace, { name: 'x', namespace: 'web' })
    void k8s.list(Namespace, { labelSelector: 'team=a' })
  })

  test("a Deployment's spec.selector is a labelSelector as is (key and operator default to '')", () => {
    void k8s.list(ConfigMap, { namespace: 'web', labelSelector: aDeployment.spec?.selector ?? {} })
  })

  test('a namespaced kind needs a namespace to name an object, not to list', () => {
    // @ts-expect-error ConfigMap is namespaced
    void k8s.get(ConfigMap, { name: 'x' })
    void k8s.list(ConfigMap)
    void k8s.list(ConfigMap, { namespace: 'web', limit: 10 })
  })
})

describe('subresources', () => {
  test('only descriptors that serve one accept its operations', () => {
    // @ts-expect-error ConfigMap has no scale subresource
    void k8s.getScale(ConfigMap, web)
    // @ts-expect-error ConfigMap has no status subresource
    void k8s.getStatus(ConfigMap, web)
    // @ts-expect-error ConfigMap has no status subresource
    void k8s.patchStatus(ConfigMap, web, { merge: { data: {} } })
    void k8s.getScale(Deployment, web)
    void k8s.patchScale(Widget, web, { merge: { spec: { replicas: 2 } } })
  })

  test('path() refuses an unknown subresource too', () => {
    // @ts-expect-error ConfigMap has no such subresource
    void ConfigMap.path({ namespace: 'web', name: 'x', subresource: 'scale' })
  })
})

describe('bodies', () => {
  test('a body of another kind or apiVersion does not compile', () => {
    void k8s.create(ConfigMap, {
      // @ts-expect-error a ConfigMap is v1
      apiVersion: 'apps/v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'web' },
    })
    // @ts-expect-error a Deployment is not a ConfigMap
    void k8s.create(ConfigMap, aDeployment)
    void k8s.create(Widget, {
      apiVersion: 'example.dev/v1',
      // @ts-expect-error wrong kind
      kind: 'Gadget',
      metadata: { name: 'x', namespace: 'web' },
      spec: { size: 1 },
    })
  })

  test('a field of the wrong type does not compile', () => {
    void k8s.create(ConfigMap, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'web' },
      // @ts-expect-error data values are strings
      data: { a: 1 },
    })
    void k8s.create(Widget, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'x', namespace: 'web' },
      // @ts-expect-error mode is 'fast' | 'slow'
      spec: { size: 1, mode: 'medium' },
    })
  })
})

describe('server-side apply', () => {
  test('every field optional except the identity', () => {
    const config: ApplyOf<typeof Deployment> = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'web' },
      spec: { replicas: 3, template: { spec: { containers: [{ image: 'api:2' }] } } },
    }
    void k8s.apply(Deployment, config, { fieldManager: 'me', force: true })
  })

  test('without metadata.name, a namespace (namespaced) or apiVersion/kind it does not compile', () => {
    void k8s.apply(Deployment, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      // @ts-expect-error metadata.name is required
      metadata: { namespace: 'web' },
    })
    void k8s.apply(Deployment, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      // @ts-expect-error metadata.namespace is required for a namespaced kind
      metadata: { name: 'api' },
    })
    // @ts-expect-error kind is required
    void k8s.apply(Deployment, { apiVersion: 'apps/v1', metadata: { name: 'a', namespace: 'w' } })
    void k8s.apply(Namespace, {
      apiVersion: 'v1',
      kind: 'Namespace',
      // @ts-expect-error a cluster-scoped kind has no namespace
      metadata: { name: 'web', namespace: 'web' },
    })
    void k8s.apply(Widget, {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'web' },
      // @ts-expect-error fields keep their types
      spec: { replicas: 'three' },
    })
  })
})

describe('patches', () => {
  test('a merge patch is deep-partial and null deletes', () => {
    expectTypeOf<{ spec: { replicas: null } }>().toExtend<MergePatch<DeploymentObject>>()
    void k8s.patch(Deployment, web, { merge: { metadata: { labels: { old: null } } } })
    // @ts-expect-error replicas is a number
    void k8s.patch(Deployment, web, { merge: { spec: { replicas: '3' } } })
  })

  test('JSON patch paths are checked (4 levels, then any suffix)', () => {
    void k8s.patch(Deployment, web, {
      json: [
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'add', path: '/metadata/labels/team', value: 'a' },
        { op: 'remove', path: '/spec/template/spec/containers/0/image' },
        { op: 'move', from: '/spec/paused', path: '/spec/minReadySeconds' },
      ],
    })
    // @ts-expect-error no such field: repilcas
    void k8s.patch(Deployment, web, { json: [{ op: 'replace', path: '/spec/repilcas', value: 3 }] })
    // @ts-expect-error a remove has no value
    void k8s.patch(Deployment, web, { json: [{ op: 'remove', path: '/spec/replicas', value: 1 }] })
    expectTypeOf<'/spec/template'>().toExtend<JsonPointer<DeploymentObject>>()
    expectTypeOf<'/status/nope'>().not.toExtend<JsonPointer<DeploymentObject>>()
  })

  test('strategic merge patch compiles for built-in kinds only', () => {
    void k8s.patch(Deployment, web, {
      strategic: { spec: { template: { spec: { containers: [{ name: 'web', image: 'x:2' }] } } } },
    })
    // @ts-expect-error Widget is a custom resource
    void k8s.patch(Widget, web, { strategic: { spec: { size: 2 } } })
    // @ts-expect-error one kind of patch per call
    void k8s.patch(Deployment, web, { merge: {}, json: [] })
  })
})
