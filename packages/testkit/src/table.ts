// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (how kubectl get asks): the
// apiserver's DefaultTableConvertor (apiserver `pkg/registry/rest/table.go`) — columns Name and
// Created At — or, for a custom resource whose CRD the server holds, apiextensions-apiserver's
// (`pkg/registry/customresource/tableconvertor`: Name, then the version's
// additionalPrinterColumns, or Age when it has none); rows carry PartialObjectMetadata
// (includeObject=Metadata, the default), the full object (Object) or nothing (None).
import { crdAsV1 } from './crd-v1beta1.js'
import { CRD_COLLECTION } from './crd-status.js'
import { JSONPath } from 'jsonpath-plus'
import { isJsonObject, type JsonObject } from './_json.js'
import { humanDuration } from './human-duration.js'
import { isCustom, type Registry } from './registry.js'
import { nameColumn } from './_printer-cells.js'
import { builtInColumnsOf, type TableColumns } from './table-printers.js'
import type { ResourceInfo } from './resource-catalog.js'

/** Whether an Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (accept === undefined) return false
  const first = accept.split(',')[0] ?? ''
  return /;\s*as=Table/.test(first) && /;\s*g=meta\.k8s\.io/.test(first)
}

// ObjectMeta's description of `creationTimestamp` (metav1.ObjectMeta SwaggerDoc).
const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata'

// DefaultTableConvertor: Name and Created At (the timestamp itself).
const defaultColumns: TableColumns = {
  definitions: [
    nameColumn,
    {
      name: 'Created At',
      type: 'date',
      format: '',
      description: creationTimestampDescription,
      priority: 0,
    },
  ],
  cells: (object) => {
    const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
    return [metadata['name'] ?? '', metadata['creationTimestamp'] ?? '']
  },
}

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

/**
 * The columns kube-apiserver's Table of `info` has: a custom resource's printer columns, from
 * the CRD the server holds (Age when it names none); a built-in kind's printer
 * (`table-printers.ts`); else the default Name and Created At (a kind without a printer here, a
 * custom resource without a stored CRD).
 *
 * @example
 * toTable(items, listMeta, 'Metadata', tableColumnsOf(registry, info))
 */
export function tableColumnsOf(registry: Registry, info: ResourceInfo): TableColumns {
  if (!isCustom(info)) return builtInColumnsOf(info) ?? defaultColumns
  const stored = registry.store.get(CRD_COLLECTION, '', `${info.resource}.${info.group}`)
  // Read as v1 whatever version the profile stores CRDs at (1.13: v1beta1, crd-v1beta1.ts).
  const crd = stored === undefined ? undefined : crdAsV1(stored)
  const spec = isJsonObject(crd?.['spec']) ? crd['spec'] : undefined
  if (spec === undefined || !Array.isArray(spec['versions'])) return defaultColumns
  const version = (spec['versions'] as unknown[]).find(
    (v) => isJsonObject(v) && v['name'] === info.version,
  )
  if (!isJsonObject(version)) return defaultColumns
  const columns = Array.isArray(version['additionalPrinterColumns'])
    ? (version['additionalPrinterColumns'] as unknown[]).filter(
        (c): c is PrinterColumn =>
          isJsonObject(c) && typeof c['name'] === 'string' && typeof c['jsonPath'] === 'string',
      )
    : []
  return crdColumns(columns.length > 0 ? columns : [ageColumn])
}

// tableconvertor.go New: the Name column, then one per printer column.
function crdColumns(columns: PrinterColumn[]): TableColumns {
  return {
    definitions: [
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
    ],
    cells: (object, now) => {
      const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
      return [metadata['name'] ?? '', ...columns.map((column) => crdCell(object, column, now))]
    },
  }
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
 * A Table of `objects`; `listMeta` is the list's metadata (resourceVersion, continue); `columns`
 * the kind's ({@link tableColumnsOf}), else the default Name and Created At.
 *
 * @example
 * toTable([configMap], { resourceVersion: '12' }, 'Metadata')
 */
export function toTable(
  objects: JsonObject[],
  listMeta: JsonObject,
  includeObject: string | null,
  columns: TableColumns = defaultColumns,
): JsonObject {
  const now = Date.now()
  const rows = objects.map((object) => {
    const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
    const row: JsonObject = { cells: columns.cells(object, now) }
    const conditions = columns.conditions?.(object)
    if (conditions !== undefined) row['conditions'] = conditions
    // metav1.TableRow `object` is a RawExtension (no omitempty): `null` when none is included.
    if (includeObject === 'Object') row['object'] = object
    else if (includeObject === 'None') row['object'] = null
    else {
      row['object'] = {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata,
      }
    }
    return row
  })
  const table: JsonObject = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta }
  table['columnDefinitions'] = columns.definitions
  table['rows'] = rows
  return table
}
