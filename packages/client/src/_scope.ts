// Where a collection lives and how its objects are keyed, shared by the streaming operations.
import type { ResourceInfo } from '@k8s-codegen/runtime'

/**
 * `namespace` for a namespaced resource (omit it for all namespaces); a cluster-scoped
 * resource takes none.
 *
 * @example
 * const scope: ScopeOptions<typeof ConfigMap> = { namespace: 'web' }
 */
export type ScopeOptions<R extends ResourceInfo> = R['namespaced'] extends true
  ? { namespace?: string }
  : { namespace?: never }

interface PathBuilder {
  path(options?: { namespace?: string; name?: string; subresource?: string }): string
}

/** The collection path of a resource, in one namespace or across all. */
export function collectionPath(resource: ResourceInfo, namespace: string | undefined): string {
  return (resource as unknown as PathBuilder).path(namespace === undefined ? {} : { namespace })
}

/** An object's (or a subresource's) path. */
export function objectPath(
  resource: ResourceInfo,
  options: { namespace?: string | undefined; name: string; subresource?: string },
): string {
  const { namespace, ...rest } = options
  return (resource as unknown as PathBuilder).path(
    namespace === undefined ? rest : { namespace, ...rest },
  )
}

/** `namespace/name`: the order lists are served in (etcd keys), and a watch's identity. */
export function keyOf(object: unknown): string {
  const metadata =
    typeof object === 'object' && object !== null
      ? (object as { metadata?: { namespace?: unknown; name?: unknown } }).metadata
      : undefined
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : ''
  const name = typeof metadata?.name === 'string' ? metadata.name : ''
  return `${namespace}/${name}`
}

/** `metadata.resourceVersion` of an object ('' when absent). */
export function resourceVersionOf(object: unknown): string {
  const metadata =
    typeof object === 'object' && object !== null
      ? (object as { metadata?: { resourceVersion?: unknown } }).metadata
      : undefined
  return typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : ''
}
