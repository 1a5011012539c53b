// kubernetes pkg/registry/batch/job/strategy.go PrepareForCreate → generateSelector: unless
// `spec.manualSelector` is true, a new Job's pod template is labelled with its name and uid
// (the legacy and the `batch.kubernetes.io/` keys; a label the client set is kept) and its
// selector matches `batch.kubernetes.io/controller-uid`. kube-apiserver's field manager has run by
// then, so the writer does not own these.
import { isJsonObject, type JsonObject } from './_json.js'

const child = (parent: JsonObject, key: string): JsonObject => {
  if (!isJsonObject(parent[key])) parent[key] = {}
  return parent[key] as JsonObject
}

/**
 * Gives a new Job (in place) its generated selector and template labels, `uid` being its own.
 *
 * @example
 * generateJobSelector(job, 'f150afe8-…') // spec.selector.matchLabels['batch.kubernetes.io/controller-uid']
 */
export function generateJobSelector(job: JsonObject, uid: string): void {
  const spec = child(job, 'spec')
  if (spec['manualSelector'] === true) return
  const name = isJsonObject(job['metadata']) ? job['metadata']['name'] : undefined
  const labels = child(child(child(spec, 'template'), 'metadata'), 'labels')
  for (const key of ['job-name', 'batch.kubernetes.io/job-name']) labels[key] ??= name
  for (const key of ['controller-uid', 'batch.kubernetes.io/controller-uid']) labels[key] ??= uid
  const matchLabels = child(child(spec, 'selector'), 'matchLabels')
  matchLabels['batch.kubernetes.io/controller-uid'] ??= uid
}
