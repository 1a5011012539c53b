// The Table columns kube-apiserver gives the built-in kinds `kubectl get` lists most: kubernetes
// pkg/printers/internalversion/printers.go AddHandlers (the column definitions, their
// descriptions the types' SwaggerDoc texts, generated/printer-descriptions.jsonc) and its
// print<Kind> functions. The server prints wide (pkg/printers/storage TableConvertor passes
// `Wide: true`): the priority-1 columns are always there, and kubectl shows them with `-o wide`.
// A field kube-apiserver defaults on create (SetDefaults_*) and the emulator does not ("no
// defaulting of built-in kinds") is printed with its default.
import { isJsonObject, type JsonObject } from './_json.js'
import { loadGeneratedTable } from './generated-tables.js'
import { ageOf } from './human-duration.js'
import type { ResourceInfo } from './resource-catalog.js'

/** The columns of one kind's Tables and how a row's cells are computed. */
export interface TableColumns {
  definitions: JsonObject[]
  cells(object: JsonObject, now: number): unknown[]
}

const descriptions = loadGeneratedTable<Record<string, Record<string, string>>>(
  'printer-descriptions.jsonc',
)
const describe = (type: string, field: string): string => descriptions()[type]?.[field] ?? ''

function column(name: string, description: string, priority = 0, format = ''): JsonObject {
  return { name, type: 'string', format, description, priority }
}

/** The Name column every Table starts with (metav1.ObjectMeta SwaggerDoc `name`). */
export const nameColumn: JsonObject = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
}

const ageColumn = (): JsonObject => column('Age', describe('ObjectMeta', 'creationTimestamp'))

const objectAt = (object: JsonObject, ...path: string[]): JsonObject => {
  let node: unknown = object
  for (const key of path) node = isJsonObject(node) ? node[key] : undefined
  return isJsonObject(node) ? node : {}
}
const count = (value: unknown): number => (isJsonObject(value) ? Object.keys(value).length : 0)
const int = (value: unknown): number => (typeof value === 'number' ? value : 0)

// metav1.LabelSelectorAsSelector(…).String(): requirements sorted by key, values of a set sorted;
// no selector (labels.Nothing) and an empty one (labels.Everything) print nothing.
function selectorText(selector: unknown): string {
  if (!isJsonObject(selector)) return ''
  const requirements: [string, string][] = Object.entries(objectAt(selector, 'matchLabels')).map(
    ([key, value]) => [key, `${key}=${String(value)}`],
  )
  const expressions = Array.isArray(selector['matchExpressions'])
    ? selector['matchExpressions']
    : []
  for (const expression of expressions) {
    if (!isJsonObject(expression) || typeof expression['key'] !== 'string') continue
    const key = expression['key']
    const values = Array.isArray(expression['values'])
      ? [...new Set(expression['values'].map(String))].sort()
      : []
    const operator = expression['operator']
    if (operator === 'In') requirements.push([key, `${key} in (${values.join(',')})`])
    else if (operator === 'NotIn') requirements.push([key, `${key} notin (${values.join(',')})`])
    else if (operator === 'Exists') requirements.push([key, key])
    else if (operator === 'DoesNotExist') requirements.push([key, `!${key}`])
  }
  return requirements
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, text]) => text)
    .join(',')
}

function printer(
  columns: () => JsonObject[],
  cells: (object: JsonObject, age: string) => unknown[],
): () => TableColumns {
  let built: TableColumns | undefined
  return () =>
    (built ??= {
      definitions: [nameColumn, ...columns()],
      cells: (object, now) => {
        const metadata = objectAt(object, 'metadata')
        return [metadata['name'] ?? '', ...cells(object, ageOf(metadata['creationTimestamp'], now))]
      },
    })
}

