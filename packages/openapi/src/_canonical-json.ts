// Deterministic JSON: keys sorted at every level (as Go's encoding/json does for maps), so the
// same value always gives the same bytes and therefore the same SHA-512.

// A copy only where the value is not already in that form: a subtree whose keys are already
// sorted (a document read back from the cache, a CRD written by controller-gen) is kept as it is,
// so canonicalizing a converted group-version does not allocate it a second time.
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined
    if (Object.getPrototypeOf(value) !== Array.prototype) out = []
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const sorted = sortKeys(item)
      if (out === undefined && !Object.is(sorted, item)) out = value.slice(0, i)
      out?.push(sorted)
    }
    return out ?? value
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record)
    const proto: unknown = Object.getPrototypeOf(value)
    // Integer-like keys enumerate first whatever the insertion order; keys that already
    // enumerate in string order are the order a sorted copy enumerates in.
    let copy = proto !== Object.prototype && proto !== null
    for (let i = 1; i < keys.length && !copy; i++)
      copy = (keys[i - 1] as string) > (keys[i] as string)
    // The values, once some object needs a copy: an object sorted all the way down (a converted
    // document) is only read.
    let values: unknown[] | undefined = copy ? [] : undefined
    for (let i = 0; i < keys.length; i++) {
      const v = record[keys[i] as string]
      const sorted = sortKeys(v)
      // The values before it are their own sorted form.
      if (values === undefined && (!Object.is(sorted, v) || v === undefined))
        values = keys.slice(0, i).map((key) => record[key])
      values?.push(sorted)
    }
    if (values === undefined) return value
    const order = keys
      .map((_, i) => i)
      .sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : 1))
    // fromEntries defines own properties, so a key named `__proto__` stays a key.
    return Object.fromEntries(
      order.filter((i) => values[i] !== undefined).map((i) => [keys[i] as string, values[i]]),
    )
  }
  // JSON has no negative zero (`JSON.stringify(-0)` is `0`); js-yaml reads `-0.0` as one.
  return Object.is(value, -0) ? 0 : value
}

/**
 * The value {@link canonicalJson} prints: keys sorted at every level, copied only where they
 * were not. A value that JSON keeps as it is (no `undefined` in an array, no non-finite number)
 * is then what parsing its canonical JSON gives back, key order included.
 */
export function canonicalValue(value: unknown): unknown {
  return sortKeys(value)
}

/** Compact, key-sorted JSON (the form split documents are stored and hashed in). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

/** Key-sorted JSON indented by two spaces with a final newline (the lockfile's form). */
export function prettyCanonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`
}

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
