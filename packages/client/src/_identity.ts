// How the streaming operations identify an object: its namespace and name (its key) and its
// resourceVersion.

type Metadata = { namespace?: unknown; name?: unknown; resourceVersion?: unknown } | undefined

function metadataOf(object: unknown): Metadata {
  return typeof object === 'object' && object !== null
    ? (object as { metadata?: Metadata }).metadata
    : undefined
}

/** `metadata.namespace` ('' when absent: a cluster-scoped object). */
export function namespaceOf(object: unknown): string {
  const namespace = metadataOf(object)?.namespace
  return typeof namespace === 'string' ? namespace : ''
}

/** `metadata.name` ('' when absent). */
export function nameOf(object: unknown): string {
  const name = metadataOf(object)?.name
  return typeof name === 'string' ? name : ''
}

/** `namespace/name`: the order lists are served in (etcd keys), and a watch's identity. */
export function keyOf(object: unknown): string {
  return `${namespaceOf(object)}/${nameOf(object)}`
}

/** `metadata.resourceVersion` of an object ('' when absent). */
export function resourceVersionOf(object: unknown): string {
  const resourceVersion = metadataOf(object)?.resourceVersion
  return typeof resourceVersion === 'string' ? resourceVersion : ''
}
