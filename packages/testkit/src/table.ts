// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (how kubectl get asks): the
// apiserver's DefaultTableConvertor (apiserver `pkg/registry/rest/table.go`) — columns Name and
// Created At — with rows carrying PartialObjectMetadata (includeObject=Metadata, the default),
// the full object (Object) or nothing (None).
import { isJsonObject, type JsonObject } from './_json.js'

/** Whether an Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  if (accept === undefined) return false
  const first = accept.split(',')[0] ?? ''
  return /;\s*as=Table/.test(first) && /;\s*g=meta\.k8s\.io/.test(first)
}

const columnDefinitions = [
  {
    name: 'Name',
    type: 'string',
    format: 'name',
    description:
      'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
    priority: 0,
  },
  {
    name: 'Created At',
    type: 'date',
    format: '',
    description:
      'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
    priority: 0,
  },
]

/** A Table of `objects`; `listMeta` is the list's metadata (resourceVersion, continue). */
export function toTable(
  objects: JsonObject[],
  listMeta: JsonObject,
  includeObject: string | null,
  withColumns = true,
): JsonObject {
  const rows = objects.map((object) => {
    const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
    const row: JsonObject = { cells: [metadata['name'] ?? '', metadata['creationTimestamp'] ?? ''] }
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
  if (withColumns) table['columnDefinitions'] = columnDefinitions
  table['rows'] = rows
  return table
}
