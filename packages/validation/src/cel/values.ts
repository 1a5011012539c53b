// How a JSON value becomes the `self` of a rule: k8s.io/apiserver pkg/cel/common
// valuesunstructured.go UnstructuredToVal over the DeclType of schemas.go SchemaDeclType. An object
// with properties shows only its declared, escapable fields (a null field reads as absent); one
// with additionalProperties is a map of all its keys; `type: integer` is a CEL int, `type: number`
// a double (even for `3`); int-or-string is an int or a string; a field the CEL type cannot
// describe (no type, preserve-unknown-fields alone) is left out. Lists remember their
// x-kubernetes-list-type, because a set or map list compares without regard to order.
import { celList, celMap, isCelList, isCelMap, isCelType, type CelValue } from '@bufbuild/cel'
import { equals } from '@bufbuild/protobuf'
import { isReflectMessage } from '@bufbuild/protobuf/reflect'
import type { Schema } from '../schema.js'
import { formattedString } from './formats.js'

type Resolve = (schema: Schema) => Schema

/** The x-kubernetes-list-type of a list value, and the escaped key fields of a map list. */
type ListKind = { readonly type: 'set' } | { readonly type: 'map'; readonly keys: string[] }

const listKinds = new WeakMap<object, ListKind>()

// apiserver pkg/cel/escaping.go celReservedSymbols.
const reserved = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
])

/**
 * apiserver pkg/cel/escaping.go Escape: the CEL field name of a property (`x-y` is `x__dash__y`),
 * or undefined for a name CEL cannot spell (it starts with a digit or has other characters).
 */
export function escapeFieldName(name: string): string | undefined {
  if (name === '' || (name[0]! >= '0' && name[0]! <= '9')) return undefined
  if (reserved.has(name)) return `__${name}__`
  let ok = true
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9\-./_]/g, (s) => {
    switch (s) {
      case '__':
        return '__underscores__'
      case '.':
        return '__dot__'
      case '-':
        return '__dash__'
      case '/':
        return '__slash__'
      default:
        ok = false
        return ''
    }
  })
  return ok ? escaped : undefined
}

// model/schemas.go WithTypeAndObjectMeta: what a rule sees of a resource's own type and metadata.
const stringSchema: Schema = { type: 'string' }
function withTypeAndObjectMeta(s: Schema): Schema {
  return {
    ...s,
    properties: {
      ...s.properties,
      kind: stringSchema,
      apiVersion: stringSchema,
      metadata: {
        type: 'object',
        properties: { name: stringSchema, generateName: stringSchema },
      },
    },
  }
}

/** schemas.go SchemaDeclType: whether CEL has a type for values of this schema. */
export function hasCelType(resolve: Resolve, raw: Schema): boolean {
  const s = resolve(raw)
  if (s['x-kubernetes-int-or-string'] === true) return true
  switch (s.type) {
    case 'array':
      return s.items !== undefined && hasCelType(resolve, s.items)
    case 'object':
      return typeof s.additionalProperties === 'object'
        ? hasCelType(resolve, s.additionalProperties)
        : true
    case 'string':
    case 'boolean':
    case 'number':
    case 'integer':
      return true
    case undefined:
    default:
      return false
  }
}

/** The schema a rule at this node sees: a resource root or embedded resource shows its metadata. */
export function ruleSchema(resolve: Resolve, raw: Schema, isResourceRoot: boolean): Schema {
  const s = resolve(raw)
  return isResourceRoot || s['x-kubernetes-embedded-resource'] === true
    ? withTypeAndObjectMeta(s)
    : s
}

/** Converts JSON values to CEL values for one object's rules (each value converted once). */
export class CelConverter {
  private readonly cache = new WeakMap<object, Map<Schema, CelValue>>()
  constructor(private readonly resolve: Resolve) {}

  /** UnstructuredToVal: `value` typed by `schema` (already with its metadata if a resource). */
  toCel(value: unknown, raw: Schema): CelValue {
    if (value === null || value === undefined) return null
    const s = this.resolve(raw)
    if (typeof value !== 'object') return this.scalar(value, s)
    let bySchema = this.cache.get(value)
    const cached = bySchema?.get(raw)
    if (cached !== undefined) return cached
    const converted = Array.isArray(value) ? this.list(value, s) : this.object(value, s)
    if (bySchema === undefined) this.cache.set(value, (bySchema = new Map<Schema, CelValue>()))
    bySchema.set(raw, converted)
    return converted
  }

