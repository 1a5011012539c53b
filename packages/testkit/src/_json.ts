/** A JSON object as parsed from a spec document. */
export type JsonObject = Record<string, unknown>

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Resolves a local JSON pointer (`#/components/parameters/x`) against `root`. */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let node: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (!isJsonObject(node)) return undefined
    node = node[segment]
  }
  return node
}

/** A scalar as text (`''` for anything else), for names, ports and selector fields. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : ''
}

/**
 * `object[key]` when `key` is the object's own: a request's `__proto__` or `constructor` key
 * never reads Object.prototype.
 */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined
}

/**
 * Sets `key` as an own data property, as JSON.parse does: a request's `__proto__` key is data,
 * never the object's prototype (an assignment would drop it, or pollute the prototype).
 */
export function setOwn(object: JsonObject, key: string, value: unknown): void {
  // `__proto__` is Object.prototype's only accessor: any other key assigned becomes an own data
  // property (shadowing `constructor` & co.), and an assignment keeps the object in V8's fast
  // mode, where defineProperty on every key made a stored 1,000-CRD set slow to walk and stringify.
  if (key === '__proto__')
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  else object[key] = value
}

/** Adds the schema names every `$ref` in `schema` points at (the last pointer segment). */
export function refNamesOf(schema: unknown, into: Set<string>): void {
  if (Array.isArray(schema)) for (const item of schema) refNamesOf(item, into)
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') into.add(value.split('/').pop() ?? '')
      else refNamesOf(value, into)
    }
  }
}
