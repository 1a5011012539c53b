// Resource descriptors: the static facts generated code declares about one served resource, and
// the REST and proxy paths built from them. Paths follow the apiserver's URL layout (apiserver
// pkg/endpoints/installer.go registerResourceHandlers: `<prefix>[/namespaces/{ns}]/<plural>[/{name}
// [/<subresource>]]`); the proxy path is @k8s-codegen/proxy-url's, so there is one implementation.
import {
  buildProxyPath,
  isDns1123Label,
  validatePathSegmentName,
  type ProxyKind,
  type ProxyQuery,
} from '@k8s-codegen/proxy-url'

import { ResourcePathError } from './errors.js'

/**
 * Static facts about one served subresource.
 *
 * @example
 * const scale: SubresourceInfo = { apiVersion: 'autoscaling/v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }
 */
export interface SubresourceInfo {
  readonly apiVersion: string
  readonly kind: string
  readonly verbs: readonly string[]
}

/**
 * Static facts about one served resource, as derived from the spec paths and discovery.
 *
 * @example
 * const info: ResourceInfo = { apiVersion: 'v1', group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, verbs: ['get'], subresources: {} }
 */
export interface ResourceInfo {
  readonly apiVersion: string
  readonly group: string
  readonly version: string
  readonly kind: string
  readonly plural: string
  readonly singular: string
  readonly namespaced: boolean
  readonly verbs: readonly string[]
  readonly subresources: { readonly [name: string]: SubresourceInfo }
  readonly listKind?: string
  readonly shortNames?: readonly string[]
  readonly categories?: readonly string[]
  /** A custom resource's `additionalPrinterColumns` (what `kubectl get` prints), from its CRD. */
  readonly printerColumns?: readonly PrinterColumn[]
  /** Set when this version of a custom resource is deprecated: the warning the server sends. */
  readonly deprecationWarning?: string
}

/**
 * One column `kubectl get` prints for a custom resource (apiextensions/v1
 * `CustomResourceColumnDefinition`).
 *
 * @example
 * const ready: PrinterColumn = { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status', priority: 0 }
 */
export interface PrinterColumn {
  readonly name: string
  /** `integer`, `number`, `string`, `boolean` or `date`. */
  readonly type: string
  readonly jsonPath: string
  readonly description?: string
  /** 0 is shown by default; higher only with `kubectl get -o wide`. */
  readonly priority?: number
  readonly format?: string
}

type Subresource<I extends ResourceInfo> = Extract<keyof I['subresources'], string>

/**
 * Options of `path()` for a namespaced resource; omit `namespace` for all-namespaces lists.
 *
 * @example
 * const options: NamespacedPathOptions<'scale'> = { namespace: 'prod', name: 'web', subresource: 'scale' }
 */
export type NamespacedPathOptions<S extends string> =
  | { readonly namespace?: string; readonly name?: undefined; readonly subresource?: undefined }
  | { readonly namespace?: string; readonly name: string; readonly subresource?: S }

/**
 * Options of `path()` for a cluster-scoped resource: passing `namespace` does not compile.
 *
 * @example
 * const options: ClusterPathOptions<'status'> = { name: 'prod', subresource: 'status' }
 */
export type ClusterPathOptions<S extends string> =
  | { readonly namespace?: never; readonly name?: undefined; readonly subresource?: undefined }
  | { readonly namespace?: never; readonly name: string; readonly subresource?: S }

/**
 * `path()` options of a resource, by its scope.
 *
 * @example
 * const options: PathOptions<typeof Deployment> = { namespace: 'prod', name: 'web' }
 */
export type PathOptions<I extends ResourceInfo> = I['namespaced'] extends true
  ? NamespacedPathOptions<Subresource<I>>
  : ClusterPathOptions<Subresource<I>>

/**
 * `/api/v1` for the core group, `/apis/<group>/<version>` otherwise.
 *
 * @example
 * const prefix: GroupVersionPrefix<typeof Deployment> = '/apis/apps/v1'
 */
export type GroupVersionPrefix<I extends ResourceInfo> = I['group'] extends ''
  ? `/api/${I['version']}`
  : `/apis/${I['group']}/${I['version']}`

type NamespaceSegment<O> = O extends { readonly namespace: infer N extends string }
  ? `/namespaces/${N}`
  : ''
type NameSegment<O> = O extends { readonly name: infer N extends string } ? `/${N}` : ''
type SubresourceSegment<O> = O extends { readonly subresource: infer S extends string }
  ? `/${S}`
  : ''

/**
 * The exact REST path `path(options)` returns.
 *
 * @example
 * const path: ResourcePath<typeof Deployment, { namespace: 'prod' }> = '/apis/apps/v1/namespaces/prod/deployments'
 */
export type ResourcePath<
  I extends ResourceInfo,
  O,
