// The types operations are checked against, all read from a generated descriptor: its object
// type (`ObjectOf`), list type (`ListOf`), scope (`namespaced`), group (built in or not) and
// subresources. Nothing here exists at run time.
import type { ObjectOf, ResourceInfo } from '@k8s-codegen/runtime'

/**
 * Any descriptor `defineResource()` made (every generated kind).
 *
 * @example
 * function plural<R extends AnyResource>(resource: R): R['plural'] { return resource.plural }
 */
export type AnyResource = ResourceInfo

/**
 * Names one object: `namespace` and `name` for a namespaced kind; `name` only for a
 * cluster-scoped one (a namespace does not compile).
 *
 * @example
 * const target: ObjectTarget<typeof Deployment> = { namespace: 'web', name: 'api' }
 */
export type ObjectTarget<R extends AnyResource> = R['namespaced'] extends true
  ? { readonly namespace: string; readonly name: string }
  : { readonly name: string; readonly namespace?: never }

/**
 * The namespace option of a collection: optional for a namespaced kind (omitted: all
 * namespaces), absent for a cluster-scoped one.
 *
 * @example
 * const scope: CollectionScope<typeof ConfigMap> = { namespace: 'web' }
 */
export type CollectionScope<R extends AnyResource> = R['namespaced'] extends true
  ? { readonly namespace?: string | undefined }
  : { readonly namespace?: never }

/**
 * Descriptors that serve a subresource (`status`, `scale`): the subresource operations accept
 * only these.
 *
 * @example
 * function scaled<R extends WithSubresource<'scale'>>(resource: R): R { return resource }
 */
export type WithSubresource<S extends string> = AnyResource & {
  readonly subresources: { readonly [K in S]: unknown }
}

/**
 * The groups kube-apiserver serves itself (its REST storage providers; kube-aggregator's
 * apiregistration.k8s.io and apiextensions-apiserver's apiextensions.k8s.io included): their kinds
 * are compiled Go types with patch strategies, so strategic merge patch applies to them. Custom
 * resources take only merge and JSON patches (apiextensions-apiserver answers 415).
 *
 * @example
 * const group: BuiltinGroup = 'apps'
 */
export type BuiltinGroup =
  | ''
  | 'admissionregistration.k8s.io'
  | 'apiextensions.k8s.io'
  | 'apiregistration.k8s.io'
  | 'apps'
  | 'authentication.k8s.io'
  | 'authorization.k8s.io'
  | 'autoscaling'
  | 'batch'
  | 'certificates.k8s.io'
  | 'coordination.k8s.io'
  | 'discovery.k8s.io'
  | 'events.k8s.io'
  | 'extensions'
  | 'flowcontrol.apiserver.k8s.io'
  | 'internal.apiserver.k8s.io'
  | 'networking.k8s.io'
  | 'node.k8s.io'
  | 'policy'
  | 'rbac.authorization.k8s.io'
  | 'resource.k8s.io'
  | 'scheduling.k8s.io'
  | 'storage.k8s.io'
  | 'storagemigration.k8s.io'

/**
 * Every field optional, at every depth; list items too (as client-go's apply configurations).
 * Lists may be readonly.
 *
 * @example
 * const spec: DeepPartial<DeploymentSpec> = { template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } }
 */
export type DeepPartial<T> = T extends readonly (infer E)[]
  ? readonly DeepPartial<E>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T

type MetadataOf<T> = T extends { metadata?: infer M } ? NonNullable<M> : Record<never, never>

/**
 * A server-side apply configuration of a kind: every field optional at every depth except the
 * identity — `apiVersion`, `kind`, `metadata.name`, and `metadata.namespace` for a namespaced
 * kind (client-go `applyconfigurations`: the `*ApplyConfiguration` types and their constructors'
 * required name and namespace).
 *
 * @example
 * const config: ApplyOf<typeof Deployment> = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'web' }, spec: { replicas: 3 } }
 */
export type ApplyOf<R extends AnyResource> = ApplyConfiguration<ObjectOf<R>, R['namespaced']>

/**
 * {@link ApplyOf} for an object type and scope.
 *
 * @example
 * const config: ApplyConfiguration<Namespace, false> = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web', labels: { team: 'a' } } }
 */
