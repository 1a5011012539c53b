// The Table columns kube-apiserver gives the built-in kinds `kubectl get` lists most: kubernetes
// pkg/printers/internalversion/printers.go AddHandlers (the column definitions, their
// descriptions the types' SwaggerDoc texts, generated/printer-descriptions.jsonc) and its
// print<Kind> functions. The server prints wide (pkg/printers/storage TableConvertor passes
// `Wide: true`): the priority-1 columns are always there, and kubectl shows them with `-o wide`.
// A field kube-apiserver defaults on create (SetDefaults_*) and the emulator does not ("no
// defaulting of built-in kinds") is printed with its default.
import { isJsonObject, type JsonObject } from './_json.js'
import {
  ageColumn,
  column,
  count,
  describe,
  nameColumn,
  objectAt,
  printer,
  type TableColumns,
} from './_printer-cells.js'
import { clusterPrinters } from './cluster-printers.js'
import { podPrinters } from './pod-printer.js'
import { servicePrinters } from './service-printers.js'
import { storagePrinters } from './storage-printers.js'
import type { ResourceInfo } from './resource-catalog.js'
import { workloadPrinters } from './workload-printers.js'

export type { TableColumns } from './_printer-cells.js'

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
  ...podPrinters,
  ...workloadPrinters,
  ...servicePrinters,
  ...clusterPrinters,
  ...storagePrinters,
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
