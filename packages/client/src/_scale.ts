// Internal: PUT of the scale subresource, whose body is an autoscaling/v1 Scale naming the
// object (client-go typed clients' UpdateScale).
import type { ResourceInfo } from '@k8s-codegen/runtime'

import { pathOf, targetOf, writeQuery } from './_resolve.js'
import { requestJson, type ClientContext } from './_transport.js'
import { ClientError } from './errors.js'
import type { WriteOptions } from './options.js'

export async function replaceScale(
  context: ClientContext,
  resource: ResourceInfo,
  target: { namespace?: unknown; name?: unknown },
  scale: unknown,
  options: WriteOptions = {},
): Promise<unknown> {
  const at = targetOf(resource, target)
  if (typeof scale !== 'object' || scale === null)
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
      `replaceScale ${resource.kind}: the scale must be an autoscaling/v1 Scale object`,
    )
  const given = scale as { metadata?: Record<string, unknown> | null }
  // The Scale names the object the path names (the apiserver refuses a mismatch).
  const body = {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    ...given,
    metadata: { ...given.metadata, ...at },
  }
  return await requestJson(context, {
    method: 'PUT',
    path: pathOf(resource, { ...at, subresource: 'scale' }),
    query: writeQuery(context, options),
    body,
    signal: options.signal,
    target: { resource, name: at.name },
  })
}