> = `${GroupVersionPrefix<I>}${NamespaceSegment<O>}/${I['plural']}${NameSegment<O>}${SubresourceSegment<O>}`

// Type-only keys: a descriptor carries the types of its objects and lists without any run-time
// value, so a client can type `get(Deployment, …)` from the descriptor alone.
declare const objectType: unique symbol
declare const listType: unique symbol

/**
 * A resource descriptor: its static facts, the types of its objects (`T`) and lists (`L`), and a
 * scope-checked REST path builder.
 *
 * @example
 * Deployment.path({ namespace: 'prod', name: 'web', subresource: 'scale' }) // '/apis/apps/v1/namespaces/prod/deployments/web/scale'
 */
export type Resource<I extends ResourceInfo, T = unknown, L = unknown> = I & {
  /** The REST path of the collection, an object, or one of its subresources. */
  path<const O extends PathOptions<I> = Record<never, never>>(options?: O): ResourcePath<I, O>
  /** Type only, never present at run time: the object type. Read it with {@link ObjectOf}. */
  readonly [objectType]?: T
  /** Type only, never present at run time: the list type. Read it with {@link ListOf}. */
  readonly [listType]?: L
}

/**
 * The object type a descriptor describes.
 *
 * @example
 * const d: ObjectOf<typeof Deployment> = { apiVersion: 'apps/v1', kind: 'Deployment' }
 */
export type ObjectOf<R> = R extends { readonly [objectType]?: infer T } ? T : never

/**
 * The list type of a descriptor's collection.
 *
 * @example
 * declare const list: ListOf<typeof Deployment>
 * list.items.map((d) => d.metadata?.name)
 */
export type ListOf<R> = R extends { readonly [listType]?: infer L } ? L : never

/**
 * A kind's object used as a field of another object (a StatefulSet's `volumeClaimTemplates`
 * items are PersistentVolumeClaims): `apiVersion` and `kind` are optional there, and exact when
 * written. The apiserver decodes the enclosing object and validates the embedded one's metadata
 * and spec, never its TypeMeta (kubernetes pkg/apis/apps/validation/validation.go
 * ValidateStatefulSetSpec), while the resource itself keeps both required.
 *
 * @example
 * const template: Embedded<{ apiVersion: 'v1'; kind: 'PersistentVolumeClaim'; spec?: object }> = { spec: {} }
 */
export type Embedded<T> = T extends { apiVersion: infer A; kind: infer K }
  ? Omit<T, 'apiVersion' | 'kind'> & { apiVersion?: A; kind?: K }
  : T

/**
 * An item of a List as the server sends it: when kube-apiserver encodes a built-in list, only the
 * list carries TypeMeta and its items come without `apiVersion` and `kind` (custom resources'
 * items keep theirs), so both are optional there while they stay required in what users write.
 *
 * @example
 * const item: ListItem<{ apiVersion: 'v1'; kind: 'Pod'; spec?: object }> = { spec: {} }
 */
export type ListItem<T> = Embedded<T>

/**
 * Options of `proxyPath()`: the target object, optional scheme and port, the proxied path (plain
 * text in `path`, or percent-encoded in `rawPath`: `..` clamps at the proxy root either way) and
 * query. Only services resolve named ports.
 *
 * @example
 * const options: ProxyPathOptions<typeof Service> = { namespace: 'prod', name: 'web', port: 'http', path: 'healthz' }
 */
export type ProxyPathOptions<I extends ResourceInfo> = (I['namespaced'] extends true
  ? { readonly namespace: string }
  : { readonly namespace?: never }) & {
  readonly name: string
  readonly scheme?: 'http' | 'https'
  readonly port?: I['plural'] extends 'services' ? string | number : number
  readonly path?: string
  /** Instead of `path`: an already percent-encoded path (`a%2Fb`), decoded once, then the same. */
  readonly rawPath?: string
  readonly query?: ProxyQuery
}

/**
 * A resource with the apiserver proxy (core/v1 Service, Pod, Node).
 *
 * @example
 * Service.proxyPath({ namespace: 'prod', name: 'web', path: '../../../secrets' }) // '/api/v1/namespaces/prod/services/web/proxy/secrets'
 */
export type ProxiedResource<I extends ResourceInfo, T = unknown, L = unknown> = Resource<
  I,
  T,
  L
> & {
  /** The apiserver proxy path of one object; never leaves its `/proxy/` prefix. */
  proxyPath(options: ProxyPathOptions<I>): string
}

// The implementations are typed loosely on purpose: the exact types live in the overload
// signatures only, so a consumer's compiler never relates the generic descriptor types to an
// implementation (a cast there made importing one module cost ~0.4 s of check time).
interface PathInput {
  readonly namespace?: unknown
  readonly name?: unknown
  readonly subresource?: unknown
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value
}

