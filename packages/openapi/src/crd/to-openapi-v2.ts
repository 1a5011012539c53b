import { isJsonObject } from '../_canonical-json.js'
import { OpenApiError } from '../errors.js'
import { groupVersionKeyOfPath, splitV2Document } from '../split-v2.js'
import type { JsonObject, OpenApiV3Document } from '../types.js'
import { optionParameters, type CrdBaseline } from './baseline.js'
import {
  API_VERSION,
  KIND,
  META,
  OBJECT_META_DOC,
  crdRoutes,
  crdSchemaName,
  hoistCommonParameters,
  type CrdRoute,
} from './routes.js'
import { forEachNode, structuralSchema } from './schema.js'
import type { CrdVersion, CustomResourceDefinition } from './types.js'
import {
  embedResource,
  listSchema,
  servedGroupVersions,
  withSelectableFields,
  type ConvertedGroupVersion,
} from './to-openapi-v3.js'

// CRDs as a pre-1.24 kube-apiserver publishes them in its one `/openapi/v2` document:
// apiextensions-apiserver `pkg/controller/openapi/builder/builder.go` BuildOpenAPIV2
// (Options{V2: true}) with `pkg/controller/openapi/v2/conversion.go` ToStructuralOpenAPIV2,
// printed by kube-openapi `pkg/builder`, merged into the server's document
// (`pkg/controller/openapi/controller.go`). The group-versions are then split the same way a
// fetched v2 document is ({@link splitV2Document}).

const ref = (name: string): JsonObject => ({ $ref: `#/definitions/${name}` })
const describedRef = (name: string, description: string): JsonObject => ({
  ...ref(name),
  description,
})

// conversion.go ToStructuralOpenAPIV2: the visitor sees a node before its children, so a
// property's `nullable` is still there when its parent filters `required`.
function toStructuralV2(s: JsonObject): void {
  // Not conversion.go's: the v2 controller (pkg/controller/openapi/controller.go) prunes every
  // default (kube-openapi pkg/handler PruneDefaults) so the CRDs merge with the static spec.
  delete s.default
  for (const junctor of ['allOf', 'oneOf', 'anyOf', 'not']) delete s[junctor]
  if (s.nullable === true) {
    delete s.type
    delete s.nullable
    delete s.items
    delete s.properties
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === true) {
    delete s.items
    delete s.properties
  }
  if (s.items === undefined && s.type === 'array') delete s.type
  if (s['x-kubernetes-preserve-unknown-fields'] === true && s.type === 'object') delete s.type
  const properties = isJsonObject(s.properties) ? (s.properties as Record<string, JsonObject>) : {}
  if (Array.isArray(s.required)) {
    const required = (s.required as string[]).filter((f) => properties[f]?.nullable !== true)
    if (required.length > 0) s.required = required
    else delete s.required
  }
  if (isJsonObject(s.additionalProperties) && s.additionalProperties.nullable === true)
    delete s.required
  for (const child of Object.values(properties)) toStructuralV2(child)
  if (isJsonObject(s.items)) toStructuralV2(s.items)
  if (isJsonObject(s.additionalProperties)) toStructuralV2(s.additionalProperties)
}

// builder.go addEmbeddedProperties with V2: a node that preserves unknown fields gets nothing
// (kubectl would refuse unknown fields), checked after its children.
function addEmbeddedPropertiesV2(schema: JsonObject): void {
  forEachNode(schema, (node) => {
    if (node['x-kubernetes-preserve-unknown-fields'] === true) return
    if (node['x-kubernetes-embedded-resource'] === true) embedResource(node, { ref, describedRef })
  })
}

// builder.go buildKubeNative with V2: a root that preserves unknown fields is published as a
// bare object so kubectl does not reject the unknown fields.
function kindSchemaV2(crd: CustomResourceDefinition, version: CrdVersion): JsonObject {
  const gvk = [{ group: crd.group, kind: crd.names.kind, version: version.name }]
  const schema = structuralSchema(version.schema)
  if (schema['x-kubernetes-preserve-unknown-fields'] === true || crd.preserveUnknownFields) {
    return withSelectableFields({ type: 'object', 'x-kubernetes-group-version-kind': gvk }, version)
  }
  toStructuralV2(schema)
  const properties = (schema.properties ?? {}) as JsonObject
  properties.metadata = describedRef(`${META}ObjectMeta`, OBJECT_META_DOC)
  properties.apiVersion = API_VERSION
  properties.kind = KIND
  schema.properties = properties
  addEmbeddedPropertiesV2(schema)
  schema['x-kubernetes-group-version-kind'] = gvk
  return withSelectableFields(schema, version)
}

const RESPONSE_TEXT = { '201': 'Created', '202': 'Accepted' } as const

