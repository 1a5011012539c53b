// k8s.io/apiserver pkg/cel/common/equality.go CorrelatedObject: on an update, the old value that
// goes with a new one. A map's value pairs with the old map's value under the same key; a list
// item pairs only in an x-kubernetes-list-type map list, with the old item of the same key fields
// (maplist.go MakeMapList); items of other lists never pair. Used by ratcheting and by the
// transition rules of schema/cel.
import { canonical } from './schema-validator.js'
import { isObject, type Schema } from './schema.js'

/** An old value paired with a new one (present even when the old value is null). */
export interface Old {
  readonly value: unknown
}

/** CorrelatedObject.Key: the old value under `key`, when the old value is a map that has it. */
export function oldAtKey(old: Old | undefined, key: string): Old | undefined {
  if (old === undefined || !isObject(old.value) || !Object.hasOwn(old.value, key)) return undefined
  return { value: old.value[key] }
}

/**
 * correlateOldValueForChildAtNewIndex: a function from a new item of a list under `schema` to
 * its old item, which exists only for map lists.
 */
export function oldItemFinder(
  schema: Schema,
  old: Old | undefined,
): (item: unknown) => Old | undefined {
  const keys = schema['x-kubernetes-list-map-keys'] ?? []
  const oldItems = old !== undefined && Array.isArray(old.value) ? old.value : []
  if (schema['x-kubernetes-list-type'] !== 'map' || keys.length === 0 || oldItems.length === 0)
    return () => undefined
  const keyOf = (x: unknown): string | undefined =>
    isObject(x) ? canonical(keys.map((k) => (Object.hasOwn(x, k) ? x[k] : null))) : undefined
  const byKey = new Map<string, unknown>()
  for (const item of oldItems) {
    const k = keyOf(item)
    if (k !== undefined && !byKey.has(k)) byKey.set(k, item)
  }
  return (item) => {
    const k = keyOf(item)
    return k === undefined || !byKey.has(k) ? undefined : { value: byKey.get(k) }
  }
}

/** CorrelatedObject.CachedDeepEqual. */
export function unchanged(value: unknown, old: Old): boolean {
  return canonical(value) === canonical(old.value)
}
