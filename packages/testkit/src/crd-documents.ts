import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CRD_VERBS } from '@k8s-codegen/openapi'
import { DEFAULT_CRD_READ_LIMITS, loadYamlDocuments } from '@k8s-codegen/openapi/crd-yaml'
import { isJsonObject, setOwn, type JsonObject } from './_json.js'
import type { APIResource, APIResourceList } from './discovery.js'
import { isTerminating } from './crd-status.js'
import { compareKubeVersions } from './group-version.js'

// What a kube-apiserver serves for installed CRDs, written for the emulator on its own, apart
// from the product's conversion (@k8s-codegen/openapi `crd/`), so one misreading of the
// apiserver cannot hide on both sides: the product's tests compare the two. Sources:
// apiextensions-apiserver `pkg/controller/openapi/builder/builder.go` (BuildOpenAPIV3 /
// BuildOpenAPIV2: buildKubeNative, addEmbeddedProperties, buildListSchema, generateBuilder,
// buildRoute, descriptionFor), `pkg/apiserver/schema/unfold.go` (int-or-string),
// `pkg/controller/openapi/v2/conversion.go` (what v2 strips), and
// `pkg/apiserver/customresource_discovery_controller.go` (discovery).

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.'
const DOCS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md'

/**
 * Where the emulator finds what CRD documents reference: the documents it already serves.
 *
 * @example
 * const builtins: CrdBuiltins = { schema: (n) => undefined, parameter: (n) => undefined }
 */
export interface CrdBuiltins {
  /** A v3 component schema by name (ObjectMeta, Status, autoscaling/v1 Scale, …). */
  schema(name: string): JsonObject | undefined
  /** A v3 query parameter by name (`limit`, `watch`, …). */
  parameter(name: string): JsonObject | undefined
}

/**
 * Everything the emulator serves for a set of CRDs.
 *
 * @example
 * const served = serveCrds(loadCrdFiles(['crds/']), builtins)
 * JSON.parse(served.documents.get('apis/example.dev/v1')?.() ?? '{}')
 */
export interface ServedCrds<Document = string> {
  /**
   * `/openapi/v3/<key>` documents as the JSON text served (or the parts joined to it, texts or
   * UTF-8 bytes, {@link serveCrdParts}), each built afresh on each call (the server keeps what it
   * built).
   */
  documents: Map<string, () => Document>
  /** `/apis/<group>/<version>` lists. */
  discovery: Map<string, APIResourceList>
  /**
   * What `/openapi/v2` adds: paths and definitions (ObjectMeta & co. are the server's own),
   * built on the first call.
   */
  v2: () => { paths: JsonObject; definitions: JsonObject }
  /** `/apis/<group>`: served versions, highest priority first (the first is preferred). */
  groups: Map<string, string[]>
}

const READ_ANY = { ...DEFAULT_CRD_READ_LIMITS, documents: Infinity, expandedBytes: Infinity }

/**
 * The YAML/JSON files of these files and directories (directories read recursively, each in
 * name order), in the order {@link loadCrdFiles} reads them.
 *
 * @example
 * crdFilesOf(['crds/']) // ['crds/a.yaml', 'crds/sub/b.json']
 */
export function crdFilesOf(paths: readonly string[]): string[] {
  const files: string[] = []
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(path, name))
    } else if (/\.(ya?ml|json)$/.test(path)) files.push(path)
  }
  for (const path of paths) visit(path)
  return files
}

/**
 * The CustomResourceDefinition documents of one file's text, including `kind: List` items;
 * anything else is ignored. A YAML error is openapi's coded error naming file, document, line.
 *
 * @example
 * crdsOfText(readFileSync('crds/a.yaml', 'utf8'), 'crds/a.yaml')
 */
export function crdsOfText(text: string, file: string): JsonObject[] {
  const crds: JsonObject[] = []
  // The product's reader (a fast path for block YAML, js-yaml for the rest), without its
  // bounds on documents per file and expanded size: the emulator reads what a test gives it.
  for (const { value } of loadYamlDocuments(text, file, READ_ANY)) {
    const items = isJsonObject(value) && Array.isArray(value.items) ? value.items : [value]
    for (const item of items as unknown[]) {
      if (isJsonObject(item) && item.kind === 'CustomResourceDefinition') crds.push(item)
    }
  }
  return crds
}

/**
 * Reads CustomResourceDefinition documents from YAML/JSON files and directories (recursive),
 * including `kind: List`; anything else is ignored.
 *
 * @example
 * const crds = loadCrdFiles(['node_modules/some-operator/crds'])
 */
export function loadCrdFiles(paths: readonly string[]): JsonObject[] {
  return crdFilesOf(paths).flatMap((file) => crdsOfText(readFileSync(file, 'utf8'), file))
}

interface Crd {
  group: string
  namespaced: boolean
  plural: string
  singular: string
  kind: string
  listKind: string
  shortNames?: string[]
  categories?: string[]
  versions: JsonObject[]
}

