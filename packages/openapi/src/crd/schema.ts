import { isJsonObject } from '../_canonical-json.js'
import type { JsonObject } from '../types.js'

// A CRD version's `openAPIV3Schema` as the apiserver publishes it. apiextensions-apiserver
// `pkg/controller/openapi/builder/builder.go` generateBuilder turns the schema into a
// `structuralschema.Structural` (pkg/apiserver/schema/convert.go NewStructural: fields outside
// the structural model are gone; `example` and `externalDocs` are Generic fields, kept on
// structural nodes since 1.3x — a real 1.37 server publishes them), calls `Unfold()`
// (pkg/apiserver/schema/unfold.go) and prints it with `ToKubeOpenAPI()`
// (pkg/apiserver/schema/kubeopenapi.go), where a false boolean is not printed.

const GENERIC_AND_VALIDATION = [
  'type',
  'format',
  'title',
  'description',
  'default',
  'enum',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'multipleOf',
  'maxProperties',
  'minProperties',
  'required',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
] as const
const TRUE_ONLY = [
  'nullable',
  'uniqueItems',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
] as const
const JUNCTORS = ['allOf', 'anyOf', 'oneOf'] as const

const intOrStringAnyOf = (): JsonObject[] => [{ type: 'integer' }, { type: 'string' }]

function isIntOrStringAnyOf(list: unknown): boolean {
  return (
    Array.isArray(list) &&
    list.length === 2 &&
    isJsonObject(list[0]) &&
    isJsonObject(list[1]) &&
    list[0].type === 'integer' &&
    list[1].type === 'string' &&
    Object.keys(list[0]).length === 1 &&
    Object.keys(list[1]).length === 1
  )
}

// NestedValueValidation keeps only value validations and junctors (no example/externalDocs).
function nested(value: unknown): unknown {
  if (!isJsonObject(value)) return value
  const out: JsonObject = {}
  for (const key of GENERIC_AND_VALIDATION) if (value[key] !== undefined) out[key] = value[key]
  for (const key of TRUE_ONLY) if (value[key] === true) out[key] = true
  for (const key of JUNCTORS) if (Array.isArray(value[key])) out[key] = value[key].map(nested)
  if (value.not !== undefined) out.not = nested(value.not)
  if (isJsonObject(value.properties)) {
    const props: JsonObject = {}
    for (const [k, v] of Object.entries(value.properties)) props[k] = nested(v)
    out.properties = props
  }
  if (value.items !== undefined) out.items = nested(value.items)
  if (value.additionalProperties !== undefined)
    out.additionalProperties = nested(value.additionalProperties)
  return out
}

/**
 * The structural, unfolded form of a CRD schema node as `ToKubeOpenAPI()` prints it: only
 * structural fields, false booleans omitted, and `x-kubernetes-int-or-string` unfolded to
 * `anyOf: [{type: integer}, {type: string}]` (unfold.go: prepended to `allOf` when the node
 * already has its own `anyOf`; left alone when it already spells the pattern).
 *
 * @example
 * structuralSchema({ 'x-kubernetes-int-or-string': true }) // { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true }
 */
export function structuralSchema(schema: JsonObject): JsonObject {
  const out = nested(schema) as JsonObject
  // Generic's example and externalDocs (description and url only), printed by kubeopenapi.go
  // toKubeOpenAPI; value validations (junctors) have no Generic part.
  if (schema.example !== undefined) out.example = schema.example
  if (isJsonObject(schema.externalDocs)) {
    const { description, url } = schema.externalDocs
    out.externalDocs = {
      ...(description === undefined ? {} : { description }),
      ...(url === undefined ? {} : { url }),
    }
  }
  if (isJsonObject(schema.properties)) {
    const props: JsonObject = {}
    for (const [k, v] of Object.entries(schema.properties))
      props[k] = isJsonObject(v) ? structuralSchema(v) : v
    out.properties = props
  }
  if (isJsonObject(schema.items)) out.items = structuralSchema(schema.items)
  if (isJsonObject(schema.additionalProperties))
    out.additionalProperties = structuralSchema(schema.additionalProperties)
  if (schema['x-kubernetes-int-or-string'] === true) {
    const allOfFirst: unknown = Array.isArray(schema.allOf)
      ? (schema.allOf as unknown[])[0]
      : undefined
    const hasPattern =
      isIntOrStringAnyOf(schema.anyOf) ||
      (isJsonObject(allOfFirst) && isIntOrStringAnyOf(allOfFirst.anyOf))
    if (!hasPattern) {
      if (schema.anyOf === undefined) out.anyOf = intOrStringAnyOf()
      else out.allOf = [{ anyOf: intOrStringAnyOf() }, ...((out.allOf as unknown[]) ?? [])]
    }
  }
  return out
}

/**
 * Calls `visit` on every schema node reachable through properties, items and
 * additionalProperties, children before their parent (as builder.go addEmbeddedProperties
 * recurses before it looks at the node itself).
 *
 * @example
 * forEachNode(schema, (node) => { if (node['x-kubernetes-embedded-resource']) count++ })
 */
export function forEachNode(schema: JsonObject, visit: (node: JsonObject) => void): void {
  if (isJsonObject(schema.properties))
    for (const child of Object.values(schema.properties))
      if (isJsonObject(child)) forEachNode(child, visit)
  if (isJsonObject(schema.items)) forEachNode(schema.items, visit)
  if (isJsonObject(schema.additionalProperties)) forEachNode(schema.additionalProperties, visit)
  visit(schema)
}

/**
 * Every `$ref` target name (the part after the last `/`) in a JSON value.
 *
 * @example
 * refNames({ $ref: '#/components/schemas/io.k8s.X' }) // ['io.k8s.X']
 */
export function refNames(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refNames(v, out)
  else if (isJsonObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') out.add(v.slice(v.lastIndexOf('/') + 1))
      else refNames(v, out)
    }
  }
  return out
}
