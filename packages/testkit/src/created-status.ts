// What a new built-in object's status, annotations and finalizers are once its strategy's
// PrepareForCreate and admission ran and it is encoded (k8s.io/kubernetes v1.37.2). A strategy
// resets the status to its Go zero value, which encoding/json writes with every field that is not
// `omitempty` (a DaemonSet's counters, a PodDisruptionBudget's, an Ingress's `loadBalancer`).
import { isJsonObject, type JsonObject } from './_json.js'
import { templateGeneration } from './builtin-defaults.js'
import { deepEqual } from './patch.js'

// By `group/version/Kind`: the encoded zero status of the strategies that reset it
// (pkg/registry/<group>/<resource>/strategy.go PrepareForCreate).
const zeroStatus: Record<string, JsonObject> = {
  'v1/ReplicationController': { replicas: 0 },
  'v1/ResourceQuota': {},
  'apps/v1/Deployment': {},
  'apps/v1/ReplicaSet': { replicas: 0 },
  'apps/v1/StatefulSet': { replicas: 0, availableReplicas: 0 },
  'apps/v1/DaemonSet': {
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    desiredNumberScheduled: 0,
    numberReady: 0,
  },
  'batch/v1/Job': {},
  'batch/v1/CronJob': {},
  'autoscaling/v1/HorizontalPodAutoscaler': { currentReplicas: 0, desiredReplicas: 0 },
  'autoscaling/v2/HorizontalPodAutoscaler': { desiredReplicas: 0, currentMetrics: null },
  'policy/v1/PodDisruptionBudget': {
    disruptionsAllowed: 0,
    currentHealthy: 0,
    desiredHealthy: 0,
    expectedPods: 0,
  },
  'networking.k8s.io/v1/Ingress': { loadBalancer: {} },
}

/**
 * Sets what kube-apiserver's create adds to a new built-in object of `group/version/Kind` past
 * the field manager (in place): its strategy's zero status, a DaemonSet's template generation
 * annotation, a PersistentVolume's phase transition time, and the storage-protection finalizers.
 *
 * @example
 * const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: {} }
 * prepareCreated({ group: 'apps', version: 'v1', kind: 'Deployment' }, deployment, now)
 * // deployment.status: {}
 */
export function prepareCreated(
  kind: { group: string; version: string; kind: string },
  object: JsonObject,
  now: string,
): void {
  const key = `${kind.group === '' ? '' : `${kind.group}/`}${kind.version}/${kind.kind}`
  const status = zeroStatus[key]
  if (status !== undefined) object['status'] = structuredClone(status)
  const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
  object['metadata'] = metadata
  if (key === 'apps/v1/DaemonSet') {
    // daemonset/strategy.go PrepareForCreate sets spec.templateGeneration to 1; apps/v1
    // conversion writes it as this annotation.
    const annotations = isJsonObject(metadata['annotations']) ? metadata['annotations'] : {}
    if (Number(annotations[templateGeneration] ?? 0) < 1) annotations[templateGeneration] = '1'
    metadata['annotations'] = annotations
  }
  if (key === 'v1/PersistentVolume') {
    // persistentvolume/strategy.go PrepareForCreate: the Pending phase starts now.
    const pvStatus = isJsonObject(object['status']) ? object['status'] : {}
    pvStatus['lastPhaseTransitionTime'] = now
    object['status'] = pvStatus
  }
  // The StorageObjectInUseProtection admission plugin (plugin/pkg/admission/storage/
  // storageobjectinuseprotection): volumes and claims in use are not removed.
  const finalizer =
    key === 'v1/PersistentVolume'
      ? 'kubernetes.io/pv-protection'
      : key === 'v1/PersistentVolumeClaim'
        ? 'kubernetes.io/pvc-protection'
        : undefined
  if (finalizer !== undefined) {
    const finalizers: unknown[] = Array.isArray(metadata['finalizers'])
      ? metadata['finalizers']
      : []
    if (!finalizers.includes(finalizer)) metadata['finalizers'] = [...finalizers, finalizer]
  }
}

/**
 * What a built-in kind's strategy PrepareForUpdate sets past the field manager (in place): a
 * DaemonSet keeps its template generation, one more when the update changed the pod template
 * (daemonset/strategy.go).
 *
 * @example
 * prepareUpdated({ group: 'apps', version: 'v1', kind: 'DaemonSet' }, next, old)
 */
export function prepareUpdated(
  kind: { group: string; version: string; kind: string },
  object: JsonObject,
  old: JsonObject,
): void {
  if (kind.group !== 'apps' || kind.version !== 'v1' || kind.kind !== 'DaemonSet') return
  const annotationsOf = (o: JsonObject): JsonObject => {
    const metadata = isJsonObject(o['metadata']) ? o['metadata'] : {}
    return isJsonObject(metadata['annotations']) ? metadata['annotations'] : {}
  }
  const templateOf = (o: JsonObject): unknown =>
    isJsonObject(o['spec']) ? o['spec']['template'] : undefined
  const was = Number(annotationsOf(old)[templateGeneration] ?? 0)
  const changed = !deepEqual(templateOf(old), templateOf(object))
  const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
  metadata['annotations'] = {
    ...annotationsOf(object),
    [templateGeneration]: String(changed ? was + 1 : was),
  }
  object['metadata'] = metadata
}
