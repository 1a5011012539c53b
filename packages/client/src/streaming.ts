// The streaming half of the client — watch, all-pages list, pod logs, eviction and the
// apiserver proxy — as methods a client gets from `createClient` (see client.ts).
import type {
  ListItem,
  ListOf,
  ObjectOf,
  ProxiedResource,
  ResourceInfo,
} from '@k8s-codegen/runtime'

import type { ClientContext } from './_transport.js'
import {
  evict,
  type EvictionDeleteOptions,
  type EvictionResource,
  type EvictionStatus,
} from './evict.js'
import { listAll, listPages, type ListAllOptions } from './list-all.js'
import { logs, type LogOptions, type LogResource } from './logs.js'
import { proxy, type ProxyFetcher, type ProxyTarget } from './proxy.js'
import { watch, type WatchEvent, type WatchOptions } from './watch.js'

/**
 * The streaming operations of a {@link Client}.
 *
 * @example
 * for await (const e of k8s.watch(Deployment, { namespace: 'web' })) console.log(e.type)
 */
export interface StreamingOperations {
  /**
   * Watches a collection: typed ADDED/MODIFIED/DELETED/BOOKMARK events that survive dropped
   * connections (resumed from the last resourceVersion) and expiries (a relist turned into
   * events). `break` or `signal` closes it.
   */
  watch<R extends ResourceInfo>(
    resource: R,
    options?: WatchOptions<R>,
  ): AsyncIterable<WatchEvent<ObjectOf<R>>>
  /** The pages of a collection (`limit`/`continue`, client-go pager semantics on 410). */
  listPages<R extends ResourceInfo>(
    resource: R,
    options?: ListAllOptions<R>,
  ): AsyncIterable<ListOf<R>>
  /** Every item of a collection, page after page. */
  listAll<R extends ResourceInfo>(
    resource: R,
    options?: ListAllOptions<R>,
  ): AsyncIterable<ListItem<ObjectOf<R>>>
  /** A container's log, line by line (`follow` keeps it open). */
  logs(resource: LogResource, options: LogOptions): AsyncIterable<string>
  /** Evicts a pod (PodDisruptionBudgets apply: a refusal is `isTooManyRequests`). */
  evict(
    resource: EvictionResource,
    target: { namespace: string; name: string },
    options?: { deleteOptions?: EvictionDeleteOptions; signal?: AbortSignal },
  ): Promise<EvictionStatus>
  /** The apiserver proxy of one service, pod or node, as a fetch returning a `Response`. */
  proxy<I extends ResourceInfo, T, L>(
    resource: ProxiedResource<I, T, L>,
    target: ProxyTarget<I>,
  ): ProxyFetcher
}

/** The streaming operations over one client context. */
export function streamingOperations(context: ClientContext): StreamingOperations {
  return {
    watch: (resource, options) => watch(context, resource, options),
    listPages: (resource, options) => listPages(context, resource, options),
    listAll: (resource, options) => listAll(context, resource, options),
    logs: (resource, options) => logs(context, resource, options),
    evict: (resource, target, options) => evict(context, resource, target, options),
    proxy: (resource, target) => proxy(context, resource, target),
  }
}
