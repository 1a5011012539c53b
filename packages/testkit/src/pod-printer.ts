// kube-apiserver's Table printer of Pods: kubernetes pkg/printers/internalversion/printers.go
// printPod — READY (ready containers of all, restartable init containers counted), STATUS (the
// phase, then the reason rules of init containers, containers and deletion), RESTARTS (with the
// time since the last one), AGE, and the wide IP, NODE, NOMINATED NODE, READINESS GATES. A Pod
// kube-apiserver creates gets `status.phase: Pending` (pod strategy PrepareForCreate); one the
// emulator stored without a phase is printed as Pending too.
import { type JsonObject } from './_json.js'
import {
  ageColumn,
  column,
  describe,
  int,
  listAt,
  objectAt,
  printer,
  text,
  type TableColumns,
} from './_printer-cells.js'
import { ageOf } from './human-duration.js'

// podutil.IsRestartableInitContainer: a sidecar.
const restartable = (container: JsonObject | undefined): boolean =>
  container?.['restartPolicy'] === 'Always'

// The time a container last terminated (0: never).
const lastTerminated = (status: JsonObject): number => {
  const at = Date.parse(text(objectAt(status, 'lastState', 'terminated')['finishedAt']))
  return Number.isNaN(at) ? 0 : at
}

// A terminated state's reason: its own, else Signal:N, else ExitCode:N.
function terminatedReason(terminated: JsonObject, prefix: string): string {
  if (text(terminated['reason']) !== '') return `${prefix}${text(terminated['reason'])}`
  if (int(terminated['signal']) !== 0) return `${prefix}Signal:${int(terminated['signal'])}`
  return `${prefix}ExitCode:${int(terminated['exitCode'])}`
}

const conditionIs = (status: JsonObject, type: string): boolean =>
  listAt(status, 'conditions').some((c) => c['type'] === type && c['status'] === 'True')

interface PodSummary {
  ready: number
  total: number
  reason: string
  restarts: number
  lastRestart: number
}

// printPod's walk over the init containers' and containers' statuses.
function summarise(pod: JsonObject): PodSummary {
  const spec = objectAt(pod, 'spec')
  const status = objectAt(pod, 'status')
  const phase = text(status['phase']) || 'Pending'
  let reason = text(status['reason']) || phase
  if (
    listAt(status, 'conditions').some(
      (c) => c['type'] === 'PodScheduled' && c['reason'] === 'SchedulingGated',
    )
  )
    reason = 'SchedulingGated'
  const initContainers = new Map(listAt(spec, 'initContainers').map((c) => [text(c['name']), c]))
  const summary: PodSummary = {
    ready: 0,
    total:
      listAt(spec, 'containers').length + [...initContainers.values()].filter(restartable).length,
    reason,
    restarts: 0,
    lastRestart: 0,
  }
  let sidecarRestarts = 0
  let sidecarLastRestart = 0
  let initializing = false
  const initStatuses = listAt(status, 'initContainerStatuses')
  for (const [i, container] of initStatuses.entries()) {
    summary.restarts += int(container['restartCount'])
    summary.lastRestart = Math.max(summary.lastRestart, lastTerminated(container))
    const isSidecar = restartable(initContainers.get(text(container['name'])))
    if (isSidecar) {
      sidecarRestarts += int(container['restartCount'])
      sidecarLastRestart = Math.max(sidecarLastRestart, lastTerminated(container))
    }
    const state = objectAt(container, 'state')
    const terminated = state['terminated'] === undefined ? undefined : objectAt(state, 'terminated')
    const waitingReason = text(objectAt(state, 'waiting')['reason'])
    if (terminated !== undefined && int(terminated['exitCode']) === 0) continue
    if (isSidecar && container['started'] === true) {
      if (container['ready'] === true) summary.ready++
      continue
    }
    if (terminated !== undefined) summary.reason = terminatedReason(terminated, 'Init:')
    else if (waitingReason !== '' && waitingReason !== 'PodInitializing')
      summary.reason = `Init:${waitingReason}`
    else summary.reason = `Init:${i}/${listAt(spec, 'initContainers').length}`
    initializing = true
    break
  }
  if (!initializing || conditionIs(status, 'Initialized')) {
    summary.restarts = sidecarRestarts
    summary.lastRestart = sidecarLastRestart
    let hasRunning = false
    let errorReason = ''
    for (const container of listAt(status, 'containerStatuses').reverse()) {
      summary.restarts += int(container['restartCount'])
      summary.lastRestart = Math.max(summary.lastRestart, lastTerminated(container))
      const state = objectAt(container, 'state')
      const waitingReason = text(objectAt(state, 'waiting')['reason'])
      if (state['waiting'] !== undefined && waitingReason !== '') {
        summary.reason = waitingReason
      } else if (state['terminated'] !== undefined) {
        const terminated = objectAt(state, 'terminated')
        summary.reason = terminatedReason(terminated, '')
        if (int(terminated['exitCode']) !== 0) errorReason = summary.reason
      } else if (container['ready'] === true && state['running'] !== undefined) {
        hasRunning = true
        summary.ready++
      }
    }
    // A container still running brings a Completed pod back to Running (or NotReady).
    if (summary.reason === 'Completed') {
      if (hasRunning && conditionIs(status, 'Ready')) summary.reason = 'Running'
      else if (errorReason !== '') summary.reason = errorReason
      else if (hasRunning) summary.reason = 'NotReady'
    }
  }
  if (objectAt(pod, 'metadata')['deletionTimestamp'] !== undefined) {
    if (status['reason'] === 'NodeLost') summary.reason = 'Unknown'
    else if (phase !== 'Succeeded' && phase !== 'Failed') summary.reason = 'Terminating'
  }
  return summary
}

