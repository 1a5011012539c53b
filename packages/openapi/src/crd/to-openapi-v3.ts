import { createHash } from 'node:crypto'
import type { APIResource, APIResourceList, JsonObject, OpenApiV3Document } from '../types.js'
import type { CrdBaseline } from './baseline.js'
import { forEachNode, structuralSchema } from './schema.js'
import type { CrdVersion, CustomResourceDefinition } from './types.js'

// CRDs → one OpenAPI v3 document per group-version, as kube-apiserver publishes them at
// /openapi/v3/apis/<group>/<version>: apiextensions-apiserver
// `pkg/controller/openapi/builder/builder.go` BuildOpenAPIV3 (one document per CRD version)
// and `pkg/controller/openapiv3/controller.go` (the documents of one group-version merged,
// served versions only), printed by kube-openapi `pkg/builder3`. Discovery lists follow
// `pkg/apiserver/customresource_discovery_controller.go`.

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
const SCALE = 'io.k8s.api.autoscaling.v1.Scale'
const CONVENTIONS =
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md'

// metav1 TypeMeta's generated OpenAPI descriptions (addTypeMetaProperties).
const API_VERSION: JsonObject = {
  description: `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${CONVENTIONS}#resources`,
  type: 'string',
}
const KIND: JsonObject = {
  description: `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${CONVENTIONS}#types-kinds`,
  type: 'string',
}
// metav1beta1 PartialObjectMetadata(List){}.SwaggerDoc()["metadata"].
const OBJECT_META_DOC = `Standard object's metadata. More info: ${CONVENTIONS}#metadata`
const LIST_META_DOC = `Standard list metadata. More info: ${CONVENTIONS}#types-kinds`

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` })
// builder3 wrapRefs: a `$ref` with siblings (a description) becomes `allOf: [{ $ref }]`.
const describedRef = (name: string, description: string): JsonObject => ({
  allOf: [ref(name)],
  description,
})

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

/**
 * apiserver `pkg/endpoints/discovery/storageversionhash.go` StorageVersionHash: the first 8
 * bytes of SHA-256 over `<group>/<version>/<kind>`, base64.
 *
 * @example
 * storageVersionHash('example.dev', 'v1', 'Widget').length // 12
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  const sum = createHash('sha256').update(`${group}/${version}/${kind}`).digest()
  return sum.subarray(0, 8).toString('base64')
}

// builder.go addEmbeddedProperties (v3): an x-kubernetes-embedded-resource node gains
// apiVersion, kind and metadata and requires kind and apiVersion.
function addEmbeddedProperties(schema: JsonObject): void {
  forEachNode(schema, (node) => {
    if (node['x-kubernetes-embedded-resource'] !== true) return
    const properties = (node.properties ?? {}) as JsonObject
    properties.apiVersion = {
      description: `apiVersion defines the versioned schema of this representation of an object. More info: ${CONVENTIONS}#resources`,
      type: 'string',
    }
    properties.kind = {
      description: `kind is a string value representing the type of this object. In CamelCase. More info: ${CONVENTIONS}#types-kinds`,
      type: 'string',
    }
    properties.metadata = describedRef(`${META}ObjectMeta`, OBJECT_META_DOC)
    node.properties = properties
    const required = Array.isArray(node.required) ? [...(node.required as string[])] : []
    if (!required.includes('kind')) required.push('kind')
    if (!required.includes('apiVersion')) required.push('apiVersion')
    node.required = required
  })
}

interface Gvk {
  group: string
  version: string
  kind: string
}

// builder.go buildKubeNative (v3, structural schema).
function kindSchema(crd: CustomResourceDefinition, version: CrdVersion): JsonObject {
  const schema = structuralSchema(version.schema)
  const properties = (schema.properties ?? {}) as JsonObject
  properties.metadata = describedRef(`${META}ObjectMeta`, OBJECT_META_DOC)
  properties.apiVersion = API_VERSION
  properties.kind = KIND
  schema.properties = properties
  addEmbeddedProperties(schema)
  const gvk: Gvk = { group: crd.group, version: version.name, kind: crd.names.kind }
  schema['x-kubernetes-group-version-kind'] = [gvk]
  return schema
}

