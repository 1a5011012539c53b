// Field ownership as structured-merge-diff (sigs.k8s.io/structured-merge-diff `fieldpath`,
// `typed`) and apiserver `pkg/endpoints/handlers/fieldmanager` keep it in
// `metadata.managedFields`: field sets of paths (`f:<name>`, `k:<keys json>`, `v:<value json>`,
// `i:<index>`) serialized as FieldsV1, one entry per manager and operation.
import { isJsonObject, setOwn, type JsonObject } from './_json.js'
import {
  childOf,
  isAtomic,
  isGranularMap,
  itemsOf,
  listSemantics,
  type SchemaNode,
} from './_schema.js'
import { deepEqual } from './patch.js'

/** A set of field paths; each member is the JSON of its path elements. */
export type FieldSet = Set<string>

/** One `metadata.managedFields` entry. */
export interface ManagedFieldsEntry {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  time: string
  fieldsType: 'FieldsV1'
  fieldsV1: JsonObject
  subresource?: string
}

// fieldmanager strips these from every field set: they are the server's, not a manager's.
const ignoredMetadata = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
  'generateName',
])

/**
 * The key fields of a map-list item, sorted, a key field it omits taking its schema `default`
 * (structured-merge-diff `typed/helpers.go` `keyedAssociativeListItemToPathElement`: a port
 * without `protocol` is keyed `{"containerPort":80,"protocol":"TCP"}`); empty when it has none.
 *
 * @example
 * keyFields({ containerPort: 80 }, ['containerPort', 'protocol'], portNode) // { containerPort: 80, protocol: 'TCP' }
 */
export function keyFields(item: JsonObject, keys: string[], items: SchemaNode): JsonObject {
  const picked: JsonObject = {}
  for (const key of [...keys].sort()) {
    const value = Object.hasOwn(item, key) ? item[key] : childOf(items, key).schema?.['default']
    if (value !== undefined) setOwn(picked, key, value)
  }
  return picked
}

function keyElement(item: JsonObject, keys: string[], items: SchemaNode): string {
  return `k:${JSON.stringify(keyFields(item, keys, items))}`
}

/**
 * The field set of an object: every leaf, list element and empty struct, and the maps the rule
 * owns. `apiVersion`, `kind` and server-owned metadata are left out.
 *
 * `'update'` (what an Update takes, compared field by field) owns every granular or untyped map
 * itself too, its `.` marker in FieldsV1. `'apply'` is typed `ToFieldSet` (structured-merge-diff
 * `typed/tofieldset.go` visitMapItems), what an applied configuration owns: a map's own path
 * only when it is empty, or when it is a key its parent does not name as a field (a key of a
 * granular or preserve-unknown map) — `data: {e: '5'}` owns `data.e`, not `data`.
 *
 * @example
 * fieldSetOf({ data: { e: '5' } }, configMapNode, 'main', 'apply') // {["f:data","f:e"]}
 */