export type ApplyConfiguration<T, Namespaced> = DeepPartial<
  Omit<T, 'apiVersion' | 'kind' | 'metadata'>
> &
  Pick<T, Extract<keyof T, 'apiVersion' | 'kind'>> & {
    metadata: DeepPartial<Omit<MetadataOf<T>, 'name' | 'namespace'>> & {
      name: string
    } & (Namespaced extends true ? { namespace: string } : { namespace?: never })
  }

/**
 * A JSON merge patch (RFC 7386) of `T`: every field optional at every depth, `null` deletes it;
 * lists are replaced whole, so they keep their item type (readonly lists accepted).
 *
 * @example
 * const patch: MergePatch<Deployment> = { metadata: { labels: { stale: null } }, spec: { replicas: 2 } }
 */
export type MergePatch<T> = T extends readonly (infer E)[]
  ? readonly E[]
  : T extends object
    ? { [K in keyof T]?: MergePatch<T[K]> | null }
    : T

/**
 * A strategic merge patch (apimachinery pkg/util/strategicpatch) of `T`: like a merge patch,
 * but list items may be partial (lists with a patch merge key merge by it), and the directives
 * `$patch`, `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` may
 * appear at any object level.
 *
 * @example
 * const patch: StrategicMergePatch<Deployment> = { spec: { template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } } }
 */
export type StrategicMergePatch<T> = T extends readonly (infer E)[]
  ? readonly (
      StrategicMergePatch<E> | { $patch: 'delete' | 'replace' | 'merge'; [key: string]: unknown }
    )[]
  : T extends object
    ? { [K in keyof T]?: StrategicMergePatch<T[K]> | null } & {
        $patch?: 'replace' | 'merge' | 'delete'
        $retainKeys?: readonly string[]
        [directive: `$setElementOrder/${string}`]: readonly unknown[]
        [directive: `$deleteFromPrimitiveList/${string}`]: readonly unknown[]
      }
    : T

type Next = [1, 2, 3, 4, 5]

/**
 * JSON Pointers (RFC 6901) into `T`, checked for the first `Depth` levels (default 4); deeper
 * paths are any string under a checked prefix. Array levels take an index or `-` (append).
 * Keys with `/` or `~` (never schema property names) are typed unescaped.
 *
 * @example
 * const path: JsonPointer<Deployment> = '/spec/replicas'
 */
export type JsonPointer<T, Depth extends number = 4, Level extends number = 0> = Level extends Depth
  ? `/${string}`
  : T extends readonly (infer E)[]
    ? '/-' | `/${number}` | `/${number}${JsonPointer<NonNullable<E>, Depth, Next[Level]>}`
    : T extends object
      ? {
          [K in keyof T & string]-?:
            `/${K}` | `/${K}${JsonPointer<NonNullable<T[K]>, Depth, Next[Level]>}`
        }[keyof T & string]
      : never

/**
 * One JSON patch operation (RFC 6902) on `T`, its paths checked by {@link JsonPointer}.
 *
 * @example
 * const op: JsonPatchOperation<Deployment> = { op: 'replace', path: '/spec/replicas', value: 3 }
 */
export type JsonPatchOperation<T> =
  | { op: 'add' | 'replace' | 'test'; path: JsonPointer<T>; value: unknown }
  | { op: 'remove'; path: JsonPointer<T> }
  | { op: 'move' | 'copy'; from: JsonPointer<T>; path: JsonPointer<T> }

/**
 * The patches of a kind, one kind of patch per call: `{ merge }` (RFC 7386), `{ json }` (RFC 6902
 * operations) or — for built-in kinds only, a compile error for custom resources — `{ strategic }`.
 *
 * @example
 * const patch: PatchOf<typeof Deployment> = { strategic: { spec: { template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } } } }
 */
export type PatchOf<R extends AnyResource, T = ObjectOf<R>> =
  | { merge: MergePatch<T>; json?: never; strategic?: never }
  | { json: readonly JsonPatchOperation<T>[]; merge?: never; strategic?: never }
  | (R['group'] extends BuiltinGroup
      ? { strategic: StrategicMergePatch<T>; merge?: never; json?: never }
      : never)
