// Descriptors for the streaming tests, shaped as `k8s-codegen generate` emits them for core/v1:
// ConfigMap (no log, eviction or proxy: the compile-error rows), Pod (log, eviction, proxy),
// Service (proxy), Node (cluster-scoped, proxy), Namespace (cluster-scoped).
import { defineProxiedResource, defineResource } from '@k8s-codegen/runtime'

interface ObjectMeta {
  name?: string
  namespace?: string
  labels?: Record<string, string>
  resourceVersion?: string
  uid?: string
}

export interface ConfigMap {
  apiVersion: 'v1'
  kind: 'ConfigMap'
  metadata?: ObjectMeta
  data?: Record<string, string>
}
export interface ConfigMapList {
  apiVersion: 'v1'
  kind: 'ConfigMapList'
  metadata?: { resourceVersion?: string; continue?: string }
  items: ConfigMap[]
}
export const ConfigMap = defineResource<ConfigMap, ConfigMapList>()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {},
})

export interface Pod {
  apiVersion: 'v1'
  kind: 'Pod'
  metadata?: ObjectMeta
  spec?: { nodeName?: string; containers: { name: string; image?: string }[] }
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] }
}
export interface PodList {
  apiVersion: 'v1'
  kind: 'PodList'
  metadata?: { resourceVersion?: string; continue?: string }
  items: Pod[]
}
export const Pod = defineProxiedResource<Pod, PodList>()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {
    eviction: { apiVersion: 'policy/v1', kind: 'Eviction', verbs: ['create'] },
    log: { apiVersion: 'v1', kind: 'Pod', verbs: ['get'] },
    proxy: {
      apiVersion: 'v1',
      kind: 'PodProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    status: { apiVersion: 'v1', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
  },
})

export interface Service {
  apiVersion: 'v1'
  kind: 'Service'
  metadata?: ObjectMeta
  spec?: { ports?: { name?: string; port: number }[] }
}
export interface ServiceList {
  apiVersion: 'v1'
  kind: 'ServiceList'
  items: Service[]
}
export const Service = defineProxiedResource<Service, ServiceList>()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {
    proxy: {
      apiVersion: 'v1',
      kind: 'ServiceProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    status: { apiVersion: 'v1', kind: 'Service', verbs: ['get', 'patch', 'update'] },
  },
})

export interface Node {
  apiVersion: 'v1'
  kind: 'Node'
  metadata?: ObjectMeta
  status?: { addresses?: { type: string; address: string }[] }
}
export interface NodeList {
  apiVersion: 'v1'
  kind: 'NodeList'
  items: Node[]
}
export const Node = defineProxiedResource<Node, NodeList>()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {
    proxy: {
      apiVersion: 'v1',
      kind: 'NodeProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
    status: { apiVersion: 'v1', kind: 'Node', verbs: ['get', 'patch', 'update'] },
  },
})

export interface Namespace {
  apiVersion: 'v1'
  kind: 'Namespace'
  metadata?: ObjectMeta
}
export interface NamespaceList {
  apiVersion: 'v1'
  kind: 'NamespaceList'
  items: Namespace[]
}
export const Namespace = defineResource<Namespace, NamespaceList>()({
  apiVersion: 'v1',
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {},
})

export interface Widget {
  apiVersion: 'example.dev/v1'
  kind: 'Widget'
  metadata?: ObjectMeta
  spec?: { size?: number }
}
export interface WidgetList {
  apiVersion: 'example.dev/v1'
  kind: 'WidgetList'
  items: Widget[]
}
/** A custom resource the emulator serves only with `exampleCrds: true`. */
export const Widget = defineResource<Widget, WidgetList>()({
  apiVersion: 'example.dev/v1',
  group: 'example.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {},
})
