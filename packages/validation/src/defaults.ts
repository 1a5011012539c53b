// apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go Default: the decoder fills
// in schema defaults (an absent property, or a null where the schema allows none) before the
// strategy validates, so a defaulted required field is never missing.
import {
  holdsAtOrBelow,
  isObject,
  referenceOf,
  setField,
  type JsonObject,
  type Schema,
} from './schema.js'

type Resolve = (schema: Schema) => Schema

// A default is copied so no two objects share it; a scalar needs no copy.
const copy = (value: unknown): unknown =>
  typeof value === 'object' && value !== null ? structuredClone(value) : value

const nonNullableNull = (x: unknown, s: Schema | undefined): boolean =>
  x === null && s !== undefined && s.nullable !== true

// The properties of a schema that carry a default of their own, found once per schema node: most
// have none, and a run defaults many objects against the same schemas.
const defaultedCache = new WeakMap<Schema, [string, Schema][]>()
function defaulted(s: Schema): [string, Schema][] {
  let found = defaultedCache.get(s)
  if (found === undefined) {
    // A reference's `default: {}` is the publisher's (built-in structs), not a CRD's: the
    // structural schemas the apiserver defaults with have no references.
    found = Object.entries(s.properties ?? {}).filter(
      ([, prop]) => prop.default !== undefined && referenceOf(prop) === undefined,
    )
    defaultedCache.set(s, found)
  }
  return found
}

// Whether defaulting under a (resolved) schema node can change anything: a default somewhere in
// its properties, additionalProperties or items, the walk below follows.
const defaultsBelowCache = new WeakMap<Schema, boolean>()
const hasDefaultsBelow = (resolve: Resolve, s: Schema): boolean =>
  holdsAtOrBelow(
    defaultsBelowCache,
    resolve,
    s,
    (n) =>
      defaulted(n).length > 0 ||
      (typeof n.additionalProperties === 'object' &&
        n.additionalProperties.default !== undefined) ||
      n.items?.default !== undefined,
  )

const withDefaultsBelowCache = new WeakMap<Schema, [string, Schema][]>()
function propertiesWithDefaultsBelow(resolve: Resolve, s: Schema): [string, Schema][] {
  let found = withDefaultsBelowCache.get(s)
  if (found === undefined) {
    found = Object.entries(s.properties ?? {}).filter(([, prop]) =>
      hasDefaultsBelow(resolve, resolve(prop)),
    )
    withDefaultsBelowCache.set(s, found)
  }
  return found
}

/**
 * `x` with the defaults of `schema` applied: a copy where a default applies, `x` itself where
 * its schema holds none (the decoder's pruned copy is fresh already).
 */
export function applyDefaults(resolve: Resolve, raw: Schema | undefined, x: unknown): unknown {
  if (raw === undefined) return x
  const s = resolve(raw)
  if (!hasDefaultsBelow(resolve, s)) return x
  if (isObject(x)) {
    const out: JsonObject = { ...x }
    for (const [k, prop] of defaulted(s)) {
      if (!Object.hasOwn(out, k) || nonNullableNull(out[k], prop))
        setField(out, k, copy(prop.default))
    }
    const additional =
      typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined
    // Only a property with a default somewhere below it can change.
    for (const [k, prop] of propertiesWithDefaultsBelow(resolve, s))
      if (Object.hasOwn(out, k)) setField(out, k, applyDefaults(resolve, prop, out[k]))
    if (additional !== undefined) {
      for (const k of Object.keys(out)) {
        if (s.properties !== undefined && Object.hasOwn(s.properties, k)) continue
        if (nonNullableNull(out[k], additional) && additional.default !== undefined)
          setField(out, k, copy(additional.default))
        setField(out, k, applyDefaults(resolve, additional, out[k]))
      }
    }
    return out
  }
  if (Array.isArray(x)) {
    return (x as unknown[]).map((item) => {
      const v: unknown =
        nonNullableNull(item, s.items) && s.items?.default !== undefined
          ? copy(s.items.default)
          : item
      return applyDefaults(resolve, s.items, v)
    })
  }
  return x
}
