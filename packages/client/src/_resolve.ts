// Internal: from an operation's arguments to a path, a query and a target, with the run-time
// checks of what the types already say (for callers without them) and of what only a value can
// tell (the namespace of a body against the options).
import type { ResourceInfo } from '@k8s-codegen/runtime'

import type { ClientContext, QueryValues } from './_transport.js'
import { ClientError } from './errors.js'
import type { Selection, WriteOptions } from './options.js'
import {
  fieldSelectorString,
  labelSelectorString,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors.js'

/** Where a request goes. */
export interface Location {
  namespace?: string | undefined
  name?: string | undefined
  subresource?: string | undefined
}

// Descriptors type `path()` per kind; here it is called with checked values (the descriptor
// validates names and namespaces itself and throws ResourcePathError).
type PathBuilder = { path(options: Location): string }

/** The descriptor's REST path for a location. */
export function pathOf(resource: ResourceInfo, location: Location): string {
  const options: Location = {}
  if (location.namespace !== undefined) options.namespace = location.namespace
  if (location.name !== undefined) options.name = location.name
  if (location.subresource !== undefined) options.subresource = location.subresource
  return (resource as unknown as PathBuilder).path(options)
}

function invalid(message: string): ClientError {
  return new ClientError('K8S_CODEGEN_CLIENT_INVALID_ARGUMENT', message)
}

/** `{ namespace, name }` of an object target, checked against the kind's scope. */
export function targetOf(
  resource: ResourceInfo,
  target: { namespace?: unknown; name?: unknown } | undefined,
): { namespace?: string; name: string } {
  if (typeof target !== 'object' || target === null || typeof target.name !== 'string')
    throw invalid(`${resource.kind}: the target must be an object with a name`)
  if (resource.namespaced && typeof target.namespace !== 'string')
    throw invalid(`${resource.kind} is namespaced: the target needs a namespace`)
  if (!resource.namespaced && target.namespace !== undefined)
    throw invalid(`${resource.kind} is cluster-scoped: the target cannot have a namespace`)
  return resource.namespaced
    ? { namespace: target.namespace as string, name: target.name }
    : { name: target.name }
}

interface BodyLike {
  apiVersion?: unknown
  kind?: unknown
  metadata?: { name?: unknown; namespace?: unknown } | null
}

/**
 * The location a body names: its `metadata.name` (required unless `nameOptional`, for a create
 * with `generateName`) and namespace — the body's or the option's, which must agree; checks that
 * the body is this kind.
 */
export function bodyLocation(
  resource: ResourceInfo,
  body: unknown,
  namespaceOption: unknown,
  operation: string,
  nameOptional = false,
): { namespace?: string; name?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid(`${operation} ${resource.kind}: the body must be an object`)
  const b = body as BodyLike
  if (b.apiVersion !== undefined && b.apiVersion !== resource.apiVersion)
    throw invalid(
      `${operation} ${resource.kind}: the body's apiVersion ${JSON.stringify(b.apiVersion)} is not ${resource.apiVersion}`,
    )
  if (b.kind !== undefined && b.kind !== resource.kind)
    throw invalid(
      `${operation} ${resource.kind}: the body's kind ${JSON.stringify(b.kind)} is not ${resource.kind}`,
    )
  const name = b.metadata?.name
  if (name !== undefined && typeof name !== 'string')
    throw invalid(`${operation} ${resource.kind}: metadata.name must be a string`)
  if (name === undefined && !nameOptional)
    throw invalid(`${operation} ${resource.kind}: the body needs metadata.name`)
  const fromBody = b.metadata?.namespace
  if (!resource.namespaced) {
    if (fromBody !== undefined || namespaceOption !== undefined)
      throw invalid(`${operation} ${resource.kind}: a cluster-scoped kind takes no namespace`)
    return name === undefined ? {} : { name }
  }
  if (fromBody !== undefined && namespaceOption !== undefined && fromBody !== namespaceOption)
    // The apiserver refuses this too (400: "the namespace of the provided object does not match
    // the namespace sent on the request").
    throw invalid(
      `${operation} ${resource.kind}: metadata.namespace ${JSON.stringify(fromBody)} differs from the namespace option ${JSON.stringify(namespaceOption)}`,
    )
  const namespace = fromBody ?? namespaceOption
  if (typeof namespace !== 'string')
    throw invalid(
      `${operation} ${resource.kind}: a namespaced kind needs metadata.namespace or the namespace option (the client's default namespace is client.namespace)`,
    )
  return name === undefined ? { namespace } : { namespace, name }
}

/** dryRun / fieldValidation / fieldManager as query values (meta/v1 CreateOptions & co.). */
export function writeQuery(context: ClientContext, options: WriteOptions | undefined): QueryValues {
  return {
    dryRun: options?.dryRun,
    fieldValidation: options?.fieldValidation,
    fieldManager: options?.fieldManager ?? context.fieldManager,
  }
}

/** labelSelector / fieldSelector as query values, checked (object forms printed). */
export function selectionQuery(selection: Selection | undefined): QueryValues {
  const labels = selection?.labelSelector
  const fields = selection?.fieldSelector
  return {
    labelSelector:
      labels === undefined
        ? undefined
        : typeof labels === 'string'
          ? parseLabelSelector(labels)
          : emptyToUndefined(labelSelectorString(labels)),
    fieldSelector:
      fields === undefined
        ? undefined
        : typeof fields === 'string'
          ? parseFieldSelector(fields)
          : emptyToUndefined(fieldSelectorString(fields)),
  }
}

function emptyToUndefined(value: string): string | undefined {
  return value === '' ? undefined : value
}
