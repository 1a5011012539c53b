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

function keyElement(item: JsonObject, keys: string[]): string {
  const picked: JsonObject = {}
  for (const key of [...keys].sort()) if (Object.hasOwn(item, key)) setOwn(picked, key, item[key])
  return `k:${JSON.stringify(picked)}`
}

/**
 * The field set of an object: every leaf, every granular map and list element, and empty
 * structs (typed `ToFieldSet`). `apiVersion`, `kind` and server-owned metadata are left out.
 */
export function fieldSetOf(
  object: JsonObject,
  node: SchemaNode,
  scope: 'main' | 'status' | 'all',
): FieldSet {
  const out: FieldSet = new Set()
  const walk = (value: unknown, n: SchemaNode, path: string[]): void => {
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
          const element = [...path, keyElement(item, semantics.keys)]
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
      if (map || Object.keys(value).length === 0) out.add(JSON.stringify(path))
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
      walk(child, childOf(n, key), [...path, `f:${key}`])
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

/** The value at a field path, or undefined when absent. */
export function valueAt(object: unknown, path: string[]): unknown {
  let node = object
  for (const element of path) {
    const kind = element.slice(0, 2)
    const rest = element.slice(2)
    if (kind === 'f:') node = isJsonObject(node) ? node[rest] : undefined
    else if (kind === 'k:') {
      const keys = JSON.parse(rest) as JsonObject
      node = Array.isArray(node)
        ? node.find(
            (item) =>
              isJsonObject(item) && Object.entries(keys).every(([k, v]) => deepEqual(item[k], v)),
          )
        : undefined
    } else if (kind === 'v:') {
      const value = JSON.parse(rest) as unknown
      node = Array.isArray(node) ? node.find((item) => deepEqual(item, value)) : undefined
    } else if (kind === 'i:') node = Array.isArray(node) ? node[Number(rest)] : undefined
    else return undefined
    if (node === undefined) return undefined
  }
  return node
}

/** Removes the field at a path (an element of a list for `k:`/`v:`/`i:`). */
export function removeAt(object: unknown, path: string[]): void {
  const parent = valueAt(object, path.slice(0, -1))
  const last = path[path.length - 1] ?? ''
  const kind = last.slice(0, 2)
  if (kind === 'f:' && isJsonObject(parent)) delete parent[last.slice(2)]
  else if (Array.isArray(parent)) {
    const target = valueAt(parent, [last])
    const index = parent.indexOf(target)
    if (index !== -1) parent.splice(index, 1)
  }
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

/** The time format of managedFields (`metav1.Time`, RFC 3339 in seconds). */
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
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
    if (before === undefined || !deepEqual(valueAt(before, path), valueAt(after, path)))
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
