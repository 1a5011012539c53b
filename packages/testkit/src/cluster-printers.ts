// kube-apiserver's Table printers of the cluster and access kinds (kubernetes
// pkg/printers/internalversion/printers.go): printNode, printEvent, printRoleBinding,
// printClusterRoleBinding, printPriorityClass, printLease.
import { type JsonObject } from './_json.js'
import {
  ageColumn,
  byteOrder,
  column,
  describe,
  int,
  listAt,
  nameColumn,
  objectAt,
  printer,
  text,
  type TableColumns,
} from './_printer-cells.js'
import { ageOf } from './human-duration.js'

// printNode: Ready or NotReady from the Ready condition (Unknown without one), then
// SchedulingDisabled for a cordoned node.
function nodeStatus(node: JsonObject): string {
  const ready = listAt(objectAt(node, 'status'), 'conditions').findLast(
    (c) => c['type'] === 'Ready',
  )
  const status = [
    ready === undefined ? 'Unknown' : ready['status'] === 'True' ? 'Ready' : 'NotReady',
  ]
  if (objectAt(node, 'spec')['unschedulable'] === true) status.push('SchedulingDisabled')
  return status.join(',')
}

// findNodeRoles: `node-role.kubernetes.io/<role>` labels and a `kubernetes.io/role` label's value.
function nodeRoles(node: JsonObject): string {
  const roles = new Set<string>()
  for (const [key, value] of Object.entries(objectAt(node, 'metadata', 'labels'))) {
    const role = key.startsWith('node-role.kubernetes.io/')
      ? key.slice('node-role.kubernetes.io/'.length)
      : key === 'kubernetes.io/role'
        ? text(value)
        : ''
    if (role !== '') roles.add(role)
  }
  return roles.size === 0 ? '<none>' : [...roles].sort(byteOrder).join(',')
}

// getNodeInternalIP / getNodeExternalIP: the first address of the type.
const nodeAddress = (node: JsonObject, type: string): string =>
  text(
    listAt(objectAt(node, 'status'), 'addresses').find((a) => a['type'] === type)?.['address'],
  ) || '<none>'

// printRoleBinding / printClusterRoleBinding wide: rbac.SubjectsStrings, each list joined.
function subjectCells(binding: JsonObject): string[] {
  const subjects = listAt(binding, 'subjects')
  const named = (kind: string, format: (s: JsonObject) => string): string =>
    subjects
      .filter((s) => s['kind'] === kind)
      .map(format)
      .join(', ')
  return [
    named('User', (s) => text(s['name'])),
    named('Group', (s) => text(s['name'])),
    named('ServiceAccount', (s) => `${text(s['namespace'])}/${text(s['name'])}`),
  ]
}

const bindingPrinter = (type: string, noun: string): (() => TableColumns) =>
  printer(
    () => [
      column('Role', describe(type, 'roleRef')),
      ageColumn(),
      column('Users', `Users in the ${noun}`, 1),
      column('Groups', `Groups in the ${noun}`, 1),
      column('ServiceAccounts', `ServiceAccounts in the ${noun}`, 1),
    ],
    (o, age) => {
      const roleRef = objectAt(o, 'roleRef')
      return [`${text(roleRef['kind'])}/${text(roleRef['name'])}`, age, ...subjectCells(o)]
    },
  )