// apimachinery pkg/api/validation/generic.go ValidateNamespaceName: a DNS-1123 label.
function checkNamespace(info: ResourceInfo, namespace: unknown): string {
  if (typeof namespace !== 'string' || !isDns1123Label(namespace)) {
    throw new ResourcePathError(
      'K8S_CODEGEN_PATH_INVALID_NAMESPACE',
      `${info.plural}: namespace ${describe(namespace)} is not a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters)`,
    )
  }
  return namespace
}

// apimachinery pkg/api/validation/path/name.go IsValidPathSegmentName: every object name must be
// one path segment; kinds add stricter rules the server enforces on create.
function checkName(info: ResourceInfo, name: unknown): string {
  const problems = typeof name === 'string' ? validatePathSegmentName(name) : ['is not a string']
  if (typeof name !== 'string' || name === '' || problems.length > 0) {
    throw new ResourcePathError(
      'K8S_CODEGEN_PATH_INVALID_NAME',
      `${info.plural}: name ${describe(name)} is not a valid path segment: it ${problems.length > 0 ? problems.join(' and ') : 'is empty'}`,
    )
  }
  return encodeURIComponent(name)
}

function buildPath(info: ResourceInfo, options: PathInput): string {
  let path = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`
  if (options.namespace !== undefined) {
    if (!info.namespaced) {
      throw new ResourcePathError(
        'K8S_CODEGEN_PATH_SCOPE',
        `${info.plural} is cluster-scoped: a namespace cannot be given`,
      )
    }
    path += `/namespaces/${checkNamespace(info, options.namespace)}`
  }
  path += `/${info.plural}`
  if (options.name !== undefined) path += `/${checkName(info, options.name)}`
  if (options.subresource !== undefined) {
    const sub = options.subresource
    if (
      options.name === undefined ||
      typeof sub !== 'string' ||
      !Object.prototype.hasOwnProperty.call(info.subresources, sub)
    ) {
      throw new ResourcePathError(
        'K8S_CODEGEN_PATH_INVALID_SUBRESOURCE',
        `${info.plural}: subresource ${describe(sub)} needs a name and must be one of [${Object.keys(info.subresources).join(', ')}]`,
      )
    }
    path += `/${sub}`
  }
  return path
}

const PROXY_KINDS: Readonly<Record<string, ProxyKind>> = {
  services: 'service',
  pods: 'pod',
  nodes: 'node',
}

// The apiserver proxy exists for core/v1 services, pods and nodes only (kubernetes
// pkg/registry/core/{service,pod,node}/rest ProxyREST).
function proxyKind(info: ResourceInfo): ProxyKind {
  const kind = Object.prototype.hasOwnProperty.call(PROXY_KINDS, info.plural)
    ? PROXY_KINDS[info.plural]
    : undefined
  if (kind === undefined || info.group !== '' || info.version !== 'v1') {
    throw new ResourcePathError(
      'K8S_CODEGEN_PATH_NOT_PROXIED',
      `${info.apiVersion} ${info.plural} has no apiserver proxy: only core/v1 services, pods and nodes do`,
    )
  }
  return kind
}

/**
 * Attaches the path builder to a resource's static facts. The first call fixes the object and
 * list types (type arguments only), the second takes the facts as a literal.
 *
 * @example
 * export const Deployment = defineResource<Deployment, DeploymentList>()({ apiVersion: 'apps/v1', group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, verbs: ['get'], subresources: {} })
 */
export function defineResource<T = unknown, L = unknown>(): <const I extends ResourceInfo>(
  info: I,
) => Resource<I, T, L>
export function defineResource(): (info: ResourceInfo) => unknown {
  return (info) => ({
    ...info,
    path: (options?: PathInput) => buildPath(info, options ?? {}),
  })
}

/**
 * Like {@link defineResource}, plus `proxyPath()` for core/v1 services, pods and nodes.
 *
 * @example
 * export const Service = defineProxiedResource<Service, ServiceList>()({ apiVersion: 'v1', group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, verbs: ['get'], subresources: { proxy: { apiVersion: 'v1', kind: 'Service', verbs: ['get'] } } })
 */
export function defineProxiedResource<T = unknown, L = unknown>(): <const I extends ResourceInfo>(
  info: I,
) => ProxiedResource<I, T, L>
export function defineProxiedResource(): (info: ResourceInfo) => unknown {
  return (info) => ({
    ...info,
    path: (options?: PathInput) => buildPath(info, options ?? {}),
    proxyPath: (options: ProxyPathOptions<ResourceInfo>) => {
      const kind = proxyKind(info)
      if (typeof options !== 'object' || options === null) {
        throw new ResourcePathError(
          'K8S_CODEGEN_PATH_INVALID_NAME',
          `${info.plural}: proxyPath() takes an object with at least a name`,
        )
      }
      return buildProxyPath({ ...options, kind })
    },
  })
}