// apiextensions-apiserver pkg/registry/customresourcedefinition/tableconvertor: served versions
// sorted, the storage one marked; the creation time itself, not an age.
function crdColumns(): TableColumns {
  const conditionTrue = (o: JsonObject, type: string): boolean =>
    (Array.isArray(objectAt(o, 'status')['conditions'])
      ? (objectAt(o, 'status')['conditions'] as unknown[])
      : []
    ).some((c) => isJsonObject(c) && c['type'] === type && c['status'] === 'True')
  return {
    definitions: [
      nameColumn,
      column('Scope', 'Cluster/Namespaced'),
      column('Versions', 'Served versions'),
      { ...column('Created At', describe('ObjectMeta', 'creationTimestamp')), type: 'date' },
      column('Group', 'API group', 1),
      column('Kind', 'CustomResource kind', 1),
      column('ShortNames', 'Short names', 1),
      { ...column('Established', 'Established status', 1), type: 'boolean' },
    ],
    cells: (o) => {
      const spec = objectAt(o, 'spec')
      const names = objectAt(spec, 'names')
      const versions = (Array.isArray(spec['versions']) ? spec['versions'] : [])
        .filter((v): v is JsonObject => isJsonObject(v) && v['served'] === true)
        .map((v) => `${String(v['name'])}${v['storage'] === true ? '(storage)' : ''}`)
        .sort()
      const shortNames = Array.isArray(names['shortNames']) ? names['shortNames'] : []
      return [
        objectAt(o, 'metadata')['name'] ?? '',
        spec['scope'] ?? '',
        versions.join(','),
        objectAt(o, 'metadata')['creationTimestamp'] ?? '',
        spec['group'] ?? '',
        names['kind'] ?? '',
        shortNames.join(','),
        conditionTrue(o, 'Established'),
      ]
    },
  }
}
const printers: Record<string, () => TableColumns> = {
  'apiextensions.k8s.io/v1/CustomResourceDefinition': crdColumns,
  // printConfigMap: Data counts data and binaryData.
  'core/v1/ConfigMap': printer(
    () => [column('Data', describe('ConfigMap', 'data')), ageColumn()],
    (o, age) => [count(o['data']) + count(o['binaryData']), age],
  ),
  // printSecret; SetDefaults_Secret: type Opaque.
  'core/v1/Secret': printer(
    () => [
      column('Type', describe('Secret', 'type')),
      column('Data', describe('Secret', 'data')),
      ageColumn(),
    ],
    (o, age) => [typeof o['type'] === 'string' ? o['type'] : 'Opaque', count(o['data']), age],
  ),
  // printNamespace.
  'core/v1/Namespace': printer(
    () => [column('Status', 'The status of the namespace'), ageColumn()],
    (o, age) => [objectAt(o, 'status')['phase'] ?? '', age],
  ),
  // printServiceAccount.
  'core/v1/ServiceAccount': printer(
    () => [ageColumn()],
    (_o, age) => [age],
  ),
  // printDeployment; SetDefaults_Deployment: one replica.
  'apps/v1/Deployment': printer(
    () => [
      column('Ready', 'Number of the pod with ready state'),
      column('Up-to-date', describe('DeploymentStatus', 'updatedReplicas')),
      column('Available', describe('DeploymentStatus', 'availableReplicas')),
      ageColumn(),
      column('Containers', 'Names of each container in the template.', 1),
      column('Images', 'Images referenced by each container in the template.', 1),
      column('Selector', describe('DeploymentSpec', 'selector'), 1),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      const desired = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1
      const template = objectAt(spec, 'template', 'spec')
      const containers = (
        Array.isArray(template['containers']) ? template['containers'] : []
      ).filter(isJsonObject)
      // layoutContainerCells: names and images, each joined with commas.
      const joined = (key: string): string =>
        containers.map((c) => (typeof c[key] === 'string' ? c[key] : '')).join(',')
      return [
        `${int(status['readyReplicas'])}/${desired}`,
        int(status['updatedReplicas']),
        int(status['availableReplicas']),
        age,
        joined('name'),
        joined('image'),
        selectorText(spec['selector']),
      ]
    },
  ),
}

/**
 * The Table columns kube-apiserver prints for a built-in kind, when this file has its printer.
 *
 * @example
 * builtInColumnsOf(configMapInfo)?.definitions.map((d) => d['name']) // ['Name', 'Data', 'Age']
 */
export function builtInColumnsOf(info: ResourceInfo): TableColumns | undefined {
  const group = info.group === '' ? 'core' : info.group
  return printers[`${group}/${info.version}/${info.kind}`]?.()
}