  private scalar(value: unknown, s: Schema): CelValue {
    if (typeof value === 'number') {
      const int =
        (s.type === 'integer' || s['x-kubernetes-int-or-string'] === true) &&
        Number.isInteger(value)
      return int ? BigInt(value) : value
    }
    if (typeof value === 'string')
      return s.type === 'string' ? (formattedString(s.format, value) ?? value) : value
    if (typeof value === 'boolean' || typeof value === 'bigint') return value
    return null
  }

  private list(value: readonly unknown[], s: Schema): CelValue {
    const items = s.items
    const list = celList(value.map((x) => (items === undefined ? null : this.toCel(x, items))))
    const listType = s['x-kubernetes-list-type']
    if (listType === 'set') listKinds.set(list, { type: 'set' })
    if (listType === 'map') {
      const keys = (s['x-kubernetes-list-map-keys'] ?? []).map((k) => escapeFieldName(k) ?? k)
      listKinds.set(list, { type: 'map', keys })
    }
    return list
  }

  private object(value: object, raw: Schema): CelValue {
    const s = raw['x-kubernetes-embedded-resource'] === true ? withTypeAndObjectMeta(raw) : raw
    const map = new Map<string, CelValue>()
    const entries = Object.entries(value as Record<string, unknown>)
    if (s.properties !== undefined) {
      for (const [k, v] of entries) {
        const prop = Object.hasOwn(s.properties, k) ? s.properties[k] : undefined
        const name = escapeFieldName(k)
        // A null field of an object reads as absent (unstructuredMap.Find).
        if (prop === undefined || name === undefined || v === null) continue
        if (!hasCelType(this.resolve, prop)) continue
        map.set(name, this.toCel(v, prop))
      }
    } else if (typeof s.additionalProperties === 'object') {
      for (const [k, v] of entries) map.set(k, this.toCel(v, s.additionalProperties))
    }
    return celMap(map)
  }
}

/**
 * CEL equality as Kubernetes defines it for its values (valuesunstructured.go Equal): a
 * list-type set equals a list with the same elements in any order, a list-type map one with the
 * same entries by key in any order; otherwise CEL's own equality (numbers across int and double).
 */
export function kubernetesEquals(a: CelValue, b: CelValue): boolean {
  if (a === b) return true
  if (
    (typeof a === 'bigint' || typeof a === 'number') &&
    (typeof b === 'bigint' || typeof b === 'number')
  )
    return a == b
  if (isCelList(a)) {
    if (!isCelList(b) || a.size !== b.size) return false
    const kind = listKinds.get(a)
    const left = [...a]
    const right = [...b]
    if (kind?.type === 'set') {
      return (
        right.every((x) => left.some((y) => kubernetesEquals(y, x))) &&
        left.every((x) => right.some((y) => kubernetesEquals(x, y)))
      )
    }
    if (kind?.type === 'map') {
      const keyOf = (x: CelValue): CelValue[] =>
        kind.keys.map((k) => (isCelMap(x) ? (x.get(k) ?? null) : null))
      const sameKey = (x: CelValue, y: CelValue): boolean => {
        const kx = keyOf(x)
        const ky = keyOf(y)
        return kx.every((v, i) => kubernetesEquals(v, ky[i] ?? null))
      }
      return right.every((x) => {
        const match = left.find((y) => sameKey(y, x))
        return match !== undefined && kubernetesEquals(match, x)
      })
    }
    return left.every((x, i) => kubernetesEquals(x, right[i] ?? null))
  }
  if (isCelMap(a)) {
    if (!isCelMap(b) || a.size !== b.size) return false
    for (const [k, v] of a) {
      const w = b.get(k)
      if (w === undefined || !kubernetesEquals(v, w)) return false
    }
    return true
  }
  if (a instanceof Uint8Array)
    return b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i])
  if (isCelType(a)) return isCelType(b) && a.kind === b.kind && a.name === b.name
  // Timestamps and durations (the formats of formats.ts, and what timestamp() and duration()
  // return): the same well-known type with the same fields.
  if (isReflectMessage(a))
    return (
      isReflectMessage(b) &&
      a.desc.typeName === b.desc.typeName &&
      equals(a.desc, a.message, b.message)
    )
  return false
}
