// What kube-apiserver's Table printers (kubernetes pkg/printers/internalversion/printers.go)
// share: column definitions with the types' SwaggerDoc texts as descriptions
// (generated/printer-descriptions.jsonc), the Name and Age columns, and the cell formats many
// print<Kind> functions use (layoutContainerCells, FormatLabelSelector, FormatLabels).
import { isJsonObject, type JsonObject } from './_json.js'
import { loadGeneratedTable } from './generated-tables.js'
import { ageOf } from './human-duration.js'

/** The columns of one kind's Tables and how a row's cells (and conditions) are computed. */
export interface TableColumns {
  definitions: JsonObject[]
  cells(object: JsonObject, now: number): unknown[]
  /** A row's `conditions` (metav1.TableRowCondition), when the kind's printer sets any. */
  conditions?(object: JsonObject): JsonObject[] | undefined
}

const descriptions = loadGeneratedTable<Record<string, Record<string, string>>>(
  'printer-descriptions.jsonc',
)

/** The SwaggerDoc text of `type`'s `field`, as printers.go describes a column with it. */
export const describe = (type: string, field: string): string => descriptions()[type]?.[field] ?? ''

/** A column definition (metav1.TableColumnDefinition): `string` unless told. */
export function column(
  name: string,
  description: string,
  priority = 0,
  type = 'string',
  format = '',
): JsonObject {
  return { name, type, format, description, priority }
}

/** The Name column every Table starts with (metav1.ObjectMeta SwaggerDoc `name`). */
export const nameColumn: JsonObject = column(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0,
  'string',
  'name',
)

/** The Age column (a string: translateTimestampSince of the creation time). */
export const ageColumn = (): JsonObject =>
  column('Age', describe('ObjectMeta', 'creationTimestamp'))

/** The object at `path` under `object`, or an empty one. */
export function objectAt(object: JsonObject, ...path: string[]): JsonObject {
  let node: unknown = object
  for (const key of path) node = isJsonObject(node) ? node[key] : undefined
  return isJsonObject(node) ? node : {}
}

/** The objects of the list at `key` (Go's nil slice: none). */
export function listAt(object: JsonObject, key: string): JsonObject[] {
  const value = object[key]
  return Array.isArray(value) ? value.filter(isJsonObject) : []
}

/** How many keys a map has. */
export const count = (value: unknown): number =>
  isJsonObject(value) ? Object.keys(value).length : 0
/** An integer field (Go's zero value when absent). */
export const int = (value: unknown): number => (typeof value === 'number' ? value : 0)
/** A string field (Go's zero value when absent). */
export const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/** Go's sort.Strings order (byte order), for `Array.prototype.sort`. */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * metav1.FormatLabelSelector(…): LabelSelectorAsSelector's requirements sorted by key, a set's
 * values sorted; `<none>` for an empty or missing selector (labels.Everything, labels.Nothing).
 */
export function selectorText(given: unknown): string {
  const selector = isJsonObject(given) ? given : {}
  const requirements: [string, string][] = Object.entries(objectAt(selector, 'matchLabels')).map(
    ([key, value]) => [key, `${key}=${String(value)}`],
  )
  for (const expression of listAt(selector, 'matchExpressions')) {
    if (typeof expression['key'] !== 'string') continue
    const key = expression['key']
    const values = Array.isArray(expression['values'])
      ? [...new Set(expression['values'].map(String))].sort(byteOrder)
      : []
    const operator = expression['operator']
    if (operator === 'In') requirements.push([key, `${key} in (${values.join(',')})`])
    else if (operator === 'NotIn') requirements.push([key, `${key} notin (${values.join(',')})`])
    else if (operator === 'Exists') requirements.push([key, key])
    else if (operator === 'DoesNotExist') requirements.push([key, `!${key}`])
  }
  const formatted = requirements
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([, t]) => t)
    .join(',')
  return formatted === '' ? '<none>' : formatted
}

/** apimachinery labels.FormatLabels: `k=v` sorted by key, `<none>` for no labels. */
export function labelsText(labels: unknown): string {
  const pairs = Object.entries(isJsonObject(labels) ? labels : {})
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([key, value]) => `${key}=${String(value)}`)
  return pairs.length === 0 ? '<none>' : pairs.join(',')
}

/** layoutContainerCells: the containers' names and images, each joined with commas. */
export function containerCells(podSpec: JsonObject): [string, string] {
  const containers = listAt(podSpec, 'containers')
  return [
    containers.map((c) => text(c['name'])).join(','),
    containers.map((c) => text(c['image'])).join(','),
  ]
}

/**
 * The wide cells of a kind with a pod template and a selector: layoutContainerCells of the
 * template at `spec.template` (the Containers and Images columns), then the Selector.
 */
export function templateCells(spec: JsonObject): [string, string, string] {
  return [...containerCells(objectAt(spec, 'template', 'spec')), selectorText(spec['selector'])]
}

/** The columns `Name, …columns` whose row is `name, …cells(object, age)`. */
export function printer(
  columns: () => JsonObject[],
  cells: (object: JsonObject, age: string, now: number) => unknown[],
): () => TableColumns {
  let built: TableColumns | undefined
  return () =>
    (built ??= {
      definitions: [nameColumn, ...columns()],
      cells: (object, now) => {
        const metadata = objectAt(object, 'metadata')
        return [
          metadata['name'] ?? '',
          ...cells(object, ageOf(metadata['creationTimestamp'], now), now),
        ]
      },
    })
}
