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

// One node, copied once with its subtree. A node of the structural tree (`unfold`: reached from
// the root through properties, items and additionalProperties) has int-or-string unfolded; the
// members of junctors and `not` are NestedValueValidation (only value validations and junctors,
// no example/externalDocs) and are not unfolded, nor is anything below them.
function copyNode(value: JsonObject, unfold: boolean): JsonObject {
  const out: JsonObject = {}
  for (const key of GENERIC_AND_VALIDATION) if (value[key] !== undefined) out[key] = value[key]
  for (const key of TRUE_ONLY) if (value[key] === true) out[key] = true
  if (unfold) {
    // Generic's example and externalDocs (description and url only), printed by kubeopenapi.go
    // toKubeOpenAPI; value validations (junctors) have no Generic part.
    if (value.example !== undefined) out.example = value.example
    if (isJsonObject(value.externalDocs)) {
      const { description, url } = value.externalDocs
      out.externalDocs = {
        ...(description === undefined ? {} : { description }),
        ...(url === undefined ? {} : { url }),
      }
    }
  }
  for (const key of JUNCTORS) {
    const list = value[key]
    if (Array.isArray(list)) out[key] = list.map((member) => copyChild(member, false))
  }
  if (value.not !== undefined) out.not = copyChild(value.not, false)
  if (isJsonObject(value.properties)) {
    // fromEntries defines each key as an own property: a field named `__proto__` (a Go map key
    // to the apiserver, which accepts and publishes it) is kept, where assignment would drop it.
    out.properties = Object.fromEntries(
      Object.entries(value.properties).map(([k, v]) => [k, copyChild(v, unfold)]),
    )
  }
  if (value.items !== undefined) out.items = copyChild(value.items, unfold)
  if (value.additionalProperties !== undefined)
    out.additionalProperties = copyChild(value.additionalProperties, unfold)
  if (unfold && value['x-kubernetes-int-or-string'] === true) {
    const allOfFirst: unknown = Array.isArray(value.allOf)
      ? (value.allOf as unknown[])[0]
      : undefined
    const hasPattern =
      isIntOrStringAnyOf(value.anyOf) ||
      (isJsonObject(allOfFirst) && isIntOrStringAnyOf(allOfFirst.anyOf))
    if (!hasPattern) {
      if (value.anyOf === undefined) out.anyOf = intOrStringAnyOf()
      else out.allOf = [{ anyOf: intOrStringAnyOf() }, ...((out.allOf as unknown[]) ?? [])]
    }
  }
  return out
}

function copyChild(value: unknown, unfold: boolean): unknown {
  return isJsonObject(value) ? copyNode(value, unfold) : value
}

/**
 * The structural, unfolded form of a CRD schema node as `ToKubeOpenAPI()` prints it: only
 * structural fields, false booleans omitted, and `x-kubernetes-int-or-string` unfolded to
 * `anyOf: [{type: integer}, {type: string}]` (unfold.go: prepended to `allOf` when the node
 * already has its own `anyOf`; left alone when it already spells the pattern). Each node is read
 * and copied once.
 *
 * @example
 * structuralSchema({ 'x-kubernetes-int-or-string': true }) // { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true }
 */
export function structuralSchema(schema: JsonObject): JsonObject {
  return copyNode(schema, true)
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