function crdOf(value: JsonObject): Crd {
  const spec = value.spec as JsonObject
  const names = spec.names as JsonObject
  const kind = names.kind as string
  const crd: Crd = {
    group: spec.group as string,
    namespaced: spec.scope === 'Namespaced',
    plural: names.plural as string,
    singular: (names.singular as string | undefined) || kind.toLowerCase(),
    kind,
    listKind: (names.listKind as string | undefined) || `${kind}List`,
    versions: spec.versions as JsonObject[],
  }
  if (Array.isArray(names.shortNames)) crd.shortNames = names.shortNames as string[]
  if (Array.isArray(names.categories)) crd.categories = names.categories as string[]
  return crd
}

/**
 * A CRD's names and versions, as discovery and the served documents need them (what
 * {@link crdFactsOf} reads; the schemas are in {@link CrdVersionTexts}).
 *
 * @example
 * const facts: CrdFacts = crdFactsOf(crd)
 * facts.versions.filter((v) => v.served).map((v) => v.name) // ['v1', 'v1beta1']
 */
export interface CrdFacts extends Omit<Crd, 'versions'> {
  /** The Terminating condition is True (see {@link isTerminating}). */
  terminating: boolean
  versions: {
    name: string
    served: boolean
    storage: boolean
    /** `subresources.status` is there. */
    status: boolean
    /** `subresources.scale` is there. */
    scale: boolean
  }[]
}

function factsOf(c: Crd, value: JsonObject): CrdFacts {
  return {
    ...c,
    terminating: isTerminating(value),
    versions: c.versions.map((version) => {
      const sub = (version.subresources ?? {}) as JsonObject
      return {
        name: version.name as string,
        served: version.served === true,
        storage: version.storage === true,
        status: sub.status !== undefined,
        scale: sub.scale !== undefined,
      }
    }),
  }
}

/**
 * The facts of a CRD object; throws as reading a malformed one throws.
 *
 * @example
 * crdFactsOf(crd).plural // 'widgets'
 */
export function crdFactsOf(value: JsonObject): CrdFacts {
  return factsOf(crdOf(value), value)
}

/**
 * JSON text: a string, or its UTF-8 bytes (as a worker thread hands it over).
 *
 * @example
 * const text: JsonText = new TextEncoder().encode('{"a":1}')
 */
export type JsonText = string | Uint8Array

/**
 * What one served version of a CRD adds to its group-version's `/openapi/v3` document, as JSON
 * texts: its kind's and its list's schemas and its paths.
 *
 * @example
 * const texts: CrdVersionTexts = crdVersionTexts(crd, 0, builtins.parameter)
 * JSON.parse(texts.kind)['x-kubernetes-group-version-kind']
 */
export interface CrdVersionTexts<Text extends JsonText = string> {
  kind: Text
  list: Text
  paths: [string, Text][]
}

/**
 * The {@link CrdVersionTexts} of the CRD's version at `index` of `spec.versions`; `parameter`
 * finds the server's query parameters ({@link CrdBuiltins}).
 *
 * @example
 * crdVersionTexts(crd, 0, (name) => undefined).paths.map(([path]) => path)
 */
export function crdVersionTexts(
  value: JsonObject,
  index: number,
  parameter: CrdBuiltins['parameter'],
): CrdVersionTexts {
  const c = crdOf(value)
  const version = c.versions[index] as JsonObject
  const name = version.name as string
  return {
    kind: JSON.stringify(objectSchema(c, version, 'v3')),
    list: JSON.stringify(listSchema(c, name, 'v3')),
    paths: Object.entries(operations(c, name, 'v3', parameter)).map(([path, item]) => [
      path,
      JSON.stringify(item),
    ]),
  }
}

/**
 * One CRD as {@link serveCrdParts} serves it: its facts, and the texts of the version at an
 * index of `facts.versions`, asked for when a document is first built.
 *
 * @example
 * const served: CrdServing = { facts: crdFactsOf(crd), texts: (i) => crdVersionTexts(crd, i, parameter) }
 */
export interface CrdServing {
  facts: CrdFacts
  texts(index: number): CrdVersionTexts<JsonText>
}

// apiserver DefinitionNamer over `<group>/<version>.<kind>`: the domain reversed.
const definitionName = (c: { group: string }, version: string, kind: string): string =>
  [...c.group.split('.').reverse(), version, kind].join('.')

const SKIPPED = new Set(['example', 'externalDocs'])
const FALSE_IS_ABSENT = new Set([
  'nullable',
  'uniqueItems',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
])

// Value validations under allOf/anyOf/oneOf/not, without structural fields to look at.
function junctor(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(junctor)
  if (!isJsonObject(node)) return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (SKIPPED.has(key) || (FALSE_IS_ABSENT.has(key) && value !== true)) continue
    out[key] = isJsonObject(value) || Array.isArray(value) ? junctor(value) : value
  }
  return out
}