export function fieldSetOf(
  object: JsonObject,
  node: SchemaNode,
  scope: 'main' | 'status' | 'all',
  rule: 'update' | 'apply' = 'update',
): FieldSet {
  const out: FieldSet = new Set()
  const walk = (value: unknown, n: SchemaNode, path: string[], named: boolean): void => {
    if (Array.isArray(value)) {
      const semantics =
        isAtomic(n) || n.schema === undefined ? { type: 'atomic' as const } : listSemantics(n)
      if (semantics.type === 'atomic') {
        out.add(JSON.stringify(path))
        return
      }
      const items = itemsOf(n)
      for (const item of value) {
        if (semantics.type === 'set' || !isJsonObject(item)) {
          out.add(JSON.stringify([...path, `v:${JSON.stringify(item)}`]))
        } else {
          const element = [...path, keyElement(item, semantics.keys, items)]
          out.add(JSON.stringify(element))
          walkObject(item, items, element, false)
        }
      }
      return
    }
    if (isJsonObject(value) && !isAtomic(n)) {
      const map =
        isGranularMap(n) ||
        n.schema === undefined ||
        n.schema['x-kubernetes-preserve-unknown-fields'] === true
      const owned = rule === 'apply' ? !named : map
      if (owned || Object.keys(value).length === 0) out.add(JSON.stringify(path))
      walkObject(value, n, path, false)
      return
    }
    out.add(JSON.stringify(path))
  }
  const walkObject = (value: JsonObject, n: SchemaNode, path: string[], top: boolean): void => {
    for (const [key, child] of Object.entries(value)) {
      if (top && (key === 'apiVersion' || key === 'kind')) continue
      if (top && scope === 'main' && key === 'status') continue
      if (top && scope === 'status' && key !== 'status' && key !== 'metadata') continue
      if (path.length === 1 && path[0] === 'f:metadata' && ignoredMetadata.has(key)) continue
      if (child === null) continue
      const properties = n.schema?.['properties']
      const named = isJsonObject(properties) && Object.hasOwn(properties, key)
      walk(child, childOf(n, key), [...path, `f:${key}`], named)
    }
  }
  walkObject(object, node, [], true)
  // A struct left without members (metadata with only server fields) is not owned.
  return out
}

/** Encodes a field set as FieldsV1 (`{"f:spec":{"f:replicas":{}}}`, `.` for a member with children). */
export function encodeFieldsV1(set: FieldSet): JsonObject {
  const root: JsonObject = {}
  for (const member of [...set].sort()) {
    const path = JSON.parse(member) as string[]
    let node = root
    for (const element of path) {
      const existing = node[element]
      const child: JsonObject = isJsonObject(existing) ? existing : {}
      node[element] = child
      node = child
    }
    node['__member'] = true
  }
  const finish = (node: JsonObject): JsonObject => {
    const member = node['__member'] === true
    delete node['__member']
    const keys = Object.keys(node).filter((k) => k !== '.')
    for (const key of keys) node[key] = finish(node[key] as JsonObject)
    if (member && keys.length > 0) node['.'] = {}
    const sorted: JsonObject = {}
    for (const key of Object.keys(node).sort()) sorted[key] = node[key]
    return sorted
  }
  return finish(root)
}

/** Decodes FieldsV1 back into a field set. */
export function decodeFieldsV1(fields: unknown): FieldSet {
  const out: FieldSet = new Set()
  const walk = (node: unknown, path: string[]): void => {
    if (!isJsonObject(node)) return
    const keys = Object.keys(node)
    if (path.length > 0 && (keys.length === 0 || Object.hasOwn(node, '.')))
      out.add(JSON.stringify(path))
    for (const key of keys) if (key !== '.') walk(node[key], [...path, key])
  }
  walk(fields, [])
  return out
}

/**
 * The value at a field path of an object of schema `node`, or undefined when absent. A `k:`
 * element names the item whose key fields, defaults included, are its own.
 */
export function valueAt(object: unknown, path: string[], node: SchemaNode): unknown {
  let value = object
  let n = node
  for (const element of path) {
    const kind = element.slice(0, 2)
    const rest = element.slice(2)
    if (kind === 'f:') {
      value = isJsonObject(value) ? value[rest] : undefined
      n = childOf(n, rest)
    } else {
      value = Array.isArray(value) ? itemAt(value, element, n) : undefined
      n = itemsOf(n)
    }
    if (value === undefined) return undefined
  }
  return value
}

// The item of `list` (of schema `node`) a `k:`, `v:` or `i:` path element names.
function itemAt(list: unknown[], element: string, node: SchemaNode): unknown {
  const kind = element.slice(0, 2)
  const rest = element.slice(2)
  if (kind === 'k:') {
    const semantics = listSemantics(node)
    const keys = semantics.type === 'map' ? semantics.keys : Object.keys(JSON.parse(rest) as object)
    const items = itemsOf(node)
    return list.find((item) => isJsonObject(item) && keyElement(item, keys, items) === element)
  }
  if (kind === 'v:') {
    const value = JSON.parse(rest) as unknown
    return list.find((item) => deepEqual(item, value))
  }
  return kind === 'i:' ? list[Number(rest)] : undefined
}

