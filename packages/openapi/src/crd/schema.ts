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

// What copying does with each field a structural node may have.
const enum Field {
  /** Generic and value validation fields: kept as they are. */
  Kept,
  /** Printed only when true (kubeopenapi.go prints no false boolean). */
  TrueOnly,
  /** Generic's example, on structural nodes only. */
  Example,
  /** Generic's externalDocs (description and url only), on structural nodes only. */
  ExternalDocs,
  /** allOf, anyOf, oneOf: NestedValueValidation members. */
  Junctor,
  Not,
  Properties,
  /** items, additionalProperties: structural children. */
  Child,
}

// Every field a copy can have, in code-unit order: the order canonical JSON sorts keys in, so a
// converted document's canonical form (stored, hashed, handed to the generator) is the document
// itself, not a key-sorted copy of each of its nodes.
const FIELDS: readonly (readonly [string, Field])[] = [
  ...GENERIC_AND_VALIDATION.map((key) => [key, Field.Kept] as const),
  ...TRUE_ONLY.map((key) => [key, Field.TrueOnly] as const),
  ...JUNCTORS.map((key) => [key, Field.Junctor] as const),
  ['example', Field.Example] as const,
  ['externalDocs', Field.ExternalDocs] as const,
  ['not', Field.Not] as const,
  ['properties', Field.Properties] as const,
  ['items', Field.Child] as const,
  ['additionalProperties', Field.Child] as const,
].sort(([a], [b]) => (a < b ? -1 : 1))

// unfold.go: `x-kubernetes-int-or-string` without the anyOf pattern gets it, as `anyOf` or, when
// the node has its own `anyOf`, prepended to `allOf`. Undefined: the node's own junctors.
function unfoldedJunctors(value: JsonObject): { allOf?: unknown[]; anyOf?: unknown[] } | undefined {
  if (value['x-kubernetes-int-or-string'] !== true) return undefined
  const allOfFirst: unknown = Array.isArray(value.allOf) ? (value.allOf as unknown[])[0] : undefined
  const hasPattern =
    isIntOrStringAnyOf(value.anyOf) ||
    (isJsonObject(allOfFirst) && isIntOrStringAnyOf(allOfFirst.anyOf))
  if (hasPattern) return undefined
  if (value.anyOf === undefined) return { anyOf: intOrStringAnyOf() }
  const own = Array.isArray(value.allOf) ? value.allOf.map((m) => copyChild(m, false)) : []
  return { allOf: [{ anyOf: intOrStringAnyOf() }, ...own] }
}

// One node, copied once with its subtree, its keys in canonical order. A node of the structural
// tree (`unfold`: reached from the root through properties, items and additionalProperties) has
// int-or-string unfolded; the members of junctors and `not` are NestedValueValidation (only value
// validations and junctors, no example/externalDocs) and are not unfolded, nor is anything below
// them.
function copyNode(value: JsonObject, unfold: boolean): JsonObject {
  const out: JsonObject = {}
  const unfolded = unfold ? unfoldedJunctors(value) : undefined
  for (const [key, field] of FIELDS) {
    const v = value[key]
    switch (field) {
      case Field.Kept:
        if (v !== undefined) out[key] = v
        break
      case Field.TrueOnly:
        if (v === true) out[key] = true
        break
      case Field.Example:
        if (unfold && v !== undefined) out[key] = v
        break
      case Field.ExternalDocs:
        // kubeopenapi.go toKubeOpenAPI prints Generic's externalDocs; value validations
        // (junctors) have no Generic part.
        if (unfold && isJsonObject(v)) {
          const { description, url } = v
          out[key] = {
            ...(description === undefined ? {} : { description }),
            ...(url === undefined ? {} : { url }),
          }
        }
        break
      case Field.Junctor: {
        const own = unfolded?.[key as 'allOf' | 'anyOf']
        if (own !== undefined) out[key] = own
        else if (Array.isArray(v)) out[key] = v.map((member) => copyChild(member, false))
        break
      }
      case Field.Not:
        if (v !== undefined) out[key] = copyChild(v, false)
        break
      case Field.Properties:
        if (isJsonObject(v)) {
          const props: JsonObject = {}
          for (const k of Object.keys(v).sort()) props[k] = copyChild(v[k], unfold)
          out[key] = props
        }
        break
      case Field.Child:
        if (v !== undefined) out[key] = copyChild(v, unfold)
        break
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
