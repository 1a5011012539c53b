// Eviction: `POST …/pods/{name}/eviction` with a policy/v1 `Eviction` (kubernetes
// `pkg/registry/core/pod/storage/eviction.go`). The apiserver deletes the pod unless a
// PodDisruptionBudget forbids it, which is a 429 TooManyRequests (`isTooManyRequests`) with a
// `DisruptionBudget` cause; kubectl drain retries those every 5 s, this leaves it to the caller.
// Only descriptors with an `eviction` subresource (core/v1 Pod) compile.
import type { ResourceInfo, SubresourceInfo } from '@k8s-codegen/runtime'

import { pathOf } from './_resolve.js'
import { requestJson, type ClientContext } from './_transport.js'

/**
 * A descriptor whose objects can be evicted (`pods/eviction`): generated core/v1 Pod.
 *
 * @example
 * const pods: EvictionResource = Pod
 */
export type EvictionResource = ResourceInfo & {
  readonly subresources: { readonly eviction: SubresourceInfo }
}

/**
 * `metav1.DeleteOptions` carried by an Eviction.
 *
 * @example
 * const options: EvictionDeleteOptions = { gracePeriodSeconds: 0, preconditions: { uid: '…' } }
 */
export interface EvictionDeleteOptions {
  gracePeriodSeconds?: number
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground'
  preconditions?: { uid?: string; resourceVersion?: string }
  dryRun?: ['All']
}

/**
 * The `Success` Status the apiserver answers an eviction with.
 *
 * @example
 * const s: EvictionStatus = { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 }
 */
export interface EvictionStatus {
  kind: 'Status'
  apiVersion: 'v1'
  status: 'Success'
  code?: number
  metadata?: Record<string, unknown>
}

/** Evicts one pod. */
export async function evict(
  context: ClientContext,
  resource: EvictionResource,
  target: { namespace: string; name: string },
  options: { deleteOptions?: EvictionDeleteOptions; signal?: AbortSignal } = {},
): Promise<EvictionStatus> {
  const eviction = {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: target.name, namespace: target.namespace },
    ...(options.deleteOptions === undefined ? {} : { deleteOptions: options.deleteOptions }),
  }
  return requestJson<EvictionStatus>(context, {
    method: 'POST',
    path: pathOf(resource, {
      namespace: target.namespace,
      name: target.name,
      subresource: 'eviction',
    }),
    body: eviction,
    signal: options.signal,
    target: { resource, name: target.name },
  })
}
