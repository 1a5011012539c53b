// What kube-apiserver sets on a new Pod after its field manager ran (the writer does not own it):
// kubernetes pkg/registry/core/pod/strategy.go PrepareForCreate — `status.phase: Pending`, the
// SchedulingGated condition (applySchedulingGatedCondition), `status.qosClass`
// (pkg/apis/core/helper/qos ComputePodQOS) — and two admission plugins a default kube-apiserver
// runs: Priority (plugin/pkg/admission/priority: `spec.priority` and `spec.preemptionPolicy` from
// the pod's PriorityClass, the globalDefault one, or 0 and PreemptLowerPriority) and
// DefaultTolerationSeconds (NoExecute tolerations of the not-ready and unreachable taints for
// 300 s, unless the pod tolerates them already).
import { compareQuantities } from '@k8s-codegen/validation'
import { isJsonObject, type JsonObject } from './_json.js'

const objectIn = (parent: JsonObject, key: string): JsonObject =>
  isJsonObject(parent[key]) ? parent[key] : {}
const listIn = (parent: JsonObject, key: string): JsonObject[] =>
  Array.isArray(parent[key]) ? parent[key].filter(isJsonObject) : []

// qos.go resourceQOS on the defaulted container (SetDefaults_Pod: a limit without a request is
// also the request): unequal request and limit is Burstable, zero BestEffort, else Guaranteed.
function resourceQos(resources: JsonObject, resource: string): string {
  const limit = objectIn(resources, 'limits')[resource]
  const requested = objectIn(resources, 'requests')[resource] ?? limit
  const text = (q: unknown): string =>
    typeof q === 'string' || typeof q === 'number' ? String(q) : '0'
  if (compareQuantities(text(requested), text(limit)) !== 0) return 'Burstable'
  return compareQuantities(text(requested), '0') === 0 ? 'BestEffort' : 'Guaranteed'
}

// qos.go requirementsQOS.
function requirementsQos(resources: JsonObject): string {
  if (
    Object.keys(objectIn(resources, 'requests')).length === 0 &&
    Object.keys(objectIn(resources, 'limits')).length === 0
  )
    return 'BestEffort'
  const classes = new Set(['cpu', 'memory'].map((r) => resourceQos(resources, r)))
  return classes.size === 1 ? ([...classes][0] ?? 'Burstable') : 'Burstable'
}

/**
 * qos.go ComputePodQOS (pod-level resources first, else every init container and container:
 * one Burstable, or a mix, makes the pod Burstable).
 *
 * @example
 * podQosClass({ containers: [{ name: 'a', image: 'nginx' }] }) // 'BestEffort'
 */
export function podQosClass(spec: JsonObject): string {
  if (isJsonObject(spec['resources'])) return requirementsQos(spec['resources'])
  const classes = new Set(
    [...listIn(spec, 'initContainers'), ...listIn(spec, 'containers')].map((c) =>
      requirementsQos(objectIn(c, 'resources')),
    ),
  )
  if (classes.size === 0) return 'BestEffort'
  return classes.size === 1 ? ([...classes][0] ?? 'Burstable') : 'Burstable'
}

/** The PriorityClasses kube-apiserver creates at start (scheduling SystemPriorityClasses). */
export const systemPriorityClasses: JsonObject[] = [
  {
    name: 'system-node-critical',
    value: 2000001000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: 2000000000,
    description:
      'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
].map(({ name, ...rest }) => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  ...rest,
  preemptionPolicy: 'PreemptLowerPriority',
}))

const tolerationsOf = (spec: JsonObject): JsonObject[] => listIn(spec, 'tolerations')

/**
 * DefaultTolerationSeconds on a Pod's spec (in place), on create and update.
 *
 * @example
 * tolerateUnreadyNodes(pod.spec) // two NoExecute tolerations of 300 s added
 */
export function tolerateUnreadyNodes(spec: JsonObject): void {
  const tolerations = tolerationsOf(spec)
  const tolerates = (taint: string): boolean =>
    tolerations.some(
      (t) =>
        (t['key'] === taint || (t['key'] ?? '') === '') &&
        (t['effect'] === 'NoExecute' || (t['effect'] ?? '') === ''),
    )
  for (const taint of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
    if (!tolerates(taint))
      tolerations.push({
        key: taint,
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      })
  spec['tolerations'] = tolerations
}

/**
 * The Priority and DefaultTolerationSeconds admission of a Pod's update (in place): the priority
 * and preemption policy an update leaves out are the stored ones.
 *
 * @example
 * admitPodUpdate(next, live)
 */
export function admitPodUpdate(pod: JsonObject, old: JsonObject): void {
  const spec = isJsonObject(pod['spec']) ? pod['spec'] : {}
  pod['spec'] = spec
  const was = objectIn(old, 'spec')
  for (const key of ['priority', 'preemptionPolicy'])
    if (spec[key] === undefined && was[key] !== undefined) spec[key] = was[key]
  tolerateUnreadyNodes(spec)
}

/**
 * PrepareForCreate and the Priority and DefaultTolerationSeconds admission of a new Pod (in
 * place), `classes` being the stored PriorityClasses. Returns why the Priority plugin forbids it,
 * undefined when it does not.
 *
 * @example
 * admitNewPod(pod, store.list('scheduling.k8s.io/priorityclasses')) // undefined; status.phase Pending
 */
export function admitNewPod(pod: JsonObject, classes: JsonObject[]): string | undefined {
  const spec = isJsonObject(pod['spec']) ? pod['spec'] : {}
  pod['spec'] = spec
  // establishPriority: the named class, else the globalDefault one, else 0.
  const named = typeof spec['priorityClassName'] === 'string' ? spec['priorityClassName'] : ''
  const nameOf = (c: JsonObject): unknown => objectIn(c, 'metadata')['name']
  const found =
    named === ''
      ? classes.find((c) => c['globalDefault'] === true)
      : classes.find((c) => nameOf(c) === named)
  if (named !== '' && found === undefined) return `no PriorityClass with name ${named} was found`
  const priority = typeof found?.['value'] === 'number' ? found['value'] : 0
  const policy =
    typeof found?.['preemptionPolicy'] === 'string'
      ? found['preemptionPolicy']
      : 'PreemptLowerPriority'
  if (typeof spec['priority'] === 'number' && spec['priority'] !== priority)
    return `the integer value of priority (${spec['priority']}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`
  if (typeof spec['preemptionPolicy'] === 'string' && spec['preemptionPolicy'] !== policy)
    return `the string value of PreemptionPolicy (${spec['preemptionPolicy']}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`
  if (found !== undefined) spec['priorityClassName'] = nameOf(found)
  spec['priority'] = priority
  spec['preemptionPolicy'] = policy
  tolerateUnreadyNodes(spec)
  const status: JsonObject = { phase: 'Pending' }
  if (listIn(spec, 'schedulingGates').length > 0)
    status['conditions'] = [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
        // podutil.UpdatePodCondition: the transition is now; metav1.Time is never omitted.
        lastProbeTime: null,
        lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    ]
  status['qosClass'] = podQosClass(spec)
  pod['status'] = status
  return undefined
}
