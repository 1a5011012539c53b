// Validation against the OpenAPI schema of a kind, standing in for the apiserver's decoding
// and validation: unknown fields (apiserver `pkg/endpoints/handlers/rest.go` fieldValidation:
// Strict → 400 `strict decoding error: unknown field "spec.x"`, Warn → a 299 Warning header
// each, Ignore → silently dropped; dropped in every mode, like the decoder and CRD pruning),
// and — as apiextensions-apiserver `pkg/apiserver/validation` reports them — types, required
// properties and enums as 422 Invalid causes.
import { isJsonObject, resolveLocalRef, setOwn, type JsonObject } from './_json.js'
import type { StatusCause } from './status-errors.js'

/** The result of validating one object. */
export interface Validated {
  /** The object without unknown fields. */
  object: JsonObject
  /** Paths of unknown fields, e.g. `spec.replicass`. */
  unknown: string[]
  causes: StatusCause[]
}

const maxDepth = 64

// A walk resolves the same schema nodes for every object it checks (a CRD's JSONSchemaProps
// recurse through one $ref at each level): each node is resolved once per document.
const resolved = new WeakMap<JsonObject, { document: unknown; schema: JsonObject | undefined }>()

/** Resolves `$ref` and single-element `allOf` wrappers (how v3 documents reference schemas). */
export function resolveSchema(document: unknown, schema: unknown): JsonObject | undefined {
  if (!isJsonObject(schema)) return undefined
  const known = resolved.get(schema)
  if (known !== undefined && known.document === document) return known.schema
  const found = resolveUncached(document, schema)
  resolved.set(schema, { document, schema: found })
  return found
}

function resolveUncached(document: unknown, schema: JsonObject): JsonObject | undefined {
  let node: unknown = schema
  for (let i = 0; i < 8 && isJsonObject(node); i += 1) {
    if (typeof node['$ref'] === 'string') {
      node = resolveLocalRef(document, node['$ref'])
      continue
    }
    const allOf = node['allOf']
    if (Array.isArray(allOf) && allOf.length === 1 && node['properties'] === undefined) {
      const rest = { ...node }
      delete rest['allOf']
      const inner = resolveSchema(document, allOf[0])
      return inner === undefined ? undefined : { ...inner, ...rest }
    }
    return node
  }
  return undefined
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

function typeMatches(want: string, value: unknown): boolean {
  const got = typeOf(value)
  if (want === 'number') return got === 'number' || got === 'integer'
  return want === got
}

function quoteValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'null')
}

// The first `count` keys of `node`, for a walk that just found the first change.
function copyOf(node: JsonObject, keys: readonly string[], count: number): JsonObject {
  const out: JsonObject = {}
  for (const key of keys.slice(0, count)) setOwn(out, key, node[key])
  return out
}

/**
 * Validates `value` against `schema` (from `document`), returning the pruned value and what
 * was wrong. What it keeps unchanged is `value`'s own (callers copy what they write to).
 *
 * @example
 * validateObject(doc, podSchema, pod).unknown // ['spec.containerz']
 */
export function validateObject(document: unknown, schema: unknown, value: JsonObject): Validated {
  const unknown: string[] = []
  const causes: StatusCause[] = []
  const walk = (node: unknown, raw: unknown, path: string, depth: number): unknown => {
    const s = resolveSchema(document, raw)
    if (s === undefined || depth > maxDepth) return node
    // Null is how clients clear a field; the decoder accepts it for any optional field.
    if (node === null) return node
    // OpenAPI v2 spells IntOrString `type: string, format: int-or-string` (v3: oneOf): the
    // decoder takes either (apimachinery `pkg/util/intstr` UnmarshalJSON).
    if (s['x-kubernetes-int-or-string'] === true || s['format'] === 'int-or-string') {
      if (typeof node !== 'string' && typeOf(node) !== 'integer') {
        causes.push({
          reason: 'FieldValueTypeInvalid',
          message: `Invalid value: ${quoteValue(node)}: ${path} in body must be of type int-or-string: ${quoteValue(typeOf(node))}`,
          field: path,
        })
      }
      return node
    }
    const type = typeof s['type'] === 'string' ? s['type'] : undefined
    if (type !== undefined && !typeMatches(type, node)) {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: ${quoteValue(typeOf(node))}: ${path} in body must be of type ${type}: ${quoteValue(typeOf(node))}`,
        field: path,
      })
      return node
    }
    if (Array.isArray(s['enum']) && !s['enum'].some((e) => e === node)) {
      causes.push({
        reason: 'FieldValueNotSupported',
        message: `Unsupported value: ${quoteValue(node)}: supported values: ${s['enum'].map((e) => quoteValue(e)).join(', ')}`,
        field: path,
      })
    }
    if (Array.isArray(node)) {
      const items = node.map((item, i) => walk(item, s['items'], `${path}[${i}]`, depth + 1))
      return items.every((item, i) => item === node[i]) ? node : items
    }
    if (!isJsonObject(node)) return node
    const properties = isJsonObject(s['properties']) ? s['properties'] : undefined
    const additional = s['additionalProperties']
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true
    // The object as it is while nothing in it changes (no unknown field dropped, no child
    // rebuilt): a stored 1,000-CRD set is then not a second copy of the CRD files.
    let out: JsonObject | undefined
    const keys = Object.keys(node)
    for (const [index, key] of keys.entries()) {
      const child = node[key]
      const childPath = path === '' ? key : `${path}.${key}`
      let kept: unknown = child
      if (properties !== undefined && Object.hasOwn(properties, key)) {
        kept = walk(child, properties[key], childPath, depth + 1)
      } else if (isJsonObject(additional)) {
        kept = walk(child, additional, childPath, depth + 1)
      } else if (!(
        preserve ||
        additional === true ||
        (properties === undefined && type !== 'object') ||
        // An object schema without properties (e.g. a RawExtension) keeps everything.
        (properties === undefined && additional === undefined)
      )) {
        unknown.push(childPath)
        out ??= copyOf(node, keys, index)
        continue
      }
      if (kept !== child) out ??= copyOf(node, keys, index)
      if (out !== undefined) setOwn(out, key, kept)
    }
    if (Array.isArray(s['required'])) {
      for (const key of s['required']) {
        if (typeof key === 'string' && !Object.hasOwn(node, key)) {
          causes.push({
            reason: 'FieldValueRequired',
            message: 'Required value',
            field: path === '' ? key : `${path}.${key}`,
          })
        }
      }
    }
    return out ?? node
  }
  const object = walk(value, schema, '', 0)
  return { object: isJsonObject(object) ? object : value, unknown, causes }
}