type Flavor = 'v3' | 'v2'

function refTo(flavor: Flavor, name: string, description?: string): JsonObject {
  const $ref = flavor === 'v3' ? `#/components/schemas/${name}` : `#/definitions/${name}`
  if (description === undefined) return { $ref }
  // builder3 wraps a described $ref in allOf; Swagger 2 keeps the sibling.
  return flavor === 'v3' ? { allOf: [{ $ref }], description } : { $ref, description }
}

// `[{type: integer}, {type: string}]` exactly, as its JSON would read (checked on every
// int-or-string node, so without serializing it).
const onlyType = (node: unknown, type: string): boolean =>
  isJsonObject(node) && node.type === type && Object.keys(node).length === 1
const isIntOrStringPair = (list: unknown): boolean =>
  Array.isArray(list) &&
  list.length === 2 &&
  onlyType(list[0], 'integer') &&
  onlyType(list[1], 'string')

// Whether publishing a v3 node would copy the node itself unchanged: nothing to drop (a false
// flag), filter (externalDocs, junctors), unfold (int-or-string) or embed in it. Most nodes of a
// CRD schema are such, and so are their subtrees: they are published as they are instead of
// copied (the /openapi/v3 root publishes every CRD).
const CHANGED_IN_V3 = new Set([
  'externalDocs',
  'allOf',
  'oneOf',
  'not',
  'x-kubernetes-embedded-resource',
])
function ownKeysUnchangedV3(node: JsonObject): boolean {
  for (const key of Object.keys(node)) {
    const value = node[key]
    // An int-or-string node spelled as controller-gen writes it (a resource quantity) is kept.
    if (key === 'anyOf' || key === 'x-kubernetes-int-or-string') {
      if (!isIntOrStringPair(node.anyOf) || node['x-kubernetes-int-or-string'] !== true)
        return false
    } else if (CHANGED_IN_V3.has(key) || (FALSE_IS_ABSENT.has(key) && value !== true)) return false
  }
  return true
}

// A v3 node's children published (properties, items, additionalProperties), each once, before
// the node decides whether it is copied; `changed` when any of them is not the input's own. A
// properties map is copied only when one of its children is.
interface PublishedChildren {
  properties?: JsonObject
  items?: JsonObject
  additionalProperties?: JsonObject
  changed: boolean
}
function publishChildrenV3(input: JsonObject): PublishedChildren {
  const children: PublishedChildren = { changed: false }
  const source = input.properties
  if (isJsonObject(source)) {
    const names = Object.keys(source)
    let properties: JsonObject | undefined
    for (const [i, name] of names.entries()) {
      const child = source[name]
      const published = publish(child as JsonObject, 'v3')
      if (properties === undefined && published !== child) {
        properties = {}
        for (const before of names.slice(0, i)) setOwn(properties, before, source[before])
      }
      if (properties !== undefined) setOwn(properties, name, published)
    }
    if (properties !== undefined) {
      children.properties = properties
      children.changed = true
    }
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const child = input[key]
    if (!isJsonObject(child)) continue
    const published = publish(child, 'v3')
    if (published !== child) children.changed = true
    children[key] = published
  }
  return children
}

