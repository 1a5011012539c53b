// Internal: PATCH in its four content types (apiserver pkg/endpoints/handlers/patch.go
// `PatchResource`): merge, JSON and strategic merge patches, and server-side apply.
import type { ResourceInfo } from '@k8s-codegen/runtime'

import { bodyLocation, pathOf, targetOf, writeQuery } from './_resolve.js'
import { requestJson, type ClientContext } from './_transport.js'
import { ClientError } from './errors.js'
import type { ApplyOptions, WriteOptions } from './options.js'

// types.ts BuiltinGroup, at run time: the groups kube-apiserver serves from compiled Go types.
const BUILTIN_GROUPS: ReadonlySet<string> = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
])

const CONTENT_TYPES = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const

// The one patch a `{ merge } | { json } | { strategic }` argument holds.
function patchOf(
  resource: ResourceInfo,
  patch: unknown,
): { type: keyof typeof CONTENT_TYPES; body: unknown } {
  const given =
    typeof patch === 'object' && patch !== null
      ? (Object.keys(CONTENT_TYPES) as (keyof typeof CONTENT_TYPES)[]).filter(
          (key) => (patch as Record<string, unknown>)[key] !== undefined,
        )
      : []
  const type = given[0]
  if (given.length !== 1 || type === undefined)
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
      `patch ${resource.kind}: give exactly one of { merge }, { json } or { strategic }`,
    )
  const body = (patch as Record<string, unknown>)[type]
  if (type === 'json' && !Array.isArray(body))
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
      `patch ${resource.kind}: a JSON patch is a list of operations`,
    )
  // apiextensions-apiserver serves custom resources with merge and JSON patch only (415 for
  // strategic merge, which needs the compiled Go type's patch strategies).
  if (type === 'strategic' && !BUILTIN_GROUPS.has(resource.group))
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_UNSUPPORTED_PATCH',
      `patch ${resource.kind} (${resource.apiVersion}): strategic merge patch needs a built-in kind; use { merge } or { json } for a custom resource`,
    )
  return { type, body }
}

export async function patch(
  context: ClientContext,
  resource: ResourceInfo,
  target: { namespace?: unknown; name?: unknown },
  patchArgument: unknown,
  options: WriteOptions = {},
  subresource?: string,
): Promise<unknown> {
  const at = targetOf(resource, target)
  const { type, body } = patchOf(resource, patchArgument)
  return await requestJson(context, {
    method: 'PATCH',
    path: pathOf(resource, { ...at, subresource }),
    query: writeQuery(context, options),
    body,
    contentType: CONTENT_TYPES[type],
    signal: options.signal,
    target: { resource, name: at.name },
  })
}

// Server-side apply: the configuration as the body of `application/apply-patch+yaml` (JSON is
// YAML), with a field manager — the apiserver requires one for apply (handlers/patch.go).
export async function apply(
  context: ClientContext,
  resource: ResourceInfo,
  config: unknown,
  options: ApplyOptions = {},
): Promise<unknown> {
  const at = bodyLocation(resource, config, undefined, 'apply')
  const fieldManager = options.fieldManager ?? context.fieldManager
  if (fieldManager === undefined || fieldManager === '')
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
      `apply ${resource.kind}: server-side apply needs a fieldManager (in the options or createClient({ fieldManager }))`,
    )
  return await requestJson(context, {
    method: 'PATCH',
    path: pathOf(resource, at),
    query: { ...writeQuery(context, options), fieldManager, force: options.force },
    body: config,
    contentType: 'application/apply-patch+yaml',
    signal: options.signal,
    target: { resource, name: at.name },
  })
}