/** Removes the field at a path (an element of a list for `k:`/`v:`/`i:`) of an object of `node`. */
export function removeAt(object: unknown, path: string[], node: SchemaNode): void {
  const parentPath = path.slice(0, -1)
  const parent = valueAt(object, parentPath, node)
  const last = path[path.length - 1] ?? ''
  if (last.startsWith('f:') && isJsonObject(parent)) delete parent[last.slice(2)]
  else if (Array.isArray(parent)) {
    const index = parent.indexOf(itemAt(parent, last, schemaAt(node, parentPath)))
    if (index !== -1) parent.splice(index, 1)
  }
}

// The schema node at a field path.
function schemaAt(node: SchemaNode, path: string[]): SchemaNode {
  return path.reduce(
    (n, element) => (element.startsWith('f:') ? childOf(n, element.slice(2)) : itemsOf(n)),
    node,
  )
}

/** `.spec.containers[name="nginx"].image`, as structured-merge-diff prints a path. */
export function formatPath(path: string[]): string {
  let out = ''
  for (const element of path) {
    const kind = element.slice(0, 2)
    const rest = element.slice(2)
    if (kind === 'f:') out += `.${rest}`
    else if (kind === 'k:') {
      const keys = JSON.parse(rest) as JsonObject
      out += `[${Object.entries(keys)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`
    } else if (kind === 'v:') out += `[=${rest}]`
    else out += `[${rest}]`
  }
  return out
}

/** The managedFields entries of an object. */
export function entriesOf(object: JsonObject): ManagedFieldsEntry[] {
  const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
  const entries = metadata['managedFields']
  return Array.isArray(entries)
    ? (entries.filter(isJsonObject) as unknown as ManagedFieldsEntry[])
    : []
}

/** The time format of managedFields (`metav1.Time`, RFC 3339 in seconds), of now or of `ms`. */
export function nowTime(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * The managedFields after a non-apply write by `manager` (fieldmanager `UpdateManager`): the
 * manager takes every field it added or changed, other managers lose those, and fields that no
 * longer exist leave every set.
 */
export function updateManagedFields(
  entries: ManagedFieldsEntry[],
  before: JsonObject | undefined,
  after: JsonObject,
  node: SchemaNode,
  manager: string,
  apiVersion: string,
  subresource: string | undefined,
  scope: 'main' | 'status' | 'all',
): ManagedFieldsEntry[] {
  const afterSet = fieldSetOf(after, node, 'all')
  const scoped = fieldSetOf(after, node, scope)
  const changed = new Set<string>()
  for (const member of scoped) {
    const path = JSON.parse(member) as string[]
    if (before === undefined || !deepEqual(valueAt(before, path, node), valueAt(after, path, node)))
      changed.add(member)
  }
  const out: ManagedFieldsEntry[] = []
  let mine: ManagedFieldsEntry | undefined
  for (const entry of entries) {
    const isMine =
      entry.manager === manager &&
      entry.operation === 'Update' &&
      entry.apiVersion === apiVersion &&
      (entry.subresource ?? '') === (subresource ?? '')
    const set = decodeFieldsV1(entry.fieldsV1)
    for (const member of [...set]) {
      if (!afterSet.has(member) || (!isMine && changed.has(member))) set.delete(member)
    }
    if (isMine) {
      for (const member of changed) set.add(member)
      mine = { ...entry, time: nowTime(), fieldsV1: encodeFieldsV1(set) }
      if (set.size > 0) out.push(mine)
    } else if (set.size > 0) out.push({ ...entry, fieldsV1: encodeFieldsV1(set) })
  }
  if (mine === undefined && changed.size > 0) {
    const entry: ManagedFieldsEntry = {
      manager,
      operation: 'Update',
      apiVersion,
      time: nowTime(),
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFieldsV1(changed),
    }
    if (subresource !== undefined) entry.subresource = subresource
    out.push(entry)
  }
  return out
}