// kube-openapi pkg/builder buildOperations / buildParameter / buildResponse.
function v2Operation(
  route: CrdRoute,
  queryParameters: Record<string, JsonObject>,
  options: CrdBaseline['options'],
): JsonObject {
  const parameters: JsonObject[] = []
  if (route.body !== undefined) {
    parameters.push({
      in: 'body',
      name: 'body',
      ...(route.bodyRequired ? { required: true } : {}),
      schema: ref(route.body),
    })
  }
  for (const p of route.parameters) {
    if (p.in === 'path') {
      parameters.push({
        description: p.description,
        in: 'path',
        name: p.name,
        required: true,
        type: 'string',
        uniqueItems: true,
      })
      continue
    }
    if (p.description !== undefined) {
      parameters.push({
        description: p.description,
        in: 'query',
        name: p.name,
        type: 'string',
        uniqueItems: true,
      })
    }
  }
  const names = route.parameters
    .filter((p) => p.in === 'query' && p.description === undefined)
    .map((p) => p.name)
  for (const v3 of optionParameters(route.action, names, {
    parameters: queryParameters,
    ...(options === undefined ? {} : { options }),
  })) {
    const schema = isJsonObject(v3.schema) ? v3.schema : { type: 'string', uniqueItems: true }
    parameters.push({
      ...(typeof v3.description === 'string' ? { description: v3.description } : {}),
      in: 'query',
      name: v3.name,
      ...schema,
    })
  }
  const responses: JsonObject = { '200': { description: 'OK', schema: ref(route.response) } }
  for (const code of route.extraResponses) {
    responses[code] = { description: RESPONSE_TEXT[code], schema: ref(route.response) }
  }
  responses['401'] = { description: 'Unauthorized' }
  return {
    consumes: [...route.consumes],
    description: route.description,
    operationId: route.operationId,
    parameters,
    produces: [...route.produces],
    responses,
    schemes: ['https'],
    tags: [route.tag],
    'x-kubernetes-action': route.action,
    'x-kubernetes-group-version-kind': route.gvk,
  }
}

/**
 * The Swagger 2.0 `paths` and `definitions` kube-apiserver adds to `/openapi/v2` for these CRDs
 * (served versions only). `queryParameters` supplies the option parameters' descriptions and
 * types (v3 parameter objects, e.g. a baseline's); `options`, where given, the option
 * parameters per action ({@link CrdBaseline.options}).
 *
 * @example
 * const { paths, definitions } = crdsToSwaggerV2(crds, shippedCrdBaseline().parameters)
 */
export function crdsToSwaggerV2(
  crds: readonly CustomResourceDefinition[],
  queryParameters: Record<string, JsonObject>,
  options?: CrdBaseline['options'],
): { paths: Record<string, JsonObject>; definitions: Record<string, JsonObject> } {
  const paths: Record<string, JsonObject> = {}
  const definitions: Record<string, JsonObject> = {}
  for (const crd of crds) {
    for (const version of crd.versions) {
      if (!version.served) continue
      definitions[crdSchemaName(crd.group, version.name, crd.names.kind)] = kindSchemaV2(
        crd,
        version,
      )
      definitions[crdSchemaName(crd.group, version.name, crd.names.listKind)] = listSchema(
        crd,
        version.name,
        { ref, describedRef },
      )
      for (const route of crdRoutes(crd, version)) {
        const item = (paths[route.path] ??= {})
        item[route.method] = v2Operation(route, queryParameters, options)
      }
    }
  }
  for (const item of Object.values(paths)) hoistCommonParameters(item)
  return { paths, definitions }
}

/**
 * The CRDs' group-versions as a fetch of a v2-only server that serves them would store them:
 * the CRDs' paths and definitions merged into the server's own `/openapi/v2` document `base`
 * (which supplies ObjectMeta & co.), then split with {@link splitV2Document}. A CRD path the
 * base document already has is refused with `K8S_CODEGEN_OPENAPI_CRD_CONFLICT` unless
 * `override`.
 *
 * @example
 * const gvs = crdsToOpenApiV2Documents(crds, JSON.parse(v2Text), { override: false })
 */
export function crdsToOpenApiV2Documents(
  crds: readonly CustomResourceDefinition[],
  base: JsonObject,
  options: {
    override: boolean
    /**
     * Group-versions these CRDs served before (the lockfile records them as the set's): the
     * base document serving their paths is the set's own earlier lock, not another server, as
     * a v3 base leaves them out (lock.ts).
     */
    owned?: ReadonlySet<string>
    /** What the conflict's message tells the user to do (default: pass --crds-override). */
    remedy?: string
    queryParameters: Record<string, JsonObject>
    queryOptions?: CrdBaseline['options']
  },
): ConvertedGroupVersion[] {
  const { paths, definitions } = crdsToSwaggerV2(
    crds,
    options.queryParameters,
    options.queryOptions,
  )
  const basePaths = isJsonObject(base.paths) ? base.paths : {}
  if (!options.override) {
    const taken = Object.keys(paths).find(
      (p) =>
        basePaths[p] !== undefined && options.owned?.has(groupVersionKeyOfPath(p) ?? '') !== true,
    )
    if (taken !== undefined) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_CONFLICT',
        `the base /openapi/v2 document already serves ${taken}; ${options.remedy ?? 'pass --crds-override to replace it with the CRD'}`,
      )
    }
  }
  const merged: JsonObject = {
    ...base,
    paths: { ...basePaths, ...paths },
    definitions: { ...(isJsonObject(base.definitions) ? base.definitions : {}), ...definitions },
  }
  const split = splitV2Document(merged)
  return servedGroupVersions(crds).map(({ served: _served, ...gv }) => ({
    ...gv,
    document: split.get(gv.key) as OpenApiV3Document,
  }))
}