// builder.go buildListSchema: no `type`, items required.
function listSchema(crd: CustomResourceDefinition, version: string): JsonObject {
  const { kind, listKind, plural } = crd.names
  return {
    description: `${listKind} is a list of ${kind}`,
    required: ['items'],
    properties: {
      apiVersion: API_VERSION,
      items: {
        description: `List of ${plural}. More info: ${CONVENTIONS}`,
        type: 'array',
        items: ref(crdSchemaName(crd.group, version, kind)),
      },
      kind: KIND,
      metadata: describedRef(`${META}ListMeta`, LIST_META_DOC),
    },
    'x-kubernetes-group-version-kind': [{ group: crd.group, version, kind: listKind }],
  }
}

type Action = 'list' | 'post' | 'deletecollection' | 'get' | 'put' | 'delete' | 'patch'

// builder.go buildRoute: the options struct whose fields become query parameters.
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
  deletecollection: [
    'continue',
    'dryRun',
    'fieldSelector',
    'gracePeriodSeconds',
    'labelSelector',
    'limit',
    'orphanDependents',
    'propagationPolicy',
    'resourceVersion',
    'resourceVersionMatch',
    'sendInitialEvents',
    'timeoutSeconds',
  ],
  put: ['dryRun', 'fieldManager', 'fieldValidation'],
  patch: ['dryRun', 'fieldManager', 'fieldValidation'],
  post: ['dryRun', 'fieldManager', 'fieldValidation'],
  delete: ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'],
}

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete'
  action: Action
  /** builder.go descriptionFor's operationVerb. */
  verb: 'list' | 'create' | 'deletecollection' | 'read' | 'replace' | 'delete' | 'patch'
  sub: '' | 'status' | 'scale'
  response: string
  body?: string
}

function article(kind: string): string {
  // endpoints.GetArticleForNoun: "an" before a vowel.
  return /^[aeiou]/i.test(kind) ? ' an ' : ' a '
}

// builder.go descriptionFor.
function description(kind: string, verb: Route['verb'], sub: string): string {
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

const MEDIA = ['application/json', 'application/yaml'] as const
const PATCH_MEDIA = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
] as const

function content(schema: string, types: readonly string[]): JsonObject {
  return Object.fromEntries(types.map((t) => [t, { schema: ref(schema) }]))
}

function byName(a: JsonObject, b: JsonObject): number {
  return String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0
}

function pathParameter(name: string, description: string): JsonObject {
  return {
    description,
    in: 'path',
    name,
    required: true,
    schema: { type: 'string', uniqueItems: true },
  }
}

class PathBuilder {
  readonly paths: Record<string, JsonObject> = {}
  readonly #crd: CustomResourceDefinition
  readonly #version: string
  readonly #baseline: CrdBaseline
  readonly #naming: { infix: string; tag: string }

  constructor(crd: CustomResourceDefinition, version: string, baseline: CrdBaseline) {
    this.#crd = crd
    this.#version = version
    this.#baseline = baseline
    this.#naming = operationNaming(crd.group, version)
  }

