// How the patch and apply machinery reads a schema: struct vs map, and a list's merge
// semantics. Built-in lists without `x-kubernetes-list-type` fall back to their patch strategy,
// as structured-merge-diff's schema conversion of kube-openapi does (`merge` with a merge key
// → a map list keyed by it; `merge` without one → a set; otherwise atomic).
import { isJsonObject, type JsonObject } from './_json.js'
import { resolveSchema } from './validation.js'

/** A list's merge semantics. */
export type ListSemantics = { type: 'map'; keys: string[] } | { type: 'set' } | { type: 'atomic' }

/** A schema node and the document its `$ref`s resolve against. */
export interface SchemaNode {
  document: unknown
  schema: JsonObject | undefined
}

/** The schema of property `key` of an object schema (or its `additionalProperties`). */
export function childOf(node: SchemaNode, key: string): SchemaNode {
  const s = node.schema
  if (s === undefined) return { document: node.document, schema: undefined }
  const properties = isJsonObject(s['properties']) ? s['properties'] : undefined
  const raw =
    properties !== undefined && Object.hasOwn(properties, key)
      ? properties[key]
      : isJsonObject(s['additionalProperties'])
        ? s['additionalProperties']
        : undefined
  return { document: node.document, schema: resolveSchema(node.document, raw) }
}

/** The schema of a list's items. */
export function itemsOf(node: SchemaNode): SchemaNode {
  return { document: node.document, schema: resolveSchema(node.document, node.schema?.['items']) }
}

/** True for a granular map (`additionalProperties`), false for a struct or unknown schema. */
export function isGranularMap(node: SchemaNode): boolean {
  const s = node.schema
  return s !== undefined && s['properties'] === undefined && isJsonObject(s['additionalProperties'])
}

/** True when an object or list is replaced as a whole (`x-kubernetes-map-type: atomic`, …). */
export function isAtomic(node: SchemaNode): boolean {
  const s = node.schema
  if (s === undefined) return false
  if (s['x-kubernetes-map-type'] === 'atomic') return true
  if (s['type'] === 'array') return listSemantics(node).type === 'atomic'
  return false
}

/** A list's merge semantics for apply and field sets. */
export function listSemantics(node: SchemaNode): ListSemantics {
  const s = node.schema
  if (s === undefined) return { type: 'atomic' }
  const listType = s['x-kubernetes-list-type']
  if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys']
    return {
      type: 'map',
      keys: Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [],
    }
  }
  if (listType === 'set') return { type: 'set' }
  if (listType === 'atomic') return { type: 'atomic' }
  const strategy = s['x-kubernetes-patch-strategy']
  if (typeof strategy === 'string' && strategy.split(',').includes('merge')) {
    const key = s['x-kubernetes-patch-merge-key']
    return typeof key === 'string' ? { type: 'map', keys: [key] } : { type: 'set' }
  }
  return { type: 'atomic' }
}

/** Strategic merge patch directives of a list: its patch strategy and merge key. */
export function patchStrategyOf(node: SchemaNode): { strategies: string[]; mergeKey?: string } {
  const s = node.schema
  const strategy = s?.['x-kubernetes-patch-strategy']
  const key = s?.['x-kubernetes-patch-merge-key']
  const strategies = typeof strategy === 'string' ? strategy.split(',') : []
  return typeof key === 'string' ? { strategies, mergeKey: key } : { strategies }
}
