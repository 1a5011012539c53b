// How the streaming operations identify an object: its key and its resourceVersion.

/** `namespace/name`: the order lists are served in (etcd keys), and a watch's identity. */
export function keyOf(object: unknown): string {
  const metadata =
    typeof object === 'object' && object !== null
      ? (object as { metadata?: { namespace?: unknown; name?: unknown } }).metadata
      : undefined
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : ''
  const name = typeof metadata?.name === 'string' ? metadata.name : ''
  return `${namespace}/${name}`
}

/** `metadata.resourceVersion` of an object ('' when absent). */
export function resourceVersionOf(object: unknown): string {
  const metadata =
    typeof object === 'object' && object !== null
      ? (object as { metadata?: { resourceVersion?: unknown } }).metadata
      : undefined
  return typeof metadata?.resourceVersion === 'string' ? metadata.resourceVersion : ''
}
