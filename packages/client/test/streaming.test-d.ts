import type { ListItem } from '@k8s-codegen/runtime'
import { describe, expectTypeOf, it } from 'vitest'
import type { Client, WatchEvent } from '../src/index.js'
import {
  ConfigMap,
  Namespace,
  Node,
  Pod,
  Service,
  type ConfigMap as ConfigMapObject,
  type ConfigMapList,
  type Pod as PodObject,
} from './generated/builtins/core/v1.js'

declare const k8s: Client

describe('streaming operations are typed by the descriptor', () => {
  it('watch events carry the descriptor object type', async () => {
    expectTypeOf(k8s.watch(ConfigMap, { namespace: 'web' })).toEqualTypeOf<
      AsyncIterable<WatchEvent<ConfigMapObject>>
    >()
    for await (const event of k8s.watch(Pod)) {
      if (event.type !== 'BOOKMARK') expectTypeOf(event.object).toEqualTypeOf<PodObject>()
      else expectTypeOf(event.object.metadata.resourceVersion).toEqualTypeOf<string>()
    }
  })

  it('a cluster-scoped watch or list takes no namespace', () => {
    // @ts-expect-error namespaces are cluster-scoped
    k8s.watch(Namespace, { namespace: 'web' })
    // @ts-expect-error nodes are cluster-scoped
    k8s.listAll(Node, { namespace: 'web' })
  })

  it('listAll yields list items (TypeMeta optional), listPages the list type', async () => {
    for await (const item of k8s.listAll(ConfigMap)) {
      expectTypeOf(item).toEqualTypeOf<ListItem<ConfigMapObject>>()
      expectTypeOf(item.apiVersion).toEqualTypeOf<'v1' | undefined>()
    }
    for await (const page of k8s.listPages(ConfigMap, { limit: 10 })) {
      expectTypeOf(page).toEqualTypeOf<ConfigMapList>()
    }
  })

  it('logs and evict compile only for a descriptor with the subresource', () => {
    expectTypeOf(k8s.logs(Pod, { namespace: 'web', name: 'api' })).toEqualTypeOf<
      AsyncIterable<string>
    >()
    // @ts-expect-error a ConfigMap has no log
    k8s.logs(ConfigMap, { namespace: 'web', name: 'x' })
    // @ts-expect-error a Service cannot be evicted
    void k8s.evict(Service, { namespace: 'web', name: 'x' })
    void k8s.evict(Pod, { namespace: 'web', name: 'x' })
  })

  it('proxy compiles only for descriptors made by defineProxiedResource', () => {
    expectTypeOf(
      k8s.proxy(Service, { namespace: 'web', name: 'api', port: 'http' }).fetch('/'),
    ).toEqualTypeOf<Promise<Response>>()
    k8s.proxy(Node, { name: 'node-1', port: 10255 })
    // @ts-expect-error a ConfigMap has no proxy
    k8s.proxy(ConfigMap, { namespace: 'web', name: 'x' })
    // @ts-expect-error only services take a named port
    k8s.proxy(Pod, { namespace: 'web', name: 'x', port: 'http' })
    // @ts-expect-error nodes are cluster-scoped
    k8s.proxy(Node, { namespace: 'web', name: 'node-1' })
  })
})
