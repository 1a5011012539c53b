// Type-level behaviour of generated output, checked on the golden files (generated from the
// project-authored fixtures in test/fixtures).
import { describe, expectTypeOf, it } from 'vitest'

import * as coreV1 from './golden/generated/core/v1.js'
import * as exampleDevV1 from './golden/generated/example.dev/v1.js'
import type { KubernetesResource } from './golden/generated/index.js'
import { registry } from './golden/generated/index.js'

describe('generated types', () => {
  it('accepts a Pod literal with only apiVersion, kind and metadata (defaults never make fields required)', () => {
    const pod: coreV1.Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' } }
    expectTypeOf(pod).toEqualTypeOf<coreV1.Pod>()
  })

  it('rejects a wrong kind literal', () => {
    // @ts-expect-error kind of a Pod is the literal 'Pod'
    const pod: coreV1.Pod = { apiVersion: 'v1', kind: 'Deployment' }
    expectTypeOf(pod.kind).toEqualTypeOf<'Pod'>()
  })

  it('requires apiVersion and kind of a resource kind in what users write', () => {
    // @ts-expect-error the server rejects an object without apiVersion and kind
    const pod: coreV1.Pod = { metadata: { name: 'web' } }
    expectTypeOf(pod.apiVersion).toEqualTypeOf<'v1'>()
  })

  it('types the items of a List as the server sends them: without apiVersion and kind', () => {
    const list: coreV1.PodList = {
      apiVersion: 'v1',
      kind: 'PodList',
      items: [{ metadata: { name: 'web-0' } }, { apiVersion: 'v1', kind: 'Pod' }],
    }
    expectTypeOf(list.items[0]?.kind).toEqualTypeOf<'Pod' | undefined>()
  })

  it('a field both required and defaulted is optional: the apiserver defaults before it validates', () => {
    const widget: exampleDevV1.Widget = {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      spec: { size: 'small' },
    }
    expectTypeOf(widget.spec.replicas).toEqualTypeOf<number | null | undefined>()
    // @ts-expect-error size is required and has no default
    const bad: exampleDevV1.Widget = { apiVersion: 'example.dev/v1', kind: 'Widget', spec: {} }
    expectTypeOf(bad).toEqualTypeOf<exampleDevV1.Widget>()
  })

  it('accepts the nulls the apiserver accepts and drops: creationTimestamp: null, an empty map', () => {
    const meta = { creationTimestamp: null, labels: null }
    expectTypeOf(meta).toMatchTypeOf<NonNullable<coreV1.Pod['metadata']>>()
  })

  // apiextensions-apiserver pkg/apiserver/schema/defaulting/prunenulls.go
  // PruneNonNullableNullsWithoutDefaults drops a null from a non-nullable field before
  // defaulting and validation (customresource_handler.go), so a CR may send one; a built-in's
  // Go decoding has no such step for scalars and objects.
  it('an optional field of a CRD accepts null: the apiserver prunes it', () => {
    const widget: exampleDevV1.Widget = {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      spec: { size: 'small', replicas: null, selector: null, port: null },
      status: null,
    }
    const gadget: exampleDevV1.Gadget = {
      apiVersion: 'example.dev/v1',
      kind: 'Gadget',
      spec: { color: null },
    }
    expectTypeOf(widget.spec.replicas).toEqualTypeOf<number | null | undefined>()
    expectTypeOf(gadget).toEqualTypeOf<exampleDevV1.Gadget>()
  })

  it('a required field of a CRD does not accept null: pruned, it is missing', () => {
    const widget: exampleDevV1.Widget = {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      // @ts-expect-error size is required and has no default
      spec: { size: null },
    }
    expectTypeOf(widget.spec.size).toEqualTypeOf<'large' | 'medium' | 'small'>()
  })

  it('a built-in scalar or object field does not accept null', () => {
    // @ts-expect-error restartPolicy of a built-in is never null
    const spec: coreV1.PodSpec = { containers: [], restartPolicy: null }
    expectTypeOf(spec.restartPolicy).toEqualTypeOf<'Always' | 'Never' | 'OnFailure' | undefined>()
  })

  it('names the nested objects of a CRD for import: WidgetSpec, WidgetSpecSelector', () => {
    const spec: exampleDevV1.WidgetSpec = { size: 'small', selector: { app: 'web' } }
    expectTypeOf<exampleDevV1.Widget['spec']>().toEqualTypeOf<exampleDevV1.WidgetSpec>()
    expectTypeOf(spec.selector).toEqualTypeOf<exampleDevV1.WidgetSpecSelector | null | undefined>()
  })

  it('IntOrString fields accept numbers and names in every spelling', () => {
    const v2Spelling: coreV1.ServicePort = { port: 80, targetPort: 8080 }
    const named: coreV1.ServicePort = { port: 80, targetPort: 'http' }
    const crd: exampleDevV1.Widget = {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      spec: { size: 'small', port: 'http' },
    }
    expectTypeOf(v2Spelling.targetPort).toEqualTypeOf<number | string | undefined>()
    expectTypeOf(named).toEqualTypeOf<coreV1.ServicePort>()
    expectTypeOf(crd.spec.port).toEqualTypeOf<number | string | null | undefined>()
  })

  it('Quantity is string | number', () => {
    const spec: coreV1.PodSpec = { containers: [], overhead: { cpu: '100m', memory: 1024 } }
    expectTypeOf(spec.overhead).toEqualTypeOf<
      { [key: string]: string | number } | null | undefined
    >()
  })

  it('preserve-unknown-fields and embedded resources accept arbitrary nested data', () => {
    const widget: exampleDevV1.Widget = {
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      spec: {
        size: 'large',
        config: { nested: { deeply: [1, 'two', { three: true }] } },
        selector: { app: 'web', extra: { any: 'thing' } },
        template: {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'x' },
          spec: { containers: [] },
        },
        anything: [1, 2, 3],
      },
    }
    expectTypeOf(widget.spec.config).toEqualTypeOf<{ [key: string]: unknown } | null | undefined>()
  })

  it('enums are literal unions', () => {
    // @ts-expect-error 'Sometimes' is not a restart policy the spec lists
    const spec: coreV1.PodSpec = { containers: [], restartPolicy: 'Sometimes' }
    expectTypeOf(spec.restartPolicy).toEqualTypeOf<'Always' | 'Never' | 'OnFailure' | undefined>()
  })

  it('narrows the resource union on kind', () => {
    const describe = (resource: KubernetesResource): string => {
      if (resource.kind === 'Widget') {
        expectTypeOf(resource).toEqualTypeOf<exampleDevV1.Widget>()
        return resource.spec.size
      }
      return resource.metadata?.name ?? ''
    }
    expectTypeOf(describe).returns.toEqualTypeOf<string>()
  })

  it('builds exact path strings', () => {
    expectTypeOf(coreV1.Pod.path()).toEqualTypeOf<'/api/v1/pods'>()
    expectTypeOf(coreV1.Pod.path({ namespace: 'ns' })).toEqualTypeOf<'/api/v1/namespaces/ns/pods'>()
    expectTypeOf(
      exampleDevV1.Widget.path({ namespace: 'ns', name: 'w', subresource: 'scale' }),
    ).toEqualTypeOf<'/apis/example.dev/v1/namespaces/ns/widgets/w/scale'>()
    expectTypeOf(
      coreV1.Namespace.path({ name: 'kube-system', subresource: 'status' }),
    ).toEqualTypeOf<'/api/v1/namespaces/kube-system/status'>()
    expectTypeOf(registry['v1/Pod']).toEqualTypeOf<typeof coreV1.Pod>()
  })

  it('rejects a namespace for cluster-scoped kinds and unknown subresources', () => {
    // @ts-expect-error Namespace is cluster-scoped
    coreV1.Namespace.path({ namespace: 'x' })
    // @ts-expect-error Gadget is cluster-scoped
    exampleDevV1.Gadget.path({ namespace: 'x', name: 'g' })
    // @ts-expect-error Widget has no 'exec' subresource
    exampleDevV1.Widget.path({ namespace: 'ns', name: 'w', subresource: 'exec' })
    // @ts-expect-error a subresource needs a name
    exampleDevV1.Widget.path({ namespace: 'ns', subresource: 'status' })
  })

  it('offers proxyPath only on kinds with a proxy subresource', () => {
    expectTypeOf(coreV1.Service.proxyPath({ namespace: 'ns', name: 'web' })).toEqualTypeOf<string>()
    // @ts-expect-error Pods are namespaced: the namespace is required
    coreV1.Pod.proxyPath({ name: 'web' })
    expectTypeOf(exampleDevV1.Widget).not.toHaveProperty('proxyPath')
  })
})
