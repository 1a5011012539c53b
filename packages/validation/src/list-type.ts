// apiextensions-apiserver pkg/apiserver/schema/listtype/validation.go ValidateListSetsAndMaps:
// duplicates in `x-kubernetes-list-type: set` lists and duplicate keys in `map` lists. Paths are
// field.Path text (`spec.ports[1]`, `spec.byName[a]` under additionalProperties).
import { duplicate, invalid, type FieldError } from './field-error.js'
import { canonical } from './schema-validator.js'
import { holdsAtOrBelow, isObject, type JsonObject, type Schema } from './schema.js'

type Resolve = (schema: Schema) => Schema

/**
 * The FieldValueDuplicate errors of every list-type set or map under `obj`.
 */
export function validateListSetsAndMaps(
  resolve: Resolve,
  schema: Schema,
  obj: JsonObject,
  path = '',
): FieldError[] {
  const s = resolve(schema)
  const errs: FieldError[] = []
  if (typeof s.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(obj))
      errs.push(...walk(resolve, s.additionalProperties, v, `${path}[${k}]`))
  }
  if (s.properties !== undefined) {
    for (const [k, v] of Object.entries(obj)) {
      const sub = Object.hasOwn(s.properties, k) ? s.properties[k] : undefined
      if (sub !== undefined) errs.push(...walk(resolve, sub, v, path === '' ? k : `${path}.${k}`))
    }
  }
  return errs
}

// Whether a (resolved) schema node has a set or map list at or below it.
const listsBelowCache = new WeakMap<Schema, boolean>()
const hasListsBelow = (resolve: Resolve, s: Schema): boolean =>
  holdsAtOrBelow(listsBelowCache, resolve, s, (n) => {
    const listType = n['x-kubernetes-list-type']
    return listType === 'set' || listType === 'map'
  })

function walk(resolve: Resolve, schema: Schema, value: unknown, path: string): FieldError[] {
  if (!hasListsBelow(resolve, resolve(schema))) return []
  if (Array.isArray(value)) return validateArray(resolve, resolve(schema), value, path)
  if (isObject(value)) return validateListSetsAndMaps(resolve, schema, value, path)
  return []
}

function validateArray(resolve: Resolve, s: Schema, list: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = []
  const listType = s['x-kubernetes-list-type']
  if (listType === 'set') {
    for (const i of nonUnique(list)) errs.push(duplicate(`${path}[${i}]`, list[i]))
  } else if (listType === 'map') {
    errs.push(...validateListMap(s['x-kubernetes-list-map-keys'] ?? [], list, path))
  }
  if (s.items !== undefined) {
    const items = s.items
    list.forEach((x, i) => errs.push(...walk(resolve, items, x, `${path}[${i}]`)))
  }
  return errs
}

// validateListSet: the index of each value's second occurrence (a third is not reported again).
// Go keys scalars by their dynamic type and value, compounds by their JSON.
function nonUnique(list: readonly unknown[]): number[] {
  if (list.length <= 1) return []
  const seen = new Map<string, number>()
  const out: number[] = []
  list.forEach((x, i) => {
    const key = x === undefined ? 'unspecified' : `${typeof x}:${canonical(x)}`
    const times = seen.get(key) ?? 0
    seen.set(key, times + 1)
    if (times === 1) out.push(i)
  })
  return out
}

// validateListMap: every item an object (or null), then duplicate key tuples.
function validateListMap(
  keyFields: readonly string[],
  list: unknown[],
  path: string,
): FieldError[] {
  for (const [i, x] of list.entries()) {
    if (x !== null && !isObject(x))
      return [invalid(`${path}[${i}]`, x, 'must be an object for an array of list-type map')]
  }
  if (list.length <= 1) return []
  if (keyFields.length === 1) {
    const keyField = keyFields[0] as string
    // A missing key (or a null item) is the "unspecified" key; two of them are duplicates too.
    const keys = list.map((x) =>
      isObject(x) && Object.hasOwn(x, keyField) ? x[keyField] : undefined,
    )
    return nonUnique(keys).map((i) =>
      duplicate(`${path}[${i}]`, keys[i] === undefined ? {} : { [keyField]: keys[i] }),
    )
  }
  const keys = list.map((x) => {
    const key: JsonObject = {}
    if (isObject(x)) for (const f of keyFields) if (Object.hasOwn(x, f)) key[f] = x[f]
    return key
  })
  return nonUnique(keys).map((i) => duplicate(`${path}[${i}]`, keys[i]))
}