// printPod's wide READINESS GATES: gates whose condition (the first of its type) is True.
function readinessGates(pod: JsonObject): string {
  const gates = listAt(objectAt(pod, 'spec'), 'readinessGates')
  if (gates.length === 0) return '<none>'
  const conditions = listAt(objectAt(pod, 'status'), 'conditions')
  const ready = gates.filter(
    (gate) => conditions.find((c) => c['type'] === gate['conditionType'])?.['status'] === 'True',
  ).length
  return `${ready}/${gates.length}`
}

const podColumns = printer(
  () => [
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    column('IP', describe('PodStatus', 'podIP'), 1),
    column('Node', describe('PodSpec', 'nodeName'), 1),
    column('Nominated Node', describe('PodStatus', 'nominatedNodeName'), 1),
    column('Readiness Gates', describe('PodSpec', 'readinessGates'), 1),
  ],
  (pod, age, now) => {
    const summary = summarise(pod)
    const status = objectAt(pod, 'status')
    const restarts =
      summary.restarts !== 0 && summary.lastRestart !== 0
        ? `${summary.restarts} (${ageOf(new Date(summary.lastRestart).toISOString(), now)} ago)`
        : String(summary.restarts)
    const orNone = (value: string): string => (value === '' ? '<none>' : value)
    return [
      `${summary.ready}/${summary.total}`,
      summary.reason,
      restarts,
      age,
      orNone(text(listAt(status, 'podIPs')[0]?.['ip'])),
      orNone(text(objectAt(pod, 'spec')['nodeName'])),
      orNone(text(status['nominatedNodeName'])),
      readinessGates(pod),
    ]
  },
)

// printPod: a Succeeded or Failed pod's row is marked Completed (podSuccessConditions,
// podFailedConditions).
function podConditions(pod: JsonObject): JsonObject[] | undefined {
  const phase = objectAt(pod, 'status')['phase']
  if (phase === 'Succeeded')
    return [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]
  if (phase === 'Failed')
    return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]
  return undefined
}

/** The Pod printer, by `group/version/Kind`. */
export const podPrinters: Record<string, () => TableColumns> = {
  'core/v1/Pod': (): TableColumns => ({ ...podColumns(), conditions: podConditions }),
}