// One published schema node: unfold (int-or-string), then for v2 ToStructuralOpenAPIV2 (parent
// before children, so a parent still sees its children's `nullable`), then the children, then
// addEmbeddedProperties (children first, as it recurses before looking at the node). A v3 node
// that would be copied unchanged is the input itself: callers copy before they add to it.
function publish(input: JsonObject, flavor: Flavor): JsonObject {
  const children = flavor === 'v3' && isJsonObject(input) ? publishChildrenV3(input) : undefined
  if (children !== undefined && !children.changed && ownKeysUnchangedV3(input)) return input
  const node: JsonObject = {}
  for (const [key, value] of Object.entries(input)) {
    if (FALSE_IS_ABSENT.has(key) && value !== true) continue
    // A structural node keeps Generic's example and externalDocs (description, url):
    // apiserver/schema convert.go and kubeopenapi.go, as a real 1.37 server publishes.
    if (key === 'externalDocs' && isJsonObject(value)) {
      const { description, url } = value
      node[key] = {
        ...(description === undefined ? {} : { description }),
        ...(url === undefined ? {} : { url }),
      }
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf' || key === 'not')
      node[key] = junctor(value)
    // A property named `__proto__` stays a property, as in a node published unchanged.
    else setOwn(node, key, value)
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    const first = Array.isArray(node.allOf) ? (node.allOf as unknown[])[0] : undefined
    const spelled =
      isIntOrStringPair(node.anyOf) || (isJsonObject(first) && isIntOrStringPair(first.anyOf))
    if (!spelled && node.anyOf === undefined) node.anyOf = [{ type: 'integer' }, { type: 'string' }]
    else if (!spelled)
      node.allOf = [
        { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        ...((node.allOf as unknown[]) ?? []),
      ]
  }
  if (flavor === 'v2') {
    // The v2 controller prunes every default (pkg/controller/openapi/controller.go,
    // kube-openapi pkg/handler PruneDefaults), as a real 1.37 server shows.
    delete node.default
    delete node.allOf
    delete node.anyOf
    delete node.oneOf
    delete node.not
    const preserve = node['x-kubernetes-preserve-unknown-fields'] === true
    if (node.nullable === true) {
      delete node.nullable
      delete node.type
      delete node.items
      delete node.properties
    }
    if (preserve) {
      delete node.items
      delete node.properties
    }
    if (node.type === 'array' && node.items === undefined) delete node.type
    if (preserve && node.type === 'object') delete node.type
    if (Array.isArray(node.required)) {
      const props = (node.properties ?? {}) as Record<string, JsonObject>
      const kept = (node.required as string[]).filter((name) => props[name]?.nullable !== true)
      if (kept.length === 0) delete node.required
      else node.required = kept
    }
    if (isJsonObject(node.additionalProperties) && node.additionalProperties.nullable === true)
      delete node.required
  }
  if (children !== undefined) {
    if (children.properties !== undefined) node.properties = children.properties
    if (children.items !== undefined) node.items = children.items
    if (children.additionalProperties !== undefined)
      node.additionalProperties = children.additionalProperties
  } else {
    if (isJsonObject(node.properties)) {
      node.properties = Object.fromEntries(
        Object.entries(node.properties).map(([name, child]) => [
          name,
          publish(child as JsonObject, flavor),
        ]),
      )
    }
    if (isJsonObject(node.items)) node.items = publish(node.items, flavor)
    if (isJsonObject(node.additionalProperties))
      node.additionalProperties = publish(node.additionalProperties, flavor)
  }
  const skipEmbedded = flavor === 'v2' && input['x-kubernetes-preserve-unknown-fields'] === true
  if (node['x-kubernetes-embedded-resource'] === true && !skipEmbedded) {
    node.properties = {
      ...(node.properties ?? {}),
      apiVersion: {
        description: `apiVersion defines the versioned schema of this representation of an object. More info: ${DOCS}#resources`,
        type: 'string',
      },
      kind: {
        description: `kind is a string value representing the type of this object. In CamelCase. More info: ${DOCS}#types-kinds`,
        type: 'string',
      },
      metadata: refTo(
        flavor,
        `${META}ObjectMeta`,
        `Standard object's metadata. More info: ${DOCS}#metadata`,
      ),
    }
    const required = new Set((node.required as string[] | undefined) ?? [])
    node.required = [
      ...((node.required as string[] | undefined) ?? []),
      ...['kind', 'apiVersion'].filter((f) => !required.has(f)),
    ]
  }
  return node
}

const TYPE_META = {
  apiVersion: {
    description: `APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: ${DOCS}#resources`,
    type: 'string',
  },
  kind: {
    description: `Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ${DOCS}#types-kinds`,
    type: 'string',
  },
}

function objectSchema(c: Crd, version: JsonObject, flavor: Flavor): JsonObject {
  const gvk = [{ group: c.group, kind: c.kind, version: version.name }]
  const raw = (version.schema as JsonObject).openAPIV3Schema as JsonObject
  // buildKubeNative: for v2, a root preserving unknown fields is only `type: object`.
  if (flavor === 'v2' && raw['x-kubernetes-preserve-unknown-fields'] === true) {
    return selectable({ type: 'object', 'x-kubernetes-group-version-kind': gvk }, version)
  }
  const schema = { ...publish(raw, flavor) }
  schema.properties = {
    ...(schema.properties ?? {}),
    metadata: refTo(
      flavor,
      `${META}ObjectMeta`,
      `Standard object's metadata. More info: ${DOCS}#metadata`,
    ),
    ...TYPE_META,
  }
  schema['x-kubernetes-group-version-kind'] = gvk
  return selectable(schema, version)
}

// builder.go buildSelectableFields: the version's selectable fields on its kind and list
// schemas, without the leading '.'.
function selectable(schema: JsonObject, version: JsonObject | undefined): JsonObject {
  const fields = Array.isArray(version?.selectableFields) ? version.selectableFields : []
  if (fields.length > 0) {
    schema['x-kubernetes-selectable-fields'] = fields.map((f) => ({
      fieldPath: String((f as JsonObject).jsonPath).slice(1),
    }))
  }
  return schema
}

function listSchema(c: Crd, version: string, flavor: Flavor): JsonObject {
  const schema: JsonObject = {
    type: 'object',
    description: `${c.listKind} is a list of ${c.kind}`,
    properties: {
      ...TYPE_META,
      items: {
        description: `List of ${c.plural}. More info: ${DOCS}`,
        items: refTo(flavor, definitionName(c, version, c.kind)),
        type: 'array',
      },
      metadata: refTo(
        flavor,
        `${META}ListMeta`,
        `Standard list metadata. More info: ${DOCS}#types-kinds`,
      ),
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [{ group: c.group, kind: c.listKind, version }],
  }
  return selectable(
    schema,
    c.versions.find((v) => v.name === version),
  )
}

// buildRoute's AddObjectParams per action: GetOptions, ListOptions (list and deletecollection
// alike), UpdateOptions, PatchOptions, CreateOptions, DeleteOptions.
const LIST_OPTIONS = [
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
]
const WRITE_OPTIONS = ['dryRun', 'fieldManager', 'fieldValidation']
const OPTIONS: Record<string, string[]> = {
  get: ['resourceVersion'],
  list: LIST_OPTIONS,
  deletecollection: LIST_OPTIONS,
  delete: ['dryRun', 'gracePeriodSeconds', 'orphanDependents', 'propagationPolicy'],
  post: WRITE_OPTIONS,
  put: WRITE_OPTIONS,
  patch: [...WRITE_OPTIONS, 'force'],
}
/**
 * The query parameters the CRD routes take from the server's own ({@link CrdBuiltins}
 * `parameter`), each once.
 *
 * @example
 * CRD_QUERY_PARAMETERS.includes('labelSelector') // true
 */
export const CRD_QUERY_PARAMETERS: readonly string[] = [...new Set(Object.values(OPTIONS).flat())]

// buildRoute declares `pretty` itself.
const PRETTY =
  "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."

// GetOperationIDAndTags / ToValidOperationID.
function camel(s: string, upperFirst: boolean): string {
  let out = ''
  let upper = upperFirst
  for (const [i, ch] of [...s].entries()) {
    const keep = /\p{L}/u.test(ch) || ch === '_' || (i > 0 && /\p{Nd}/u.test(ch))
    if (!keep) {
      upper = true
      continue
    }
    out += upper ? ch.toUpperCase() : ch
    upper = false
  }
  return out
}

interface RouteRow {
  method: string
  action: string
  sub: string
  /** descriptionFor's operation verb. */
  verb: string
  /** what the route reads and writes: the kind, the list, Status or Scale. */
  returns: 'kind' | 'list' | 'status' | 'scale'
  body?: 'kind' | 'patch' | 'delete' | 'scale'
}

// generateBuilder's routes, by path suffix.
const COLLECTION: RouteRow[] = [
  { method: 'get', action: 'list', sub: '', verb: 'list', returns: 'list' },
  { method: 'post', action: 'post', sub: '', verb: 'create', returns: 'kind', body: 'kind' },
  {
    method: 'delete',
    action: 'deletecollection',
    sub: '',
    verb: 'deletecollection',
    returns: 'status',
  },
]
const ITEM: RouteRow[] = [
  { method: 'get', action: 'get', sub: '', verb: 'read', returns: 'kind' },
  { method: 'put', action: 'put', sub: '', verb: 'replace', returns: 'kind', body: 'kind' },
  {
    method: 'delete',
    action: 'delete',
    sub: '',
    verb: 'delete',
    returns: 'status',
    body: 'delete',
  },
  { method: 'patch', action: 'patch', sub: '', verb: 'patch', returns: 'kind', body: 'patch' },
]
const subresourceRows = (sub: 'status' | 'scale'): RouteRow[] => {
  const returns = sub === 'status' ? 'kind' : 'scale'
  return [
    { method: 'get', action: 'get', sub, verb: 'read', returns },
    {
      method: 'put',
      action: 'put',
      sub,
      verb: 'replace',
      returns,
      body: returns === 'kind' ? 'kind' : 'scale',
    },
    { method: 'patch', action: 'patch', sub, verb: 'patch', returns, body: 'patch' },
  ]
}

function describeRoute(kind: string, row: RouteRow): string {
  const of = row.sub === '' ? '' : ` ${row.sub} of`
  if (row.verb === 'list') return `list${of} objects of kind ${kind}`
  if (row.verb === 'patch') return `partially update${of} the specified ${kind}`
  if (row.verb === 'deletecollection')
    return `delete collection of${row.sub === '' ? '' : `${of} a`} ${kind}`
  if (row.verb === 'create' || row.verb === 'delete')
    return `${row.verb}${of} ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`
  return `${row.verb}${of} the specified ${kind}`
}

const JSON_YAML = ['application/json', 'application/yaml']
const PATCHES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/apply-patch+yaml',
]

function operations(
  c: Crd,
  version: string,
  flavor: Flavor,
  parameter: CrdBuiltins['parameter'],
): JsonObject {
  const scope = c.namespaced ? 'Namespaced' : ''
  const trimmedGroup = c.group.replace(/\.k8s\.io$/, '')
  const infix = camel(trimmedGroup, true) + camel(version, true)
  const tag = `${camel(trimmedGroup, false)}_${camel(version, false)}`
  const schemas: Record<RouteRow['returns'] | NonNullable<RouteRow['body']>, string> = {
    kind: definitionName(c, version, c.kind),
    list: definitionName(c, version, c.listKind),
    status: `${META}Status`,
    scale: 'io.k8s.api.autoscaling.v1.Scale',
    patch: `${META}Patch`,
    delete: `${META}DeleteOptions`,
  }
  const base = `/apis/${c.group}/${version}`
  const collection = c.namespaced
    ? `${base}/namespaces/{namespace}/${c.plural}`
    : `${base}/${c.plural}`
  const storedVersion = c.versions.find((v) => v.name === version) as JsonObject
  const sub = (storedVersion.subresources ?? {}) as JsonObject
  const routes: [string, RouteRow[], string?][] = []
  if (c.namespaced)
    routes.push([
      `${base}/${c.plural}`,
      [COLLECTION[0] as RouteRow],
      `list${infix}${c.kind}ForAllNamespaces`,
    ])
  routes.push([collection, COLLECTION], [`${collection}/{name}`, ITEM])
  if (sub.status !== undefined)
    routes.push([`${collection}/{name}/status`, subresourceRows('status')])
  if (sub.scale !== undefined) routes.push([`${collection}/{name}/scale`, subresourceRows('scale')])

  const paths: JsonObject = {}
  for (const [path, rows, forcedId] of routes) {
    const item: JsonObject = {}
    const perOperation: JsonObject[][] = []
    for (const row of rows) {
      const query = OPTIONS[row.action] ?? []
      const pathParams = [
        ...(path.includes('{name}')
          ? [{ name: 'name', description: `name of the ${c.kind}` }]
          : []),
        ...(path.includes('{namespace}')
          ? [
              {
                name: 'namespace',
                description: 'object name and auth scope, such as for teams and projects',
              },
            ]
          : []),
      ]
      const params: JsonObject[] = [
        ...pathParams.map((p) =>
          flavor === 'v3'
            ? {
                description: p.description,
                in: 'path',
                name: p.name,
                required: true,
                schema: { type: 'string', uniqueItems: true },
              }
            : {
                description: p.description,
                in: 'path',
                name: p.name,
                required: true,
                type: 'string',
                uniqueItems: true,
              },
        ),
        flavor === 'v3'
          ? {
              description: PRETTY,
              in: 'query',
              name: 'pretty',
              schema: { type: 'string', uniqueItems: true },
            }
          : { description: PRETTY, in: 'query', name: 'pretty', type: 'string', uniqueItems: true },
        ...query.map((name) => {
          const found = parameter(name) ?? {
            in: 'query',
            name,
            schema: { type: 'string', uniqueItems: true },
          }
          // A v3 document is serialized as it is built (serveCrds): the server's own
          // parameter objects are written, never handed out.
          if (flavor === 'v3') return found
          const { schema, ...rest } = found
          return { ...rest, ...(isJsonObject(schema) ? schema : {}) }
        }),
      ]
      const consumes = row.method === 'patch' ? PATCHES : JSON_YAML
      const returned = schemas[row.returns]
      const codes: [string, string][] = [['200', 'OK']]
      if (row.action === 'post') codes.push(['201', 'Created'], ['202', 'Accepted'])
      if (row.action === 'put') codes.push(['201', 'Created'])
      if (row.action === 'delete') codes.push(['202', 'Accepted'])
      const responses: JsonObject = {}
      for (const [code, text] of codes) {
        responses[code] =
          flavor === 'v3'
            ? {
                content: Object.fromEntries(
                  JSON_YAML.map((m) => [m, { schema: refTo('v3', returned) }]),
                ),
                description: text,
              }
            : { description: text, schema: refTo('v2', returned) }
      }
      responses['401'] = { description: 'Unauthorized' }
      const title = row.sub === '' ? '' : row.sub[0]?.toUpperCase() + row.sub.slice(1)
      const operation: JsonObject = {
        description: describeRoute(c.kind, row),
        // GetOperationIDAndTags strips the shortest verb prefix: 'delete' of
        // 'deletecollection…' (deleteCoreV1CollectionNamespacedConfigMap).
        operationId:
          forcedId ??
          (row.verb === 'deletecollection'
            ? `delete${infix}Collection${scope}${c.kind}`
            : `${row.verb}${infix}${scope}${c.kind}${title}`),
        responses,
        tags: [tag],
        'x-kubernetes-action': row.action,
        'x-kubernetes-group-version-kind': { group: c.group, kind: c.kind, version },
      }
      if (row.body !== undefined) {
        const body = schemas[row.body]
        if (flavor === 'v3') {
          operation.requestBody = {
            content: Object.fromEntries(consumes.map((m) => [m, { schema: refTo('v3', body) }])),
            ...(row.action === 'delete' ? {} : { required: true }),
          }
        } else {
          params.unshift({
            in: 'body',
            name: 'body',
            ...(row.action === 'delete' ? {} : { required: true }),
            schema: refTo('v2', body),
          })
        }
      }
      if (flavor === 'v2') {
        operation.consumes = consumes
        operation.produces = JSON_YAML
        operation.schemes = ['https']
      }
      perOperation.push(params)
      operation.parameters = params
      item[row.method] = operation
    }
    // Parameters shared by every operation of the path move to the path item.
    const id = (p: JsonObject): string => `${String(p.in)} ${String(p.name)}`
    const shared = (perOperation[0] ?? []).filter((p) =>
      perOperation.every((list) => list.some((q) => id(q) === id(p))),
    )
    const sharedIds = new Set(shared.map(id))
    const byName = (a: JsonObject, b: JsonObject): number =>
      String(a.name).localeCompare(String(b.name), 'en')
    for (const operation of Object.values(item) as JsonObject[]) {
      const own = (operation.parameters as JsonObject[]).filter((p) => !sharedIds.has(id(p)))
      const bodies = own.filter((p) => p.in === 'body')
      const rest = own.filter((p) => p.in !== 'body').sort(byName)
      if (own.length === 0) delete operation.parameters
      else operation.parameters = [...bodies, ...rest]
    }
    if (shared.length > 0) item.parameters = shared.sort(byName)
    paths[path] = item
  }
  return paths
}

/** apiserver `pkg/endpoints/discovery/storageversionhash.go`. */
function hashOfStorage(group: string, version: string, kind: string): string {
  return createHash('sha256')
    .update([group, version, kind].join('/'))
    .digest()
    .subarray(0, 8)
    .toString('base64')
}

// Appends the JSON text JSON.stringify writes for an object holding these values, given as JSON
// texts, with its keys sorted as Go marshals a map (none is an array index, which an object would
// put first): a document is written from the texts of its parts, each serialized once, and
// joined once, so the root hashes one flat string.
function pushSortedObject(parts: JsonText[], texts: Map<string, JsonText>): void {
  parts.push('{')
  for (const [i, key] of [...texts.keys()].sort().entries())
    parts.push(i === 0 ? '' : ',', JSON.stringify(key), ':', texts.get(key) as JsonText)
  parts.push('}')
}

// Each builder runs once, on first use, and keeps what it built.
function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined
  return () => (built ??= { value: build() }).value
}

// The builtin definitions the CRD routes reach, closed under $ref; Scale only where a /scale
// route refers to it. The same for every group-version: found once, cloned into each document.
function builtinClosure(builtins: CrdBuiltins, withScale: boolean, key: string): JsonObject {
  const pending = [
    `${META}ObjectMeta`,
    `${META}ListMeta`,
    `${META}Status`,
    `${META}DeleteOptions`,
    `${META}Patch`,
  ]
  if (withScale) pending.push('io.k8s.api.autoscaling.v1.Scale')
  const found: JsonObject = {}
  while (pending.length > 0) {
    const name = pending.shift() as string
    if (found[name] !== undefined) continue
    const schema = builtins.schema(name)
    if (schema === undefined)
      throw new Error(`serving CRDs of ${key}: the emulated server has no schema ${name}`)
    found[name] = schema
    for (const match of JSON.stringify(schema).matchAll(
      /"\$ref":"#\/components\/schemas\/([^"]+)"/g,
    ))
      pending.push(match[1] as string)
  }
  return found
}

