// Typed literals of the project-authored test CRDs (packages/openapi/test/fixtures/crds): each
// feature of the conversion shows in the generated types.
import type { Gadget, Widget } from '../k8s/example.dev/v1.js'
import type { Widget as WidgetV1beta1 } from '../k8s/example.dev/v1beta1.js'
import { Gadget as GadgetResource, Widget as WidgetResource } from '../k8s/example.dev/v1.js'

export const widget: Widget = {
  apiVersion: 'example.dev/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'default', labels: { app: 'w' } },
  spec: {
    replicas: 2,
    size: '10Gi', // x-kubernetes-int-or-string
    config: { anything: { nested: [1, 2] } }, // x-kubernetes-preserve-unknown-fields
    template: {
      // x-kubernetes-embedded-resource: apiVersion, kind and metadata added and required
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'managed' },
      data: { a: 'b' },
    },
    mode: 'fast',
  },
  status: { replicas: 2, conditions: [{ type: 'Ready', status: 'True' }] },
}

export const widgetBySize: Widget = {
  apiVersion: 'example.dev/v1',
  kind: 'Widget',
  spec: { size: 3 },
}

export const noKind: Widget = {
  apiVersion: 'example.dev/v1',
  kind: 'Widget',
  // @ts-expect-error an embedded resource requires kind and apiVersion
  spec: { size: 1, template: { apiVersion: 'v1' } },
}

export const wrongMode: Widget = {
  apiVersion: 'example.dev/v1',
  kind: 'Widget',
  // @ts-expect-error mode is fast | slow
  spec: { size: 1, mode: 'medium' },
}

// The deprecated, still served version has its own module.
export const old: WidgetV1beta1 = {
  apiVersion: 'example.dev/v1beta1',
  kind: 'Widget',
  spec: { size: '1' },
}

// Cluster-scoped: no namespace in the path.
export const gadget: Gadget = {
  apiVersion: 'example.dev/v1',
  kind: 'Gadget',
  spec: { color: 'blue', ports: [80, 'http'] },
}

// The descriptors take scope, plural, subresources and short names from the CRD.
export const scalePath: '/apis/example.dev/v1/namespaces/default/widgets/w/scale' =
  WidgetResource.path({ namespace: 'default', name: 'w', subresource: 'scale' })
export const gadgetPath: '/apis/example.dev/v1/gadgets/g' = GadgetResource.path({ name: 'g' })
// @ts-expect-error a cluster-scoped kind has no namespace
GadgetResource.path({ namespace: 'default', name: 'g' })
export const shortNames: readonly ['wd'] = WidgetResource.shortNames
export const categories: readonly ['all', 'example'] = WidgetResource.categories
