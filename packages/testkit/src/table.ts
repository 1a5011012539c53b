// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (how kubectl get asks): the
// apiserver's DefaultTableConvertor (apiserver `pkg/registry/rest/table.go`) — columns Name and
// Created At — or, for a custom resource whose CRD the server holds, apiextensions-apiserver's
// (`pkg/registry/customresource/tableconvertor`: Name, then the version's
// additionalPrinterColumns, or Age when it has none); rows carry PartialObjectMetadata
// (includeObject=Metadata, the default), the full object (Object) or nothing (None).
import { JSONPath } from 'jsonpath-plus'
import { isJsonObject, type JsonObject } from './_json.js'
import { isCustom, type Registry } from './registry.js'
import type { ResourceInfo } from './resource-catalog.js'

/** Whether an Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (accept === undefined) return false
  const first = accept.split(',')[0] ?? ''
  return /;\s*as=Table/.test(first) && /;\s*g=meta\.k8s\.io/.test(first)
}

// ObjectMeta's descriptions of `name` and `creationTimestamp` (metav1.ObjectMeta SwaggerDoc).
const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'
const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'
const nameColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: nameDescription,
  priority: 0,
}

const columnDefinitions = [
  nameColumn,
  {
    name: 'Created At',
    type: 'date',
    format: '',
    description: creationTimestampDescription,
    priority: 0,
  },
]

/** A CRD version's `additionalPrinterColumns` entry. */
export interface PrinterColumn {
  name: string
  type: string
  format?: string
  description?: string
  priority?: number
  jsonPath: string
}

// apiextensions-apiserver pkg/apiserver/helpers.go serveDefaultColumnsIfEmpty.
const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description: creationTimestampDescription,
  jsonPath: '.metadata.creationTimestamp',
}

const crdCollection = 'apiextensions.k8s.io/customresourcedefinitions'

/**
 * The printer columns of a custom resource's version, from the CRD the server holds (Age when
 * it names none); undefined for a built-in kind, or a custom resource without a stored CRD,
 * which get the default columns.
 *
 * @example
 * toTable(items, listMeta, 'Metadata', true, printerColumnsOf(registry, info))
 */
export function printerColumnsOf(
  registry: Registry,
  info: ResourceInfo,
): PrinterColumn[] | undefined {
  if (!isCustom(info)) return undefined
  const crd = registry.store.get(crdCollection, '', `${info.resource}.${info.group}`)
  const spec = isJsonObject(crd?.['spec']) ? crd['spec'] : undefined
  if (spec === undefined || !Array.isArray(spec['versions'])) return undefined
  const version = (spec['versions'] as unknown[]).find(
    (v) => isJsonObject(v) && v['name'] === info.version,
  )
  if (!isJsonObject(version)) return undefined
  const columns = Array.isArray(version['additionalPrinterColumns'])
    ? (version['additionalPrinterColumns'] as unknown[]).filter(
        (c): c is PrinterColumn =>
          isJsonObject(c) && typeof c['name'] === 'string' && typeof c['jsonPath'] === 'string',
      )
    : []
  return columns.length > 0 ? columns : [ageColumn]
}

// tableconvertor.go New: the Name column, then one per printer column.
function crdColumnDefinitions(columns: PrinterColumn[]): JsonObject[] {
  return [
    nameColumn,
    ...columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description:
        c.description !== undefined && c.description !== ''
          ? c.description
          : `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ]
}

// tableconvertor.go ConvertToTable: the first value the column's JSONPath finds (missing keys
// allowed: no value is a null cell), printed as JSONPath prints it for a string column and
// typed by cellForJSONValue for the others.
function crdCell(object: JsonObject, column: PrinterColumn, now: number): unknown {
  const found: unknown = JSONPath({ path: `$${column.jsonPath}`, json: object, wrap: true })
  const value = Array.isArray(found) ? (found[0] as unknown) : undefined
  if (value === undefined || value === null) return null
  switch (column.type) {
    case 'string':
      // JSONPath prints a string as it is, anything else as its JSON (a number, true, a map).
      return typeof value === 'string' ? value : JSON.stringify(value)
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null
    case 'number':
      return typeof value === 'number' ? value : null
    case 'boolean':
      return typeof value === 'boolean' ? value : null
    case 'date': {
      if (typeof value !== 'string') return null
      const at = rfc3339.test(value) ? Date.parse(value) : Number.NaN
      return Number.isNaN(at) ? '<invalid>' : humanDuration(now - at)
    }
    default:
      return null
  }
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/**
 * How long ago, as kubectl shows an age: apimachinery pkg/util/duration/duration.go
 * HumanDuration (`0s`, `95s`, `3m20s`, `2h5m`, `3d4h`, `2y15d`).
 *
 * @example
 * humanDuration(200_000) // '3m20s'
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000)
  // Up to two seconds in the future is the machines' clocks disagreeing: now.
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = Math.trunc(seconds / 60)
  const withRest = (big: number, bigUnit: string, rest: number, restUnit: string): string =>
    rest === 0 ? `${big}${bigUnit}` : `${big}${bigUnit}${rest}${restUnit}`
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's')
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = Math.trunc(minutes / 60)
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm')
  if (hours < 48) return `${hours}h`
  const days = Math.trunc(hours / 24)
  if (hours < 24 * 8) return withRest(days, 'd', hours % 24, 'h')
  if (hours < 24 * 365 * 2) return `${days}d`
  const years = Math.trunc(days / 365)
  if (hours < 24 * 365 * 8) return withRest(years, 'y', days % 365, 'd')
  return `${years}y`
}

/**
 * A Table of `objects`; `listMeta` is the list's metadata (resourceVersion, continue);
 * `columns` a custom resource's printer columns ({@link printerColumnsOf}), else the default
 * Name and Created At.
 *
 * @example
 * toTable([configMap], { resourceVersion: '12' }, 'Metadata')
 */
export function toTable(
  objects: JsonObject[],
  listMeta: JsonObject,
  includeObject: string | null,
  columns?: PrinterColumn[],
): JsonObject {
  const now = Date.now()
  const rows = objects.map((object) => {
    const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
    const name = metadata['name'] ?? ''
    const row: JsonObject = {
      cells:
        columns === undefined
          ? [name, metadata['creationTimestamp'] ?? '']
          : [name, ...columns.map((column) => crdCell(object, column, now))],
    }
    if (includeObject === 'Object') row['object'] = object
    else if (includeObject !== 'None') {
      row['object'] = {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
      }
    }
    return row
  })
  const table: JsonObject = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta }
  table['columnDefinitions'] =
    columns === undefined ? columnDefinitions : crdColumnDefinitions(columns)
  table['rows'] = rows
  return table
}