/**
 * What a kube-apiserver serves for these CRDs: per served group-version a v3 document (all its
 * CRDs merged, with the referenced builtin schemas), a discovery list, the `/openapi/v2`
 * additions, and each group's served versions. Discovery is built at once; each document and
 * the v2 additions are built when first asked for (as apiextensions-apiserver's OpenAPI
 * controllers publish after the CRDs are established), so a server with a thousand CRDs starts
 * without converting schemas nobody reads.
 *
 * @example
 * const served = serveCrds(crds, { schema: (n) => apiV1.components.schemas[n], parameter: () => undefined })
 * JSON.parse(served.documents.get('apis/example.dev/v1')?.() ?? '{}')
 */
export function serveCrds(values: readonly JsonObject[], builtins: CrdBuiltins): ServedCrds {
  const crds = values.map((value): CrdServing => {
    const c = crdOf(value)
    return {
      facts: factsOf(c, value),
      texts: (index) => crdVersionTexts(value, index, (name) => builtins.parameter(name)),
    }
  })
  const served = serveCrdParts(crds, builtins, () => values)
  // Every part is a string here.
  const documents = new Map(
    [...served.documents].map(([key, build]) => [key, () => build().join('')] as const),
  )
  return { ...served, documents }
}

/**
 * {@link serveCrds} over CRDs whose facts are read and whose version texts may be made
 * elsewhere (a worker thread reading the files); `objects` gives the CRD objects themselves,
 * which only the `/openapi/v2` additions read.
 *
 * @example
 * const served = serveCrdParts(crds.map((crd) => ({ facts: crdFactsOf(crd), texts: (i) => crdVersionTexts(crd, i, builtins.parameter) })), builtins, () => crds)
 */