  #query(name: string): JsonObject {
    const p = this.#baseline.parameters[name]
    return (
      p ?? {
        in: 'query',
        name,
        schema: { type: name === 'pretty' ? 'string' : 'string', uniqueItems: true },
      }
    )
  }

  add(path: string, route: Route, operationId?: string): void {
    const { kind } = this.#crd.names
    const namespaced = this.#crd.scope === 'Namespaced' ? 'Namespaced' : ''
    const title = route.sub === '' ? '' : route.sub[0]?.toUpperCase() + route.sub.slice(1)
    const prefix = route.verb
    const parameters: JsonObject[] = [this.#query('pretty')]
    if (path.includes('{namespace}'))
      parameters.push(
        pathParameter('namespace', 'object name and auth scope, such as for teams and projects'),
      )
    if (path.includes('{name}')) parameters.push(pathParameter('name', `name of the ${kind}`))
    for (const q of QUERY[route.action]) parameters.push(this.#query(q))
    const responses: JsonObject = {
      '200': { content: content(route.response, MEDIA), description: 'OK' },
    }
    if (route.action === 'post') {
      responses['201'] = { content: content(route.response, MEDIA), description: 'Created' }
      responses['202'] = { content: content(route.response, MEDIA), description: 'Accepted' }
    } else if (route.action === 'delete') {
      responses['202'] = { content: content(route.response, MEDIA), description: 'Accepted' }
    } else if (route.action === 'put') {
      responses['201'] = { content: content(route.response, MEDIA), description: 'Created' }
    }
    responses['401'] = { description: 'Unauthorized' }
    const operation: JsonObject = {
      description: description(kind, route.verb, route.sub),
      operationId: operationId ?? `${prefix}${this.#naming.infix}${namespaced}${kind}${title}`,
      parameters,
      responses,
      tags: [this.#naming.tag],
      'x-kubernetes-action': route.action,
      // Every route of a CRD carries the CRD's own kind, /scale included (buildRoute).
      'x-kubernetes-group-version-kind': { group: this.#crd.group, kind, version: this.#version },
    }
    if (route.body !== undefined) {
      operation.requestBody = {
        content: content(route.body, route.action === 'patch' ? PATCH_MEDIA : MEDIA),
      }
    }
    const item = (this.paths[path] ??= {})
    item[route.method] = operation
  }

  // builder3 hoists the parameters every operation of a path shares to the path item, sorted.
  finish(): Record<string, JsonObject> {
    for (const item of Object.values(this.paths)) {
      const ops = Object.values(item) as JsonObject[]
      const lists = ops.map((op) => op.parameters as JsonObject[])
      const first = lists[0] ?? []
      const common = first.filter((p) =>
        lists.every((l) => l.some((q) => q.name === p.name && q.in === p.in)),
      )
      for (const op of ops) {
        const own = (op.parameters as JsonObject[]).filter(
          (p) => !common.some((c) => c.name === p.name && c.in === p.in),
        )
        if (own.length > 0) op.parameters = own.sort(byName)
        else delete op.parameters
      }
      if (common.length > 0) item.parameters = [...common].sort(byName)
    }
    return this.paths
  }
}

// builder.go generateBuilder: the routes of one CRD version.
function crdPaths(
  crd: CustomResourceDefinition,
  version: CrdVersion,
  baseline: CrdBaseline,
): Record<string, JsonObject> {
  const { group } = crd
  const { plural, kind } = crd.names
  const name = crdSchemaName(group, version.name, kind)
  const list = crdSchemaName(group, version.name, crd.names.listKind)
  const status = `${META}Status`
  const b = new PathBuilder(crd, version.name, baseline)
  let root = `/apis/${group}/${version.name}/${plural}`
  if (crd.scope === 'Namespaced') {
    const naming = operationNaming(group, version.name)
    b.add(
      root,
      { method: 'get', action: 'list', verb: 'list', sub: '', response: list },
      `list${naming.infix}${kind}ForAllNamespaces`,
    )
    root = `/apis/${group}/${version.name}/namespaces/{namespace}/${plural}`
  }
  b.add(root, { method: 'get', action: 'list', verb: 'list', sub: '', response: list })
  b.add(root, {
    method: 'post',
    action: 'post',
    verb: 'create',
    sub: '',
    response: name,
    body: name,
  })
  b.add(root, {
    method: 'delete',
    action: 'deletecollection',
    verb: 'deletecollection',
    sub: '',
    response: status,
  })
  const item = `${root}/{name}`
  b.add(item, { method: 'get', action: 'get', verb: 'read', sub: '', response: name })
  b.add(item, {
    method: 'put',
    action: 'put',
    verb: 'replace',
    sub: '',
    response: name,
    body: name,
  })
  b.add(item, {
    method: 'delete',
    action: 'delete',
    verb: 'delete',
    sub: '',
    response: status,
    body: `${META}DeleteOptions`,
  })
  b.add(item, {
    method: 'patch',
    action: 'patch',
    verb: 'patch',
    sub: '',
    response: name,
    body: `${META}Patch`,
  })
  const subresources: [NonNullable<Route['sub']>, string][] = []
  if (version.subresources?.status !== undefined) subresources.push(['status', name])
  if (version.subresources?.scale !== undefined) subresources.push(['scale', SCALE])
  for (const [sub, schema] of subresources) {
    const path = `${item}/${sub}`
    b.add(path, { method: 'get', action: 'get', verb: 'read', sub, response: schema })
    b.add(path, {
      method: 'put',
      action: 'put',
      verb: 'replace',
      sub,
      response: schema,
      body: schema,
    })
    b.add(path, {
      method: 'patch',
      action: 'patch',
      verb: 'patch',
      sub,
      response: schema,
      body: `${META}Patch`,
    })
  }
  return b.finish()
}

// customresource_discovery_controller.go: the verbs of every CRD resource, and its
// subresources' entries.
const CRD_VERBS = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
]
const SUBRESOURCE_VERBS = ['get', 'patch', 'update']

function discoveryResources(crd: CustomResourceDefinition, version: CrdVersion): APIResource[] {
  const namespaced = crd.scope === 'Namespaced'
  const storage = crd.versions.find((v) => v.storage)?.name ?? version.name
  const resource: APIResource = {
    name: crd.names.plural,
    singularName: crd.names.singular,
    namespaced,
    kind: crd.names.kind,
    verbs: [...CRD_VERBS],
    storageVersionHash: storageVersionHash(crd.group, storage, crd.names.kind),
  }
  if (crd.names.shortNames !== undefined) resource.shortNames = [...crd.names.shortNames]
  if (crd.names.categories !== undefined) resource.categories = [...crd.names.categories]
  const out = [resource]
  if (version.subresources?.status !== undefined) {
    out.push({
      name: `${crd.names.plural}/status`,
      singularName: '',
      namespaced,
      kind: crd.names.kind,
      verbs: [...SUBRESOURCE_VERBS],
    })
  }
  if (version.subresources?.scale !== undefined) {
    out.push({
      name: `${crd.names.plural}/scale`,
      singularName: '',
      namespaced,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: [...SUBRESOURCE_VERBS],
    })
  }
  return out
}

/**
 * One converted group-version: its document and its discovery list.
 *
 * @example
 * const [gv] = crdsToOpenApiV3(crds, shippedCrdBaseline())
 * gv.key // 'apis/example.dev/v1'
 */
export interface ConvertedGroupVersion {
  key: string
  group: string
  version: string
  document: OpenApiV3Document
  discovery: APIResourceList
  /** The CRDs (`metadata.name`) serving this group-version. */
  crds: string[]
}

function sortedObject<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/**
 * Converts validated CRDs into the OpenAPI v3 documents and discovery lists kube-apiserver
 * serves for them: one per group-version over all CRDs serving it (`served: true` versions
 * only), schemas named {@link crdSchemaName}, `metadata` referencing ObjectMeta, `apiVersion`
 * and `kind` added, the List kind, `x-kubernetes-group-version-kind`, status and scale routes,
 * and the schemas those reference taken from `baseline`. Sorted by key.
 *
 * @example
 * const gvs = crdsToOpenApiV3(crds, shippedCrdBaseline())
 * gvs[0]?.document.components?.schemas?.['dev.example.v1.Widget']
 */
export function crdsToOpenApiV3(
  crds: readonly CustomResourceDefinition[],
  baseline: CrdBaseline,
): ConvertedGroupVersion[] {
  const byKey = new Map<string, ConvertedGroupVersion>()
  for (const crd of crds) {
    for (const version of crd.versions) {
      if (!version.served) continue
      const key = `apis/${crd.group}/${version.name}`
      let gv = byKey.get(key)
      if (gv === undefined) {
        gv = {
          key,
          group: crd.group,
          version: version.name,
          document: {
            openapi: '3.0.0',
            info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
            paths: {},
            components: { schemas: {} },
          },
          discovery: {
            kind: 'APIResourceList',
            apiVersion: 'v1',
            groupVersion: `${crd.group}/${version.name}`,
            resources: [],
          },
          crds: [],
        }
        byKey.set(key, gv)
      }
      gv.crds.push(crd.name)
      const schemas = gv.document.components?.schemas as Record<string, JsonObject>
      schemas[crdSchemaName(crd.group, version.name, crd.names.kind)] = kindSchema(crd, version)
      schemas[crdSchemaName(crd.group, version.name, crd.names.listKind)] = listSchema(
        crd,
        version.name,
      )
      Object.assign(gv.document.paths, crdPaths(crd, version, baseline))
      gv.discovery.resources.push(...discoveryResources(crd, version))
    }
  }
  const out: ConvertedGroupVersion[] = []
  for (const key of [...byKey.keys()].sort()) {
    const gv = byKey.get(key) as ConvertedGroupVersion
    const schemas = gv.document.components?.schemas as Record<string, JsonObject>
    // The referenced schemas a real server includes from its own definitions.
    const needsScale = Object.keys(gv.document.paths).some((p) => p.endsWith('/scale'))
    for (const [name, schema] of Object.entries(baseline.schemas)) {
      if (!needsScale && name.startsWith('io.k8s.api.autoscaling.')) continue
      schemas[name] = structuredClone(schema)
    }
    gv.document.components = { schemas: sortedObject(schemas) }
    gv.document.paths = sortedObject(gv.document.paths)
    gv.discovery.resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    gv.crds.sort()
    out.push(gv)
  }
  return out
}
