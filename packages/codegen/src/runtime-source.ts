// The `_runtime.ts` file every output carries, so the output imports nothing it does not declare.
// Its rules reproduce the same Kubernetes definitions `@k8s-codegen/proxy-url` follows, with
// citations, because generated code must run in a browser without that package installed.

/** Source of `_runtime.ts` (before the header and formatting). */
export const RUNTIME_SOURCE = `
/** Static facts about one served subresource. */
export interface SubresourceInfo {
  readonly apiVersion: string
  readonly kind: string
  readonly verbs: readonly string[]
}

/** Static facts about one served resource, as derived from the spec paths and discovery. */
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
}

type Subresource<I extends ResourceInfo> = Extract<keyof I['subresources'], string>

/** Options of \`path()\` for a namespaced resource; omit \`namespace\` for all-namespaces lists. */
export type NamespacedPathOptions<S extends string> =
  | { readonly namespace?: string; readonly name?: undefined; readonly subresource?: undefined }
  | { readonly namespace?: string; readonly name: string; readonly subresource?: S }

/** Options of \`path()\` for a cluster-scoped resource: passing \`namespace\` does not compile. */
export type ClusterPathOptions<S extends string> =
  | { readonly namespace?: never; readonly name?: undefined; readonly subresource?: undefined }
  | { readonly namespace?: never; readonly name: string; readonly subresource?: S }

/** \`path()\` options of a resource, by its scope. */
export type PathOptions<I extends ResourceInfo> = I['namespaced'] extends true
  ? NamespacedPathOptions<Subresource<I>>
  : ClusterPathOptions<Subresource<I>>

/** \`/api/v1\` for the core group, \`/apis/<group>/<version>\` otherwise. */
export type GroupVersionPrefix<I extends ResourceInfo> = I['group'] extends ''
  ? \`/api/\${I['version']}\`
  : \`/apis/\${I['group']}/\${I['version']}\`

type NamespaceSegment<O> = O extends { readonly namespace: infer N extends string } ? \`/namespaces/\${N}\` : ''
type NameSegment<O> = O extends { readonly name: infer N extends string } ? \`/\${N}\` : ''
type SubresourceSegment<O> = O extends { readonly subresource: infer S extends string } ? \`/\${S}\` : ''

/** The exact REST path \`path(options)\` returns. */
export type ResourcePath<I extends ResourceInfo, O> =
  \`\${GroupVersionPrefix<I>}\${NamespaceSegment<O>}/\${I['plural']}\${NameSegment<O>}\${SubresourceSegment<O>}\`

/** A resource descriptor: its static facts and a scope-checked REST path builder. */
export type Resource<I extends ResourceInfo> = I & {
  /** The REST path of the collection, an object, or one of its subresources. */
  path<const O extends PathOptions<I> = Record<never, never>>(options?: O): ResourcePath<I, O>
}

/** Options of \`proxyPath()\`: the target object, optional scheme/port, and the proxied path. */
export type ProxyPathOptions<I extends ResourceInfo> = (I['namespaced'] extends true
  ? { readonly namespace: string }
  : { readonly namespace?: never }) & {
  readonly name: string
  readonly scheme?: 'http' | 'https'
  readonly port?: string | number
  readonly path?: string
}

/** A resource with a \`proxy\` subresource (Pod, Service, Node). */
export type ProxiedResource<I extends ResourceInfo> = Resource<I> & {
  /** The apiserver proxy path of one object, e.g. \`/api/v1/namespaces/ns/services/https:web:8443/proxy/healthz\`. */
  proxyPath(options: ProxyPathOptions<I>): string
}

const brand = Symbol.for('k8s-codegen.error')

/** Codes of {@link ResourcePathError}. */
export type ResourcePathErrorCode =
  | 'K8S_CODEGEN_PATH_INVALID_NAMESPACE'
  | 'K8S_CODEGEN_PATH_INVALID_NAME'
  | 'K8S_CODEGEN_PATH_SCOPE'
  | 'K8S_CODEGEN_PATH_INVALID_SUBRESOURCE'
  | 'K8S_CODEGEN_PATH_INVALID_PORT'

/** Thrown by \`path()\`/\`proxyPath()\` for a name the apiserver would reject; \`isK8sCodegenError\` recognises it. */
export class ResourcePathError extends Error {
  readonly code: ResourcePathErrorCode
  constructor(code: ResourcePathErrorCode, message: string) {
    super(message)
    this.code = code
    this.name = 'ResourcePathError'
    Object.defineProperty(this, brand, { value: true })
  }
}

// apimachinery pkg/util/validation/validation.go IsDNS1123Label; namespaces must be labels
// (apimachinery pkg/api/validation/generic.go ValidateNamespaceName).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

function checkNamespace(info: ResourceInfo, namespace: string): string {
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    throw new ResourcePathError(
      'K8S_CODEGEN_PATH_INVALID_NAMESPACE',
      \`\${info.plural}: namespace \${JSON.stringify(namespace)} is not a DNS-1123 label (lower-case alphanumerics and '-', at most 63 characters)\`,
    )
  }
  return namespace
}

// apimachinery pkg/api/validation/path/name.go IsValidPathSegmentName: every object name must be
// usable as one path segment; kinds add stricter rules the server enforces on create.
function checkName(info: ResourceInfo, name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('%')) {
    throw new ResourcePathError(
      'K8S_CODEGEN_PATH_INVALID_NAME',
      \`\${info.plural}: name \${JSON.stringify(name)} is not a valid path segment (non-empty, not '.' or '..', no '/' or '%')\`,
    )
  }
  return encodeURIComponent(name)
}

function buildPath(info: ResourceInfo, options: PathInput): string {
  let path = info.group === '' ? \`/api/\${info.version}\` : \`/apis/\${info.group}/\${info.version}\`
  if (options.namespace !== undefined) {
    if (!info.namespaced) {
      throw new ResourcePathError('K8S_CODEGEN_PATH_SCOPE', \`\${info.plural} is cluster-scoped: a namespace cannot be given\`)
    }
    path += \`/namespaces/\${checkNamespace(info, options.namespace)}\`
  }
  path += \`/\${info.plural}\`
  if (options.name !== undefined) path += \`/\${checkName(info, options.name)}\`
  if (options.subresource !== undefined) {
    if (options.name === undefined || !Object.prototype.hasOwnProperty.call(info.subresources, options.subresource)) {
      throw new ResourcePathError(
        'K8S_CODEGEN_PATH_INVALID_SUBRESOURCE',
        \`\${info.plural}: subresource \${JSON.stringify(options.subresource)} needs a name and must be one of [\${Object.keys(info.subresources).join(', ')}]\`,
      )
    }
    path += \`/\${options.subresource}\`
  }
  return path
}

// The implementations are typed loosely on purpose: the exact types live in the overload
// signatures only, so a consumer's compiler never has to relate the generic descriptor types to
// an implementation (a cast there made importing one module cost ~0.4 s of check time).
interface PathInput {
  readonly namespace?: string | undefined
  readonly name?: string | undefined
  readonly subresource?: string | undefined
}

interface ProxyInput {
  readonly namespace?: string | undefined
  readonly name: string
  readonly scheme?: 'http' | 'https' | undefined
  readonly port?: string | number | undefined
  readonly path?: string | undefined
}

// The proxy segment is \`[scheme:]name[:port]\` (apimachinery pkg/util/net/port_split.go
// SplitSchemeNamePort); the proxied path follows \`/proxy/\` (apiserver pkg/registry/core/*/rest/proxy.go).
function proxyPath(info: ResourceInfo, options: ProxyInput): string {
  const port = options.port === undefined ? '' : String(options.port)
  if (port !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port)) {
    throw new ResourcePathError('K8S_CODEGEN_PATH_INVALID_PORT', \`\${info.plural}: port \${JSON.stringify(port)} is neither a number nor a port name\`)
  }
  const name = checkName(info, options.name)
  const segment = \`\${options.scheme === undefined ? '' : \`\${options.scheme}:\`}\${name}\${port === '' ? '' : \`:\${port}\`}\`
  const base = buildPath(info, options.namespace === undefined ? {} : { namespace: options.namespace })
  const rest = (options.path ?? '').split('/').filter((s) => s !== '').map(encodeURIComponent).join('/')
  return \`\${base}/\${segment}/proxy\${rest === '' ? '' : \`/\${rest}\`}\`
}

/** Attaches the path builder to a resource's static facts (an \`as const\` literal). */
export function defineResource<I extends ResourceInfo>(info: I): Resource<I>
export function defineResource(info: ResourceInfo): unknown {
  return { ...info, path: (options?: PathInput) => buildPath(info, options ?? {}) }
}

/** Attaches the path and proxy path builders to a resource's static facts. */
export function defineProxiedResource<I extends ResourceInfo>(info: I): ProxiedResource<I>
export function defineProxiedResource(info: ResourceInfo): unknown {
  return {
    ...info,
    path: (options?: PathInput) => buildPath(info, options ?? {}),
    proxyPath: (options: ProxyInput) => proxyPath(info, options),
  }
}
`