export function serveCrdParts(
  crds: readonly CrdServing[],
  builtins: CrdBuiltins,
  objects: () => readonly JsonObject[],
): ServedCrds<JsonText[]> {
  const members = new Map<string, { crd: CrdServing; index: number }[]>()
  const discovery = new Map<string, APIResourceList>()
  const groups = new Map<string, string[]>()
  for (const crd of crds) {
    const c = crd.facts
    const storage = c.versions.find((v) => v.storage)?.name as string
    for (const [index, version] of c.versions.entries()) {
      if (!version.served) continue
      const name = version.name
      const key = `apis/${c.group}/${name}`
      members.set(key, [...(members.get(key) ?? []), { crd, index }])

      const list = discovery.get(key) ?? {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: `${c.group}/${name}`,
        resources: [],
      }
      discovery.set(key, list)
      const resource: APIResource = {
        name: c.plural,
        singularName: c.singular,
        namespaced: c.namespaced,
        kind: c.kind,
        // customresource_discovery_controller.go sync: a terminating CRD's resource keeps only
        // the verbs that do not write it.
        verbs: c.terminating
          ? ['delete', 'deletecollection', 'get', 'list', 'watch']
          : [...CRD_VERBS],
        storageVersionHash: hashOfStorage(c.group, storage, c.kind),
      }
      if (c.shortNames) resource.shortNames = c.shortNames
      if (c.categories) resource.categories = c.categories
      list.resources.push(resource)
      if (version.status)
        list.resources.push({
          name: `${c.plural}/status`,
          singularName: '',
          namespaced: c.namespaced,
          kind: c.kind,
          verbs: ['get', 'patch', 'update'],
        })
      if (version.scale)
        list.resources.push({
          name: `${c.plural}/scale`,
          singularName: '',
          namespaced: c.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        })
      const versions = groups.get(c.group) ?? []
      if (!versions.includes(name)) versions.push(name)
      groups.set(c.group, versions)
    }
  }
  for (const list of discovery.values())
    list.resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // sortGroupDiscoveryByKubeAwareVersion: the first is the preferred version.
  for (const versions of groups.values()) versions.sort(compareKubeVersions)

  // A builtin schema the server lacks is an error at start, as before any document is built.
  const scaled = (list: { crd: CrdServing; index: number }[]): boolean =>
    list.some(({ crd, index }) => crd.facts.versions[index]?.scale === true)
  const closures = new Map<boolean, JsonObject>()
  for (const [key, list] of members) {
    const withScale = scaled(list)
    if (!closures.has(withScale)) closures.set(withScale, builtinClosure(builtins, withScale, key))
  }
  // Every document embeds one of the two closures: each is serialized once, when first used.
  const closureTexts = new Map<boolean, [string, string][]>()
  const closureText = (withScale: boolean): [string, string][] => {
    let texts = closureTexts.get(withScale)
    if (texts === undefined) {
      texts = Object.entries(closures.get(withScale) ?? {}).map(([name, schema]) => [
        name,
        JSON.stringify(schema),
      ])
      closureTexts.set(withScale, texts)
    }
    return texts
  }

  const documents = new Map<string, () => JsonText[]>()
  for (const [key, list] of members) {
    documents.set(key, () => {
      const schemas = new Map<string, JsonText>(closureText(scaled(list)))
      const paths = new Map<string, JsonText>()
      for (const { crd, index } of list) {
        const c = crd.facts
        const name = c.versions[index]?.name as string
        const texts = crd.texts(index)
        schemas.set(definitionName(c, name, c.kind), texts.kind)
        schemas.set(definitionName(c, name, c.listKind), texts.list)
        for (const [path, item] of texts.paths) paths.set(path, item)
      }
      const head = JSON.stringify({
        openapi: '3.0.0',
        info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
      })
      const parts: JsonText[] = [head.slice(0, -1), ',"paths":']
      pushSortedObject(parts, paths)
      parts.push(',"components":{"schemas":')
      pushSortedObject(parts, schemas)
      parts.push('}}')
      return parts
    })
  }
  const v2 = once(() => {
    const added = { paths: {} as JsonObject, definitions: {} as JsonObject }
    for (const c of objects().map(crdOf)) {
      for (const version of c.versions) {
        if (version.served !== true) continue
        const name = version.name as string
        added.definitions[definitionName(c, name, c.kind)] = objectSchema(c, version, 'v2')
        added.definitions[definitionName(c, name, c.listKind)] = listSchema(c, name, 'v2')
        Object.assign(
          added.paths,
          operations(c, name, 'v2', (parameter) => builtins.parameter(parameter)),
        )
      }
    }
    return added
  })
  return { documents, discovery, v2, groups }
}
