// Server-side apply (apiserver `pkg/endpoints/handlers/fieldmanager` ApplyManager over
// structured-merge-diff `merge/update.go` Updater.Apply): the applied configuration is merged
// into the live object by the schema (map lists by their keys, sets by value, atomic lists and
// leaves replaced), fields another manager owns with a different value conflict unless
// `force`, and fields the applier owned before but left out of this configuration are removed
// when nobody else owns them.
import { isJsonObject, ownValue, setOwn, type JsonObject } from './_json.js'
import { allowedByLastApplied } from './last-applied.js'
import { childOf, isAtomic, itemsOf, listSemantics, type SchemaNode } from './_schema.js'
import {
  decodeFieldsV1,
  encodeFieldsV1,
  fieldSetOf,
  formatPath,
  keyFields,
  nowTime,
  removeAt,
  valueAt,
  type ManagedFieldsEntry,
} from './managed-fields.js'
import { deepEqual } from './patch.js'
import type { StatusCause } from './status-errors.js'

/** One field another manager owns with a different value. */
export interface ApplyConflict {
  manager: string
  operation: 'Apply' | 'Update'
  apiVersion: string
  path: string[]
}

// apimachinery pkg/util/managedfields/internal/conflict.go printManager: an Update manager is
// named with the version it wrote (`"kubectl-edit" using v1`), an Apply manager by name only.
function printManager(c: ApplyConflict): string {
  const name = JSON.stringify(c.manager)
  return c.operation === 'Update' ? `${name} using ${c.apiVersion}` : name
}