// printEvent, wide: Last Seen first and the name last (a priority-1 column); the times fall back
// from lastTimestamp to firstTimestamp to eventTime, a series' last observation wins.
function eventColumns(): TableColumns {
  const doc = (field: string): string => describe('Event', field)
  return {
    definitions: [
      column('Last Seen', doc('lastTimestamp')),
      column('Type', doc('type')),
      column('Reason', doc('reason')),
      column('Object', doc('involvedObject')),
      column('Subobject', describe('ObjectReference', 'fieldPath'), 1),
      column('Source', doc('source'), 1),
      column('Message', doc('message')),
      column('First Seen', doc('firstTimestamp'), 1),
      column('Count', doc('count'), 1),
      { ...nameColumn, priority: 1 },
    ],
    cells: (o, now) => {
      const first =
        o['firstTimestamp'] === undefined || o['firstTimestamp'] === null
          ? ageOf(o['eventTime'], now)
          : ageOf(o['firstTimestamp'], now)
      let last =
        o['lastTimestamp'] === undefined || o['lastTimestamp'] === null
          ? first
          : ageOf(o['lastTimestamp'], now)
      let count = int(o['count'])
      const series = o['series']
      if (series !== undefined && series !== null) {
        last = ageOf(objectAt(o, 'series')['lastObservedTime'], now)
        count = int(objectAt(o, 'series')['count'])
      } else if (count === 0) count = 1
      const involved = objectAt(o, 'involvedObject')
      const kind = text(involved['kind']).toLowerCase()
      const source = objectAt(o, 'source')
      const component = text(source['component']) || text(o['reportingComponent'])
      const instance = text(source['host']) || text(o['reportingInstance'])
      return [
        last,
        text(o['type']),
        text(o['reason']),
        text(involved['name']) === '' ? kind : `${kind}/${text(involved['name'])}`,
        text(involved['fieldPath']),
        instance === '' ? component : `${component}, ${instance}`,
        text(o['message']).trim(),
        first,
        count,
        objectAt(o, 'metadata')['name'] ?? '',
      ]
    },
  }
}

/** The cluster and access kinds' printers, by `group/version/Kind`. */
export const clusterPrinters: Record<string, () => TableColumns> = {
  'core/v1/Node': printer(
    () => [
      column('Status', 'The status of the node'),
      column('Roles', 'The roles of the node'),
      ageColumn(),
      column('Version', describe('NodeSystemInfo', 'kubeletVersion')),
      column('Internal-IP', describe('NodeStatus', 'addresses'), 1),
      column('External-IP', describe('NodeStatus', 'addresses'), 1),
      column('OS-Image', describe('NodeSystemInfo', 'osImage'), 1),
      column('Kernel-Version', describe('NodeSystemInfo', 'kernelVersion'), 1),
      column('Container-Runtime', describe('NodeSystemInfo', 'containerRuntimeVersion'), 1),
    ],
    (o, age) => {
      const info = objectAt(o, 'status', 'nodeInfo')
      const architecture = text(info['architecture'])
      const kernel = text(info['kernelVersion']) || '<unknown>'
      return [
        nodeStatus(o),
        nodeRoles(o),
        age,
        text(info['kubeletVersion']),
        nodeAddress(o, 'InternalIP'),
        nodeAddress(o, 'ExternalIP'),
        text(info['osImage']) || '<unknown>',
        architecture === '' ? kernel : `${kernel} (${architecture})`,
        text(info['containerRuntimeVersion']) || '<unknown>',
      ]
    },
  ),
  'core/v1/Event': eventColumns,
  'rbac.authorization.k8s.io/v1/RoleBinding': bindingPrinter('RoleBinding', 'roleBinding'),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': bindingPrinter(
    'ClusterRoleBinding',
    'clusterRoleBinding',
  ),
  'scheduling.k8s.io/v1/PriorityClass': printer(
    () => [
      column('Value', describe('PriorityClass', 'value'), 0, 'integer'),
      column('Global-Default', describe('PriorityClass', 'globalDefault'), 0, 'boolean'),
      ageColumn(),
      column('PreemptionPolicy', describe('PriorityClass', 'preemptionPolicy')),
    ],
    // SetDefaults_PriorityClass: preemptionPolicy PreemptLowerPriority.
    (o, age) => [
      int(o['value']),
      o['globalDefault'] === true,
      age,
      text(o['preemptionPolicy']) || 'PreemptLowerPriority',
    ],
  ),
  'coordination.k8s.io/v1/Lease': printer(
    () => [column('Holder', describe('LeaseSpec', 'holderIdentity')), ageColumn()],
    (o, age) => [text(objectAt(o, 'spec')['holderIdentity']), age],
  ),
}
