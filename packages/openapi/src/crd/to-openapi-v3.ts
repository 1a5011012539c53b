import type { APIResourceList, JsonObject, OpenApiV3Document } from '../types.js'
import { optionParameters, type CrdBaseline } from './baseline.js'
import { crdDiscoveryResources } from './discovery.js'
import { crdResourceFacts, type CrdFactsList } from './facts.js'
import {
  API_VERSION,
  CONVENTIONS,
  EMBEDDED_API_VERSION_DOC,
  EMBEDDED_KIND_DOC,
  KIND,
  LIST_META_DOC,
  META,
  OBJECT_META_DOC,
  crdRoutes,
  crdSchemaName,
  hoistCommonParameters,
  type CrdRoute,
} from './routes.js'
import { forEachNode, structuralSchema } from './schema.js'
import type { CrdVersion, CustomResourceDefinition } from './types.js'

// CRDs → one OpenAPI v3 document per group-version, as kube-apiserver publishes them at
// /openapi/v3/apis/<group>/<version>: apiextensions-apiserver
// `pkg/controller/openapi/builder/builder.go` BuildOpenAPIV3 (one document per CRD version,
// Options{V2: false}) and `pkg/controller/openapiv3/controller.go` (the documents of one
// group-version merged, served versions only), printed by kube-openapi `pkg/builder3`.

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` })
// builder3 wrapRefs: a `$ref` with siblings (a description) becomes `allOf: [{ $ref }]`.
const describedRef = (name: string, description: string): JsonObject => ({
  allOf: [ref(name)],
  description,
})

/** How a document spells a reference: v3 `#/components/schemas/…`, v2 `#/definitions/…`. */
export interface RefStyle {
  ref(name: string): JsonObject
  describedRef(name: string, description: string): JsonObject
}

const V3_REFS: RefStyle = { ref, describedRef }

/**
 * builder.go addEmbeddedProperties: an x-kubernetes-embedded-resource node gains apiVersion, kind
 * and metadata and requires kind and apiVersion (v2 and v3 differ only in their refs).
 *
 * @example
 * embedResource(node, V3_REFS)
 */
export function embedResource(node: JsonObject, refs: RefStyle): void {
  const properties = (node.properties ?? {}) as JsonObject
  properties.apiVersion = { description: EMBEDDED_API_VERSION_DOC, type: 'string' }
  properties.kind = { description: EMBEDDED_KIND_DOC, type: 'string' }
  properties.metadata = refs.describedRef(`${META}ObjectMeta`, OBJECT_META_DOC)
  node.properties = properties
  const required = Array.isArray(node.required) ? [...(node.required as string[])] : []
  if (!required.includes('kind')) required.push('kind')
  if (!required.includes('apiVersion')) required.push('apiVersion')
  node.required = required
}

function addEmbeddedProperties(schema: JsonObject): void {
  forEachNode(schema, (node) => {
    if (node['x-kubernetes-embedded-resource'] === true) embedResource(node, V3_REFS)
  })
}

// builder.go buildKubeNative (structural schema, v3).
function kindSchema(crd: CustomResourceDefinition, version: CrdVersion): JsonObject {
  const schema = structuralSchema(version.schema)
  const properties = (schema.properties ?? {}) as JsonObject
  properties.metadata = describedRef(`${META}ObjectMeta`, OBJECT_META_DOC)
  properties.apiVersion = API_VERSION
  properties.kind = KIND
  schema.properties = properties
  addEmbeddedProperties(schema)
  schema['x-kubernetes-group-version-kind'] = [
    { group: crd.group, kind: crd.names.kind, version: version.name },
  ]
  return withSelectableFields(schema, version)
}

/**
 * builder.go buildSelectableFields: a version's `selectableFields` published on its kind and
 * list schemas as `x-kubernetes-selectable-fields: [{fieldPath}]`, the leading '.' dropped
 * (CustomResourceFieldSelectors, on by default since 1.31, GA in 1.32).
 *
 * @example
 * withSelectableFields({}, { ...version, selectableFields: ['.spec.color'] }) // { 'x-kubernetes-selectable-fields': [{ fieldPath: 'spec.color' }] }
 */
export function withSelectableFields(
  schema: JsonObject,
  version: CrdVersion | undefined,
): JsonObject {
  const fields = version?.selectableFields
  if (fields !== undefined && fields.length > 0) {
    schema['x-kubernetes-selectable-fields'] = fields.map((path) => ({
      fieldPath: path.slice(1),
    }))
  }
  return schema
}

/**
 * builder.go buildListSchema: an object, items required (v2 and v3 differ only in their refs).
 *
 * @example
 * listSchema(crd, 'v1', V3_REFS).required // ['items']
 */
export function listSchema(
  crd: CustomResourceDefinition,
  version: string,
  refs: RefStyle,
): JsonObject {
  const { kind, listKind, plural } = crd.names
  const schema: JsonObject = {
    type: 'object',
    description: `${listKind} is a list of ${kind}`,
    required: ['items'],
    properties: {
      apiVersion: API_VERSION,
      items: {
        description: `List of ${plural}. More info: ${CONVENTIONS}`,
        type: 'array',
        items: refs.ref(crdSchemaName(crd.group, version, kind)),
      },
      kind: KIND,
      metadata: refs.describedRef(`${META}ListMeta`, LIST_META_DOC),
    },
    'x-kubernetes-group-version-kind': [{ group: crd.group, kind: listKind, version }],
  }
  return withSelectableFields(
    schema,
    crd.versions.find((v) => v.name === version),
  )
}