/** Apply refused: the conflicts, grouped as the apiserver's message groups them. */
export class ApplyConflictError extends Error {
  readonly causes: StatusCause[]
  constructor(conflicts: ApplyConflict[]) {
    // apimachinery pkg/util/managedfields/internal/conflict.go getConflictMessage: grouped by
    // manager, managers sorted.
    const byManager = new Map<string, ApplyConflict[]>()
    for (const c of conflicts) {
      const key = printManager(c)
      byManager.set(key, [...(byManager.get(key) ?? []), c])
    }
    let message: string
    if (conflicts.length === 1 && conflicts[0] !== undefined) {
      const c = conflicts[0]
      message = `Apply failed with 1 conflict: conflict with ${printManager(c)}: ${formatPath(c.path)}`
    } else {
      const managers = [...byManager.keys()].sort()
      const groups = managers.map((manager) => {
        const group = byManager.get(manager) ?? []
        return [`conflicts with ${manager}:`, ...group.map((c) => `- ${formatPath(c.path)}`)].join(
          '\n',
        )
      })
      message = `Apply failed with ${conflicts.length} conflicts: ${groups.join('\n')}`
    }
    super(message)
    this.name = 'ApplyConflictError'
    this.causes = conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c)}`,
      field: formatPath(c.path),
    }))
  }
}

function conflictOf(entry: ManagedFieldsEntry): Omit<ApplyConflict, 'path'> {
  return { manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion }
}

function mergeValue(live: unknown, config: unknown, node: SchemaNode): unknown {
  if (Array.isArray(config)) {
    if (!Array.isArray(live) || isAtomic(node) || node.schema === undefined)
      return structuredClone(config)
    const semantics = listSemantics(node)
    if (semantics.type === 'atomic') return structuredClone(config)
    const out: unknown[] = [...(live as unknown[])]
    const items = itemsOf(node)
    for (const item of config) {
      if (semantics.type === 'set' || !isJsonObject(item)) {
        if (!out.some((o) => deepEqual(o, item))) out.push(structuredClone(item))
        continue
      }
      // Items are one when their keys are, defaults included: an applied port without
      // `protocol` is the live port with `protocol: TCP`.
      const key = keyFields(item, semantics.keys, items)
      const index = out.findIndex(
        (o) => isJsonObject(o) && deepEqual(keyFields(o, semantics.keys, items), key),
      )
      if (index === -1) out.push(structuredClone(item))
      else out[index] = mergeValue(out[index], item, itemsOf(node))
    }
    return out
  }
  if (isJsonObject(config) && isJsonObject(live) && !isAtomic(node)) {
    const out: JsonObject = { ...live }
    for (const [key, value] of Object.entries(config)) {
      if (value === null) delete out[key]
      else setOwn(out, key, mergeValue(ownValue(live, key), value, childOf(node, key)))
    }
    return out
  }
  return structuredClone(config)
}

/** The outcome of one apply: the new object and its managedFields. */
export interface Applied {
  object: JsonObject
  managedFields: ManagedFieldsEntry[]
}

/**
 * Applies `config` for `manager` to `live` (undefined when the apply creates the object).
 * Throws {@link ApplyConflictError} on conflicts without `force`.
 *
 * @example
 * applyConfiguration(live, config, { document, schema }, 'kubectl', 'apps/v1', false, undefined)
 */
export function applyConfiguration(
  live: JsonObject | undefined,
  config: JsonObject,
  node: SchemaNode,
  manager: string,
  apiVersion: string,
  force: boolean,
  subresource: string | undefined,
  entries: ManagedFieldsEntry[],
): Applied {
  const scope = subresource === 'status' ? 'status' : subresource === undefined ? 'main' : 'all'
  const configSet = fieldSetOf(config, node, scope, 'apply')
  const conflicts: ApplyConflict[] = []
  const others = entries.filter(
    (e) =>
      !(
        e.manager === manager &&
        e.operation === 'Apply' &&
        (e.subresource ?? '') === (subresource ?? '')
      ),
  )
  const previous = entries.find(
    (e) =>
      e.manager === manager &&
      e.operation === 'Apply' &&
      (e.subresource ?? '') === (subresource ?? ''),
  )
  const otherSets = others.map((e) => ({ entry: e, set: decodeFieldsV1(e.fieldsV1) }))
  for (const { entry, set } of otherSets) {
    for (const member of configSet) {
      if (!set.has(member)) continue
      const path = JSON.parse(member) as string[]
      const mine = valueAt(config, path, node)
      const theirs = valueAt(live, path, node)
      // Only leaves conflict; a shared map or list element with equal keys does not.
      if (isJsonObject(mine) || Array.isArray(mine)) {
        if (Array.isArray(mine) && !deepEqual(mine, theirs))
          conflicts.push({ ...conflictOf(entry), path })
        continue
      }
      if (!deepEqual(mine, theirs)) conflicts.push({ ...conflictOf(entry), path })
    }
  }
  if (conflicts.length > 0 && !force) {
    // kubectl's own apply takes over what its client-side apply left (last-applied.ts).
    const allowed = allowedByLastApplied(manager, live, node, apiVersion)
    const refused = conflicts.filter((c) => !allowed.has(JSON.stringify(c.path)))
    if (refused.length > 0) throw new ApplyConflictError(refused)
  }

  let object = mergeValue(live ?? {}, config, node) as JsonObject
  // Fields this manager applied before and left out now go, unless someone else owns them.
  if (previous !== undefined) {
    const dropped = [...decodeFieldsV1(previous.fieldsV1)]
      .filter((m) => !configSet.has(m))
      .map((m) => JSON.parse(m) as string[])
    // Shallowest paths first: a list item goes as a whole before its fields are looked up (its
    // key fields removed first would leave an item without its key).
    dropped.sort((a, b) => a.length - b.length)
    for (const path of dropped) {
      if (otherSets.some(({ set }) => set.has(JSON.stringify(path)))) continue
      object = structuredClone(object)
      removeAt(object, path, node)
    }
  }

  const forced = new Set(conflicts.map((c) => `${c.manager}\u0000${JSON.stringify(c.path)}`))
  const managedFields: ManagedFieldsEntry[] = []
  for (const { entry, set } of otherSets) {
    for (const member of [...set])
      if (forced.has(`${entry.manager}\u0000${member}`)) set.delete(member)
    if (set.size > 0) managedFields.push({ ...entry, fieldsV1: encodeFieldsV1(set) })
  }
  const mine: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion,
    time: nowTime(),
    fieldsType: 'FieldsV1',
    fieldsV1: encodeFieldsV1(configSet),
  }
  if (subresource !== undefined) mine.subresource = subresource
  managedFields.push(mine)
  return { object, managedFields }
}
