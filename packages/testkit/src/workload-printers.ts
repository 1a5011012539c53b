// kube-apiserver's Table printers of the workload kinds (kubernetes
// pkg/printers/internalversion/printers.go): printDeployment, printReplicaSet, printStatefulSet,
// printDaemonSet, printJob, printCronJob, printHorizontalPodAutoscaler. A spec field the real
// server defaults on create (SetDefaults_*: one replica, a CronJob's `suspend: false`) and the
// emulator does not ("no defaulting of built-in kinds") is printed with its default.
import { type JsonObject } from './_json.js'
import {
  ageColumn,
  templateCells,
  column,
  containerCells,
  describe,
  int,
  labelsText,
  listAt,
  objectAt,
  printer,
  text,
  type TableColumns,
} from './_printer-cells.js'
import { ageOf, humanDuration } from './human-duration.js'

const containersColumn = (): JsonObject =>
  column('Containers', 'Names of each container in the template.', 1)
const imagesColumn = (): JsonObject =>
  column('Images', 'Images referenced by each container in the template.', 1)

// SetDefaults_Deployment / _ReplicaSet / _StatefulSet: one replica.
const replicasOf = (spec: JsonObject): number =>
  typeof spec['replicas'] === 'number' ? spec['replicas'] : 1

// hasJobCondition: the first condition of the type decides.
function hasCondition(status: JsonObject, type: string): boolean {
  const found = listAt(status, 'conditions').find((c) => c['type'] === type)
  return found?.['status'] === 'True'
}

// printJob: the first of these conditions that is true names the status.
function jobStatus(object: JsonObject): string {
  const status = objectAt(object, 'status')
  if (hasCondition(status, 'Complete')) return 'Complete'
  if (hasCondition(status, 'Failed')) return 'Failed'
  if (objectAt(object, 'metadata')['deletionTimestamp'] !== undefined) return 'Terminating'
  for (const type of ['Suspended', 'FailureTarget', 'SuccessCriteriaMet'])
    if (hasCondition(status, type)) return type
  return 'Running'
}

