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
import { resolveSchema } from './validation.js'

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
    const value = Object.hasOwn(item, key)
      ? item[key]
      : (childOf(items, key).schema?.['default'] ?? keyDefaultOf(items, key))
    if (value !== undefined) setOwn(picked, key, value)
  }
  return picked
}

// The `+default` markers of list-map keys in k8s.io/api (core/v1 types.go: ContainerPort's and
// ServicePort's `protocol`, "TCP"), for the OpenAPI v2 documents that do not publish them.
const keyDefaults: { definition: string; key: string; value: string }[] = [
  { definition: 'io.k8s.api.core.v1.ContainerPort', key: 'protocol', value: 'TCP' },
  { definition: 'io.k8s.api.core.v1.ServicePort', key: 'protocol', value: 'TCP' },
]

function keyDefaultOf(items: SchemaNode, key: string): string | undefined {
  if (items.schema === undefined) return undefined
  for (const known of keyDefaults) {
    if (known.key !== key) continue
    for (const prefix of ['#/definitions/', '#/components/schemas/'])
      if (resolveSchema(items.document, { $ref: `${prefix}${known.definition}` }) === items.schema)
        return known.value
  }
  return undefined
}

function keyElement(item: JsonObject, keys: string[], items: SchemaNode): string {
  return `k:${JSON.stringify(keyFields(item, keys, items))}`
}

/**
 * The field set of an object: every leaf, every granular map and list element, and empty
 * structs (typed `ToFieldSet`). `apiVersion`, `kind` and server-owned metadata are left out.
 * With `inner`, the set is typed `ToFieldSet`'s (structured-merge-diff `typed/tofieldset.go`
 * visitMapItems: a value its parent declares as a field, such as `labels`, is a member only when
 * empty)
 * and `inner` collects the paths of the other nodes with members below them: non-empty structs,
 * such maps, and lists that are not atomic.
 */
export function fieldSetOf(
  object: JsonObject,
  node: SchemaNode,
  scope: 'main' | 'status' | 'all',
  inner?: FieldSet,
): FieldSet {
  const out: FieldSet = new Set()
  const walk = (value: unknown, n: SchemaNode, path: string[], declared: boolean): void => {
    if (Array.isArray(value)) {
      const semantics =
        isAtomic(n) || n.schema === undefined ? { type: 'atomic' as const } : listSemantics(n)
      if (semantics.type === 'atomic') {
        out.add(JSON.stringify(path))
        return
      }
      inner?.add(JSON.stringify(path))
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
      const empty = Object.keys(value).length === 0
      // ToFieldSet: an entry is a member when empty or when its parent does not declare it (a
      // map's entry, a struct's included); an Update's comparison adds every map a write creates.
      if (empty || (inner === undefined ? map : !declared)) out.add(JSON.stringify(path))
      else if (path.length > 0) inner?.add(JSON.stringify(path))
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
      const declared = isJsonObject(properties) && Object.hasOwn(properties, key)
      walk(child, childOf(n, key), [...path, `f:${key}`], declared)
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
  zero?: JsonObject,
): ManagedFieldsEntry[] {
  // An Update owns what the comparison of the object before (for a new object, `zero`: the Go
  // zero value of its kind) with the object after added or modified (structured-merge-diff
  // `typed.Compare`, fieldmanager `managedfields/internal/fieldmanager.go` Update): the leaves,
  // and the structs and lists it added — a pointer struct, an omitempty list, a list item and
  // all below it — which FieldsV1 marks with `.`. Without a zero value (a custom resource) only
  // the leaves, maps and list items of `fieldSetOf`.
  const inner: FieldSet | undefined = zero === undefined ? undefined : new Set()
  const afterSet = fieldSetOf(after, node, 'all', inner)
  const scopedInner: FieldSet | undefined = zero === undefined ? undefined : new Set()
  const scoped = fieldSetOf(after, node, scope, scopedInner)
  const base = before ?? zero
  if (base !== undefined && inner !== undefined && scopedInner !== undefined) {
    for (const member of scopedInner)
      if (valueAt(base, JSON.parse(member) as string[], node) === undefined) scoped.add(member)
    for (const member of inner) afterSet.add(member)
  }
  // A member with members below it (a list item, a map) is the writer's when the write added
  // it; what changed inside it is the changed leaves' (a built-in kind's typed comparison).
  const parents = new Set<string>()
  if (zero !== undefined)
    for (const member of afterSet) {
      const path = JSON.parse(member) as string[]
      for (let i = 1; i < path.length; i++) parents.add(JSON.stringify(path.slice(0, i)))
    }
  const changed = new Set<string>()
  for (const member of scoped) {
    const path = JSON.parse(member) as string[]
    if (before === undefined) {
      changed.add(member)
      continue
    }
    const was = valueAt(before, path, node)
    if (parents.has(member) ? was === undefined : !deepEqual(was, valueAt(after, path, node)))
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
