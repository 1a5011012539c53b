import type { JsonObject } from '../types.js'
import type { CrdVersion, CustomResourceDefinition } from './types.js'

// The REST routes apiextensions-apiserver publishes for one CRD version, independent of the
// OpenAPI version they are printed in: `pkg/controller/openapi/builder/builder.go`
// generateBuilder (the route list), buildRoute (options, media types, responses) and
// descriptionFor; operation IDs and tags as apiserver `pkg/endpoints/openapi/openapi.go`
// GetOperationIDAndTags names them.

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale'
export const CONVENTIONS =
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md'

/** metav1 TypeMeta's generated OpenAPI `apiVersion` (builder.go addTypeMetaProperties). */
export const API_VERSION: JsonObject = {
  description: `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${CONVENTIONS}#resources`,
  type: 'string',
}
/** metav1 TypeMeta's generated OpenAPI `kind`. */
export const KIND: JsonObject = {
  description: `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${CONVENTIONS}#types-kinds`,
  type: 'string',
}
/** metav1beta1 PartialObjectMetadata{}.SwaggerDoc()["metadata"]. */
export const OBJECT_META_DOC = `Standard object's metadata. More info: ${CONVENTIONS}#metadata`
/** metav1beta1 PartialObjectMetadataList{}.SwaggerDoc()["metadata"]. */
export const LIST_META_DOC = `Standard list metadata. More info: ${CONVENTIONS}#types-kinds`
/** addEmbeddedProperties' own descriptions of an embedded object's apiVersion and kind. */
export const EMBEDDED_API_VERSION_DOC = `apiVersion defines the versioned schema of this representation of an object. More info: ${CONVENTIONS}#resources`
export const EMBEDDED_KIND_DOC = `kind is a string value representing the type of this object. In CamelCase. More info: ${CONVENTIONS}#types-kinds`

/**
 * kube-openapi `pkg/util/util.go` ToRESTFriendlyName as the apiserver's DefinitionNamer applies
 * it to `<group>/<version>.<kind>`: the group's domain reversed, '/' → '.'.
 *
 * @example
 * crdSchemaName('cert-manager.io', 'v1', 'Certificate') // 'io.cert-manager.v1.Certificate'
 */
