// An applied configuration may not hold two items of one associative list with the same key, nor
// an item that can have no key:
// apimachinery `pkg/util/managedfields/internal/structuredmerge.go` `Apply` types the patch object
// without `typed.AllowDuplicates` ("Don't allow duplicates in the applied object") and returns
// `failed to create typed patch object (<namespace>/<name>; <gvk>): <errors>` as a plain error,
// which apiserver `responsewriters` `ErrorToAPIStatus` answers as a 500 Status with no reason and
// no details. The walk is structured-merge-diff `typed/validate.go` `visitListItems`: every list
// at every depth (inside atomic lists and maps too), an item's key is its key fields, sorted, a
// key field it omits taking the schema's `default` (`typed/helpers.go`
// `keyedAssociativeListItemToPathElement`), a set item is its value; the error is reported at the
// second occurrence, before the walk descends into that item, and several are joined as
// `typed.ValidationErrors.Error` joins them. The live object may hold duplicates (it is typed
// with `AllowDuplicates`); only the configuration is checked, for built-ins and CRDs alike.
import { isJsonObject, type JsonObject } from './_json.js'
import { childOf, itemsOf, listSemantics, type SchemaNode } from './_schema.js'
import { formatPath, keyFields } from './managed-fields.js'
import type { ResourceInfo } from './resource-catalog.js'
import { ApiStatusError } from './status-errors.js'

/**
 * The errors of an applied configuration's associative lists — `duplicate entries for key …`,
 * and items that can have no key (`element 0: associative list with keys has an element that
 * omits all key fields …`) — in the order the walk meets them (map members in document order),
 * each prefixed with its path as structured-merge-diff prints one
 * (`.spec.containers[name="a"].ports`).
 *
 * @example
 * duplicateEntries({ spec: { containers: [{ name: 'a' }, { name: 'a' }] } }, podNode)
 * // ['.spec.containers: duplicate entries for key [name="a"]']
 */
export function duplicateEntries(config: JsonObject, node: SchemaNode): string[] {
  const errors: string[] = []
  const walk = (value: unknown, n: SchemaNode, path: string): void => {
    if (Array.isArray(value)) {
      const semantics = n.schema === undefined ? { type: 'atomic' as const } : listSemantics(n)
      const items = itemsOf(n)
      const seen = new Set<string>()
      for (const [index, item] of value.entries()) {
        const element =
          semantics.type === 'map'
            ? keyOf(item, semantics.keys, items)
            : semantics.type === 'set'
              ? valueOf(item)
              : { element: `[${index}]` }
        // An item that cannot be a key ends the list's walk, as visitListItems bails.
        if ('error' in element) {
          errors.push(`${path}: element ${index}: ${element.error}`)
          return
        }
        if (semantics.type !== 'atomic' && seen.has(element.element))
          errors.push(`${path}: duplicate entries for key ${element.element}`)
        seen.add(element.element)
        walk(item, items, `${path}${element.element}`)
      }
      return
    }
    if (isJsonObject(value))
      for (const [key, child] of Object.entries(value))
        walk(child, childOf(n, key), `${path}.${key}`)
  }
  walk(config, node, '')
  return errors
}

/**
 * The 500 kube-apiserver answers for an applied configuration with duplicate list items, or
 * undefined when it has none.
 *
 * @example
 * const refused = duplicateEntriesError(info, patch, node)
 * if (refused !== undefined) throw refused
 */
export function duplicateEntriesError(
  info: ResourceInfo,
  config: JsonObject,
  node: SchemaNode,
): ApiStatusError | undefined {
  const errors = duplicateEntries(config, node)
  if (errors.length === 0) return undefined
  const meta = isJsonObject(config['metadata']) ? config['metadata'] : {}
  const text = (v: unknown): string => (typeof v === 'string' ? v : '')
  // structuredmerge.go objectGVKNN: the patch object's own namespace and name (not the URL's),
  // and schema.GroupVersionKind.String(), `/v1, Kind=Pod` for the core group.
  const subject = `${text(meta['namespace'])}/${text(meta['name'])}; ${info.group}/${info.version}, Kind=${info.kind}`
  // sigs.k8s.io/structured-merge-diff typed/helpers.go ValidationErrors.Error.
  const joined =
    errors.length === 1 ? errors.join('') : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n')
  return new ApiStatusError(500, '', `failed to create typed patch object (${subject}): ${joined}`)
}

/** A list item's path element (`[name="a"]`, `[="a"]`, `[0]`), or why it can have none. */
type Element = { element: string } | { error: string }

// typed/helpers.go keyedAssociativeListItemToPathElement: a map-list item's path element, keys
// sorted, a missing key field taking its schema default.
function keyOf(item: unknown, keys: string[], items: SchemaNode): Element {
  if (item === null) return { error: 'associative list with keys may not have a null element' }
  if (!isJsonObject(item))
    return { error: 'associative list with keys may not have non-map elements' }
  const picked = keyFields(item, keys, items)
  if (keys.length > 0 && Object.keys(picked).length === 0) {
    // Go's %q of a []string: `["name" "port"]`.
    const quoted = `[${keys.map((k) => JSON.stringify(k)).join(' ')}]`
    return {
      error: `associative list with keys has an element that omits all key fields ${quoted} (and doesn't have default values for any key fields)`,
    }
  }
  return { element: formatPath([`k:${JSON.stringify(picked)}`]) }
}

// typed/helpers.go setItemToPathElement: a set item's path element is its value.
function valueOf(item: unknown): Element {
  if (Array.isArray(item))
    return { error: 'not supported: associative list with lists as elements' }
  if (isJsonObject(item))
    return { error: "associative list without keys has an element that's a map type" }
  if (item === null)
    return { error: "associative list without keys has an element that's an explicit null" }
  return { element: formatPath([`v:${JSON.stringify(item)}`]) }
}
