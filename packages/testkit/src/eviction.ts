// `POST /api/v1/namespaces/{ns}/pods/{name}/eviction`: kubernetes
// `pkg/registry/core/pod/storage/eviction.go` EvictionREST.Create. The name must match; a
// terminal, pending or already deleting pod is deleted without looking at budgets
// (canIgnorePDB); otherwise the PodDisruptionBudgets of the namespace whose non-empty selector
// matches the pod decide (getPodDisruptionBudgets; more than one → 500), checkAndDecrement
// refuses with 429 TooManyRequests and a `DisruptionBudget` cause, or takes one disruption
// (status.disruptionsAllowed - 1, the pod in status.disruptedPods) before the delete, which
// honours the Eviction's deleteOptions preconditions. Success is a `Success` Status that
// `pkg/endpoints/handlers/create.go` answers with 201 (its code set to 201).
import { isJsonObject, scalarText, type JsonObject } from './_json.js'
import { nowTime } from './managed-fields.js'
import type { Registry } from './registry.js'
import type { ResourceCatalog, ResourceInfo } from './resource-catalog.js'
import { ApiStatusError, badRequest, forbidden } from './status-errors.js'

function object(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {}
}

// metav1.LabelSelectorAsSelector + Matches: matchLabels and matchExpressions, all must hold.
function selectorMatches(selector: JsonObject, labels: JsonObject): boolean {
  for (const [key, value] of Object.entries(object(selector['matchLabels']))) {
    if (labels[key] !== value) return false
  }
  const expressions = Array.isArray(selector['matchExpressions'])
    ? selector['matchExpressions'].filter(isJsonObject)
    : []
  for (const e of expressions) {
    const key = scalarText(e['key'])
    const values = Array.isArray(e['values']) ? e['values'].map(scalarText) : []
    const has = key in labels
    const value = scalarText(labels[key])
    switch (e['operator']) {
      case 'In':
        if (!has || !values.includes(value)) return false
        break
      case 'NotIn':
        if (has && values.includes(value)) return false
        break
      case 'Exists':
        if (!has) return false
        break
      case 'DoesNotExist':
        if (has) return false
        break
      default:
        return false
    }
  }
  return true
}

function isEmptySelector(selector: JsonObject): boolean {
  const expressions = selector['matchExpressions']
  return (
    Object.keys(object(selector['matchLabels'])).length === 0 &&
    (!Array.isArray(expressions) || expressions.length === 0)
  )
}

// `pkg/api/v1/pod` IsPodReady: the Ready condition is True.
function isReady(pod: JsonObject): boolean {
  const conditions = object(pod['status'])['conditions']
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => isJsonObject(c) && c['type'] === 'Ready' && c['status'] === 'True')
  )
}

function tooManyRequests(message: string, retryAfter: number): ApiStatusError {
  const details: JsonObject = {
    causes: [{ reason: 'DisruptionBudget', message }],
  }
  if (retryAfter > 0) details['retryAfterSeconds'] = retryAfter
  return new ApiStatusError(
    429,
    'TooManyRequests',
    "Cannot evict pod as it would violate the pod's disruption budget.",
    details,
    retryAfter > 0 ? retryAfter : undefined,
  )
}

function number(value: unknown): number {
  return typeof value === 'number' ? value : 0
}

/** The PodDisruptionBudget resource the profile serves (policy/v1, else policy/v1beta1). */
function budgets(catalog: ResourceCatalog): ResourceInfo | undefined {
  return (
    catalog.get('policy', 'v1', 'poddisruptionbudgets') ??
    catalog.get('policy', 'v1beta1', 'poddisruptionbudgets')
  )
}