// printJob: succeeded of the completions, or of 1 (with the parallelism when above one).
function jobCompletions(spec: JsonObject, status: JsonObject): string {
  const succeeded = int(status['succeeded'])
  if (typeof spec['completions'] === 'number') return `${succeeded}/${spec['completions']}`
  const parallelism = int(spec['parallelism'])
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`
}

// printJob: from startTime to completionTime, or until now while running.
function jobDuration(status: JsonObject, now: number): string {
  const started = Date.parse(text(status['startTime']))
  if (Number.isNaN(started)) return ''
  const completed = Date.parse(text(status['completionTime']))
  return humanDuration((Number.isNaN(completed) ? now : completed) - started)
}

// formatHPAMetrics: one metric as `current/target`; a quantity is printed as it was sent, where
// Go prints resource.Quantity's canonical form.
function hpaMetric(spec: JsonObject, status: JsonObject | undefined): string {
  const type = text(spec['type'])
  const key = type.charAt(0).toLowerCase() + type.slice(1)
  const target = objectAt(spec, key, 'target')
  const current = objectAt(status ?? {}, key, 'current')
  const shown = (value: unknown): string => text(value) || '<unknown>'
  const percent = (value: unknown): string | undefined =>
    typeof value === 'number' ? `${value}%` : undefined
  switch (type) {
    case 'External':
    case 'Object':
      return target['averageValue'] !== undefined
        ? `${shown(current['averageValue'])}/${text(target['averageValue'])} (avg)`
        : `${shown(current['value'])}/${text(target['value'])}`
    case 'Pods':
      return `${shown(current['averageValue'])}/${text(target['averageValue'])}`
    case 'Resource':
    case 'ContainerResource': {
      const name = text(objectAt(spec, key)['name'])
      if (target['averageValue'] !== undefined)
        return `${name}: ${shown(current['averageValue'])}/${text(target['averageValue'])}`
      return `${name}: ${percent(current['averageUtilization']) ?? '<unknown>'}/${percent(target['averageUtilization']) ?? '<auto>'}`
    }
    default:
      return '<unknown type>'
  }
}

function hpaMetrics(object: JsonObject): string {
  const specs = listAt(objectAt(object, 'spec'), 'metrics')
  if (specs.length === 0) return '<none>'
  const statuses = listAt(objectAt(object, 'status'), 'currentMetrics')
  const shown = specs.slice(0, 2).map((spec, i) => hpaMetric(spec, statuses[i]))
  return specs.length > 2 ? `${shown.join(', ')} + ${specs.length - 2} more...` : shown.join(', ')
}

/** The workload kinds' printers, by `group/version/Kind`. */
export const workloadPrinters: Record<string, () => TableColumns> = {
  'apps/v1/Deployment': printer(
    () => [
      column('Ready', 'Number of the pod with ready state'),
      column('Up-to-date', describe('DeploymentStatus', 'updatedReplicas')),
      column('Available', describe('DeploymentStatus', 'availableReplicas')),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      column('Selector', describe('DeploymentSpec', 'selector'), 1),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      return [
        `${int(status['readyReplicas'])}/${replicasOf(spec)}`,
        int(status['updatedReplicas']),
        int(status['availableReplicas']),
        age,
        ...templateCells(spec),
      ]
    },
  ),
  'apps/v1/ReplicaSet': printer(
    () => [
      column('Desired', describe('ReplicaSetSpec', 'replicas'), 0, 'integer'),
      column('Current', describe('ReplicaSetStatus', 'replicas'), 0, 'integer'),
      column('Ready', describe('ReplicaSetStatus', 'readyReplicas'), 0, 'integer'),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      column('Selector', describe('ReplicaSetSpec', 'selector'), 1),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      return [
        replicasOf(spec),
        int(status['replicas']),
        int(status['readyReplicas']),
        age,
        ...templateCells(spec),
      ]
    },
  ),
  'apps/v1/StatefulSet': printer(
    () => [
      column('Ready', 'Number of the pod with ready state'),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      return [
        `${int(objectAt(o, 'status')['readyReplicas'])}/${replicasOf(spec)}`,
        age,
        ...containerCells(objectAt(spec, 'template', 'spec')),
      ]
    },
  ),
  'apps/v1/DaemonSet': printer(
    () => [
      column('Desired', describe('DaemonSetStatus', 'desiredNumberScheduled'), 0, 'integer'),
      column('Current', describe('DaemonSetStatus', 'currentNumberScheduled'), 0, 'integer'),
      column('Ready', describe('DaemonSetStatus', 'numberReady'), 0, 'integer'),
      column('Up-to-date', describe('DaemonSetStatus', 'updatedNumberScheduled'), 0, 'integer'),
      column('Available', describe('DaemonSetStatus', 'numberAvailable'), 0, 'integer'),
      column('Node Selector', describe('PodSpec', 'nodeSelector')),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      column('Selector', describe('DaemonSetSpec', 'selector'), 1),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      const podSpec = objectAt(spec, 'template', 'spec')
      return [
        int(status['desiredNumberScheduled']),
        int(status['currentNumberScheduled']),
        int(status['numberReady']),
        int(status['updatedNumberScheduled']),
        int(status['numberAvailable']),
        labelsText(podSpec['nodeSelector']),
        age,
        ...templateCells(spec),
      ]
    },
  ),
  'batch/v1/Job': printer(
    () => [
      column('Status', 'Status of the job.'),
      column('Completions', describe('JobStatus', 'succeeded')),
      column('Duration', 'Time required to complete the job.'),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      column('Selector', describe('JobSpec', 'selector'), 1),
    ],
    (o, age, now) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      return [
        jobStatus(o),
        jobCompletions(spec, status),
        jobDuration(status, now),
        age,
        ...templateCells(spec),
      ]
    },
  ),
  'batch/v1/CronJob': printer(
    () => [
      column('Schedule', describe('CronJobSpec', 'schedule')),
      column('Timezone', describe('CronJobSpec', 'timeZone')),
      column('Suspend', describe('CronJobSpec', 'suspend'), 0, 'boolean'),
      column('Active', describe('CronJobStatus', 'active'), 0, 'integer'),
      column('Last Schedule', describe('CronJobStatus', 'lastScheduleTime')),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
      column('Selector', describe('JobSpec', 'selector'), 1),
    ],
    (o, age, now) => {
      const spec = objectAt(o, 'spec')
      const status = objectAt(o, 'status')
      const jobSpec = objectAt(spec, 'jobTemplate', 'spec')
      return [
        text(spec['schedule']),
        typeof spec['timeZone'] === 'string' ? spec['timeZone'] : '<none>',
        // printBoolPtr; SetDefaults_CronJob: suspend false.
        spec['suspend'] === true ? 'True' : 'False',
        listAt(status, 'active').length,
        status['lastScheduleTime'] === undefined
          ? '<none>'
          : ageOf(status['lastScheduleTime'], now),
        age,
        ...templateCells(jobSpec),
      ]
    },
  ),
  'autoscaling/v2/HorizontalPodAutoscaler': printer(
    () => [
      column('Reference', describe('HorizontalPodAutoscalerSpec', 'scaleTargetRef')),
      column('Targets', describe('HorizontalPodAutoscalerSpec', 'metrics')),
      column('MinPods', describe('HorizontalPodAutoscalerSpec', 'minReplicas')),
      column('MaxPods', describe('HorizontalPodAutoscalerSpec', 'maxReplicas')),
      column('Replicas', describe('HorizontalPodAutoscalerStatus', 'currentReplicas')),
      ageColumn(),
    ],
    (o, age) => {
      const spec = objectAt(o, 'spec')
      const target = objectAt(spec, 'scaleTargetRef')
      return [
        `${text(target['kind'])}/${text(target['name'])}`,
        hpaMetrics(o),
        // SetDefaults_HorizontalPodAutoscaler: minReplicas 1.
        String(typeof spec['minReplicas'] === 'number' ? spec['minReplicas'] : 1),
        int(spec['maxReplicas']),
        int(objectAt(o, 'status')['currentReplicas']),
        age,
      ]
    },
  ),
}