export function crdSchemaName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`
}

/**
 * apiserver `pkg/endpoints/openapi/openapi.go` ToValidOperationID: letters and '_' kept,
 * digits kept after the first character, anything else dropped and the next letter capitalized.
 *
 * @example
 * toValidOperationId('cert-manager.io', true) // 'CertManagerIo'
 */
export function toValidOperationId(s: string, capitalizeFirst: boolean): string {
  let out = ''
  let capitalize = capitalizeFirst
  ;[...s].forEach((c, i) => {
    if (/\p{L}/u.test(c) || c === '_' || (i !== 0 && /\p{Nd}/u.test(c))) {
      out += capitalize ? c.toUpperCase() : c
      capitalize = false
    } else capitalize = true
  })
  return out
}

// GetOperationIDAndTags: `<verb><Group><Version><rest>` and the tag `<group>_<version>`, with a
// trailing `.k8s.io` trimmed from the group.
function operationNaming(group: string, version: string): { infix: string; tag: string } {
  const trimmed = group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group
  return {
    infix: toValidOperationId(trimmed, true) + toValidOperationId(version, true),
    tag: `${toValidOperationId(trimmed, false)}_${toValidOperationId(version, false)}`,
  }
}

/** A route's `x-kubernetes-action`. */
export type Action = 'list' | 'post' | 'deletecollection' | 'get' | 'put' | 'delete' | 'patch'

// buildRoute: the options struct whose fields become query parameters (AddObjectParams of
// GetOptions, ListOptions, UpdateOptions, PatchOptions, CreateOptions, DeleteOptions); `pretty`
// on all, with buildRoute's own description.
const QUERY: Record<Action, readonly string[]> = {
  get: ['resourceVersion'],
  list: [
    'allowWatchBookmarks',
    'continue',
    'fieldSelector',
    'labelSelector',
    'limit',
    'resourceVersion',
    'resourceVersionMatch',
    'sendInitialEvents',
    'timeoutSeconds',
    'watch',
  ],
  // ListOptions only: builder.go gives deletecollection no DeleteOptions.
  deletecollection: [
    'allowWatchBookmarks',
    'continue',
    'fieldSelector',
    'labelSelector',
    'limit',
    'resourceVersion',
    'resourceVersionMatch',
    'sendInitialEvents',
    'timeoutSeconds',
    'watch',
  ],
  put: ['dryRun', 'fieldManager', 'fieldValidation'],
  patch: ['dryRun', 'fieldManager', 'fieldValidation', 'force'],
  post: ['dryRun', 'fieldManager', 'fieldValidation'],
  delete: ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'],
}

type Verb = 'list' | 'create' | 'deletecollection' | 'read' | 'replace' | 'delete' | 'patch'

/**
 * One published route of a CRD version.
 *
 * @example
 * crdRoutes(crd, crd.versions[0]).find((r) => r.action === 'patch')?.consumes // the patch types
 */
export interface CrdRoute {
  path: string
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  action: Action
  operationId: string
  description: string
  tag: string
  /** Schema name of the 200 (and 201/202) response. */
  response: string
  /** Extra responses besides 200 and the common 401. */
  extraResponses: ('201' | '202')[]
  /** Schema name of the request body, if any; `bodyRequired` false only for delete. */
  body?: string
  bodyRequired: boolean
  consumes: readonly string[]
  produces: readonly string[]
  /** `pretty`, then the path parameters, then the options' query parameters. */
  parameters: { name: string; in: 'query' | 'path'; description?: string }[]
  gvk: { group: string; version: string; kind: string }
}

function article(kind: string): string {
  // endpoints.GetArticleForNoun: "an" before a vowel.
  return /^[aeiou]/i.test(kind) ? ' an ' : ' a '
}

// builder.go descriptionFor.
function describe(kind: string, verb: Verb, sub: string): string {
  const of = sub === '' ? '' : ` ${sub} of`
  switch (verb) {
    case 'list':
      return `list${of} objects of kind ${kind}`
    case 'read':
    case 'replace':
      return `${verb}${of} the specified ${kind}`
    case 'patch':
      return `partially update${of} the specified ${kind}`
    case 'create':
    case 'delete':
      return `${verb}${of}${article(kind)}${kind}`
    case 'deletecollection':
      return `delete collection of${sub === '' ? '' : `${of} a`} ${kind}`
  }
}

/** buildRoute's own `pretty` query parameter text. */
export const PRETTY_DOC =
  "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."

const MEDIA = ['application/json', 'application/yaml'] as const
// buildRoute: PATCH consumes JSON patch, merge patch and (server-side apply) apply patch.
const PATCH_MEDIA = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
] as const

/**
 * The routes generateBuilder registers for one CRD version, in its order: (namespaced) list
 * across namespaces; list, create, deletecollection on the collection; read, replace, delete,
 * patch on `{name}`; read, replace, patch on `/status` and `/scale` when enabled. Every route
 * carries the CRD's own group-version-kind, `/scale` included.
 *
 * @example
 * crdRoutes(crd, crd.versions[0]).map((r) => `${r.method} ${r.path}`)
 */
export function crdRoutes(crd: CustomResourceDefinition, version: CrdVersion): CrdRoute[] {
  const { group } = crd
  const { plural, kind, listKind } = crd.names
  const v = version.name
  const naming = operationNaming(group, v)
  const scope = crd.scope === 'Namespaced' ? 'Namespaced' : ''
  const name = crdSchemaName(group, v, kind)
  const list = crdSchemaName(group, v, listKind)
  const status = `${META}Status`
  const routes: CrdRoute[] = []
  const add = (
    path: string,
    method: CrdRoute['method'],
    action: Action,
    verb: Verb,
    sub: '' | 'status' | 'scale',
    response: string,
    body?: string,
    operationId?: string,
  ): void => {
    const title = sub === '' ? '' : `${sub.charAt(0).toUpperCase()}${sub.slice(1)}`
    const parameters: CrdRoute['parameters'] = [
      { name: 'pretty', in: 'query', description: PRETTY_DOC },
    ]
    if (path.includes('{namespace}'))
      parameters.push({
        name: 'namespace',
        in: 'path',
        description: 'object name and auth scope, such as for teams and projects',
      })
    if (path.includes('{name}'))
      parameters.push({ name: 'name', in: 'path', description: `name of the ${kind}` })
    for (const q of QUERY[action]) parameters.push({ name: q, in: 'query' })
    const route: CrdRoute = {
      path,
      method,
      action,
      operationId: operationId ?? `${verb}${naming.infix}${scope}${kind}${title}`,
      description: describe(kind, verb, sub),
      tag: naming.tag,
      response,
      extraResponses:
        action === 'post'
          ? ['201', '202']
          : action === 'delete'
            ? ['202']
            : action === 'put'
              ? ['201']
              : [],
      bodyRequired: action !== 'delete',
      consumes: method === 'patch' ? PATCH_MEDIA : MEDIA,
      produces: MEDIA,
      parameters,
      gvk: { group, version: v, kind },
    }
    if (body !== undefined) route.body = body
    routes.push(route)
  }
  let root = `/apis/${group}/${v}/${plural}`
  if (crd.scope === 'Namespaced') {
    add(
      root,
      'get',
      'list',
      'list',
      '',
      list,
      undefined,
      `list${naming.infix}${kind}ForAllNamespaces`,
    )
    root = `/apis/${group}/${v}/namespaces/{namespace}/${plural}`
  }
  add(root, 'get', 'list', 'list', '', list)
  add(root, 'post', 'post', 'create', '', name, name)
  // GetOperationIDAndTags strips the shortest verb the operation starts with: 'delete' of
  // 'deletecollection…', so the rest follows the group-version (deleteCoreV1Collection…).
  add(
    root,
    'delete',
    'deletecollection',
    'deletecollection',
    '',
    status,
    undefined,
    `delete${naming.infix}Collection${scope}${kind}`,
  )
  const item = `${root}/{name}`
  add(item, 'get', 'get', 'read', '', name)
  add(item, 'put', 'put', 'replace', '', name, name)
  add(item, 'delete', 'delete', 'delete', '', status, `${META}DeleteOptions`)
  add(item, 'patch', 'patch', 'patch', '', name, `${META}Patch`)
  const subresources: ['status' | 'scale', string][] = []
  if (version.subresources?.status !== undefined) subresources.push(['status', name])
  if (version.subresources?.scale !== undefined) subresources.push(['scale', SCALE])
  for (const [sub, schema] of subresources) {
    const path = `${item}/${sub}`
    add(path, 'get', 'get', 'read', sub, schema)
    add(path, 'put', 'put', 'replace', sub, schema, schema)
    add(path, 'patch', 'patch', 'patch', sub, schema, `${META}Patch`)
  }
  return routes
}

/**
 * kube-openapi's builders move the parameters every operation of a path shares to the path
 * item; both lists are sorted by name (as served documents show).
 *
 * @example
 * hoistCommonParameters(pathItem) // pathItem.parameters = [name, namespace, pretty]
 */
export function hoistCommonParameters(item: JsonObject): void {
  const ops = Object.values(item) as JsonObject[]
  const key = (p: JsonObject): string => `${String(p.in)}/${String(p.name)}`
  const byName = (a: JsonObject, b: JsonObject): number =>
    String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0
  const lists = ops.map((op) => (op.parameters ?? []) as JsonObject[])
  const common = (lists[0] ?? []).filter((p) =>
    lists.every((l) => l.some((q) => key(q) === key(p))),
  )
  const commonKeys = new Set(common.map(key))
  for (const op of ops) {
    const own = ((op.parameters ?? []) as JsonObject[]).filter((p) => !commonKeys.has(key(p)))
    // Body parameters (v2) stay first, as kube-openapi lists them before query options.
    own.sort((a, b) => (a.in === 'body' ? -1 : b.in === 'body' ? 1 : byName(a, b)))
    if (own.length > 0) op.parameters = own
    else delete op.parameters
  }
  if (common.length > 0) item.parameters = [...common].sort(byName)
}