/** Serves the eviction `POST`; returns the Status to answer with (201). */
export function evict(
  registry: Registry,
  catalog: ResourceCatalog,
  pods: ResourceInfo,
  namespace: string,
  name: string,
  body: JsonObject,
  dryRunParam: boolean,
): JsonObject {
  const kind = scalarText(body['kind'])
  const apiVersion = scalarText(body['apiVersion'])
  if (kind !== 'Eviction' || (apiVersion !== 'policy/v1' && apiVersion !== 'policy/v1beta1')) {
    throw badRequest(
      `the body must be a policy/v1 (or policy/v1beta1) Eviction, got ${JSON.stringify(`${apiVersion} ${kind}`.trim())}`,
    )
  }
  const meta = object(body['metadata'])
  if (scalarText(meta['name']) !== name) {
    throw badRequest('name in URL does not match name in Eviction object')
  }
  const bodyNamespace = scalarText(meta['namespace'])
  if (bodyNamespace !== '' && bodyNamespace !== namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    )
  }
  const options = object(body['deleteOptions'])
  const dryRun =
    dryRunParam || (Array.isArray(options['dryRun']) && options['dryRun'].includes('All'))
  const preconditions = isJsonObject(options['preconditions'])
    ? (options['preconditions'] as { uid?: string; resourceVersion?: string })
    : undefined
  const remove = (): void => {
    registry.delete(
      pods,
      namespace,
      name,
      preconditions === undefined ? { dryRun } : { dryRun, preconditions },
    )
  }
  const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }

  const pod = registry.getOrThrow(pods, namespace, name)
  const phase = scalarText(object(pod['status'])['phase'])
  const deleting = object(pod['metadata'])['deletionTimestamp'] !== undefined
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || deleting) {
    remove()
    return success
  }

  const pdbInfo = budgets(catalog)
  const labels = object(object(pod['metadata'])['labels'])
  const matching =
    pdbInfo === undefined
      ? []
      : registry.store.list(`${pdbInfo.group}/${pdbInfo.resource}`, namespace).filter((pdb) => {
          const selector = object(object(pdb['spec'])['selector'])
          // A nil or empty selector matches nothing here, not everything.
          return !isEmptySelector(selector) && selectorMatches(selector, labels)
        })
  if (matching.length > 1) {
    throw new ApiStatusError(
      500,
      '',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    )
  }
  const pdb = matching[0]
  if (pdb === undefined || pdbInfo === undefined) {
    remove()
    return success
  }
  const pdbMeta = object(pdb['metadata'])
  const pdbName = scalarText(pdbMeta['name'])
  const status = object(pdb['status'])
  // An unready pod does not count as healthy: evicting it costs the budget nothing.
  if (
    !isReady(pod) &&
    number(status['currentHealthy']) >= number(status['desiredHealthy']) &&
    number(status['desiredHealthy']) > 0
  ) {
    remove()
    return success
  }
  // checkAndDecrement.
  if (number(status['observedGeneration']) < number(pdbMeta['generation'])) {
    throw tooManyRequests(
      `The disruption budget ${pdbName} is still being processed by the server.`,
      10,
    )
  }
  const allowed = number(status['disruptionsAllowed'])
  if (allowed < 0) {
    throw forbidden(
      { group: 'policy', resource: 'poddisruptionbudget' },
      pdbName,
      'pdb disruptions allowed is negative',
    )
  }
  if (allowed === 0) {
    throw tooManyRequests(
      `The disruption budget ${pdbName} needs ${number(status['desiredHealthy'])} healthy pods and has ${number(status['currentHealthy'])} currently`,
      0,
    )
  }
  if (!dryRun) {
    const nextStatus: JsonObject = {
      ...status,
      disruptionsAllowed: allowed - 1,
      disruptedPods: { ...object(status['disruptedPods']), [name]: nowTime() },
    }
    registry.update(pdbInfo, namespace, pdbName, { ...pdb, status: nextStatus }, 'status', {
      dryRun: false,
      fieldManager: 'kube-apiserver',
      fieldValidation: 'Ignore',
      warnings: [],
    })
  }
  remove()
  return success
}