function content(schema: string, types: readonly string[]): JsonObject {
  return Object.fromEntries(types.map((t) => [t, { schema: ref(schema) }]))
}

const RESPONSE_TEXT = { '201': 'Created', '202': 'Accepted' } as const

// builder3 buildOperations / buildParameter / buildRequestBody / buildResponse.
function v3Operation(route: CrdRoute, baseline: CrdBaseline): JsonObject {
  const options = route.parameters.filter((p) => p.in === 'query' && p.description === undefined)
  const own = route.parameters.filter((p) => !options.includes(p))
  const parameters = own.map((p): JsonObject => {
    if (p.in === 'path') {
      return {
        description: p.description,
        in: 'path',
        name: p.name,
        required: true,
        schema: { type: 'string', uniqueItems: true },
      }
    }
    return {
      description: p.description,
      in: 'query',
      name: p.name,
      schema: { type: 'string', uniqueItems: true },
    }
  })
  parameters.push(
    ...optionParameters(
      route.action,
      options.map((p) => p.name),
      baseline,
    ),
  )
  const responses: JsonObject = {
    '200': { content: content(route.response, route.produces), description: 'OK' },
  }
  for (const code of route.extraResponses) {
    responses[code] = {
      content: content(route.response, route.produces),
      description: RESPONSE_TEXT[code],
    }
  }
  responses['401'] = { description: 'Unauthorized' }
  const operation: JsonObject = {
    description: route.description,
    operationId: route.operationId,
    parameters,
    responses,
    tags: [route.tag],
    'x-kubernetes-action': route.action,
    'x-kubernetes-group-version-kind': route.gvk,
  }
  // builder3 buildRequestBody: `required` is the body parameter's (false only for delete).
  if (route.body !== undefined) {
    operation.requestBody = {
      content: content(route.body, route.consumes),
      ...(route.bodyRequired ? { required: true } : {}),
    }
  }
  return operation
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
  /** What the CRDs say beyond the document and discovery list (deprecation, printer columns). */
  facts: CrdFactsList
  /** The CRDs (`metadata.name`) serving this group-version. */
  crds: string[]
}

function sortedObject<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/**
 * The served group-versions of CRDs, each with its discovery list (kinds merged, sorted by
 * name) and the CRD versions serving it, before any document is printed.
 *
 * @example
 * servedGroupVersions(crds).map((gv) => gv.key) // ['apis/example.dev/v1']
 */
export function servedGroupVersions(crds: readonly CustomResourceDefinition[]): (Omit<
  ConvertedGroupVersion,
  'document'
> & {
  served: { crd: CustomResourceDefinition; version: CrdVersion }[]
})[] {
  const byKey = new Map<
    string,
    Omit<ConvertedGroupVersion, 'document'> & {
      served: { crd: CustomResourceDefinition; version: CrdVersion }[]
    }
  >()
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
          discovery: {
            kind: 'APIResourceList',
            apiVersion: 'v1',
            groupVersion: `${crd.group}/${version.name}`,
            resources: [],
          },
          facts: { groupVersion: `${crd.group}/${version.name}`, resources: [] },
          crds: [],
          served: [],
        }
        byKey.set(key, gv)
      }
      gv.crds.push(crd.name)
      gv.served.push({ crd, version })
      gv.discovery.resources.push(...crdDiscoveryResources(crd, version))
      gv.facts.resources.push(crdResourceFacts(crd, version))
    }
  }
  return [...byKey.keys()].sort().map((key) => {
    const gv = byKey.get(key) as NonNullable<ReturnType<typeof byKey.get>>
    gv.discovery.resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    gv.facts.resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    gv.crds.sort()
    return gv
  })
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
  return servedGroupVersions(crds).map(({ served, ...gv }) => {
    const schemas: Record<string, JsonObject> = {}
    const paths: Record<string, JsonObject> = {}
    let scale = false
    for (const { crd, version } of served) {
      schemas[crdSchemaName(crd.group, version.name, crd.names.kind)] = kindSchema(crd, version)
      schemas[crdSchemaName(crd.group, version.name, crd.names.listKind)] = listSchema(
        crd,
        version.name,
        V3_REFS,
      )
      for (const route of crdRoutes(crd, version)) {
        const item = (paths[route.path] ??= {})
        item[route.method] = v3Operation(route, baseline)
      }
      scale ||= version.subresources?.scale !== undefined
    }
    for (const item of Object.values(paths)) hoistCommonParameters(item)
    // The referenced schemas a real server includes from its own definitions; Scale's only
    // where a /scale route references it.
    for (const [name, schema] of Object.entries(baseline.schemas)) {
      if (!scale && name.startsWith('io.k8s.api.autoscaling.')) continue
      schemas[name] = structuredClone(schema)
    }
    return {
      ...gv,
      document: {
        openapi: '3.0.0',
        info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
        paths: sortedObject(paths),
        components: { schemas: sortedObject(schemas) },
      },
    }
  })
}
