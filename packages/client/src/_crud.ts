// Internal: get, list (one page), create, replace, delete and deleteCollection, after client-go's
// typed clients (`gentype.Client` Get/List/Create/Update/Delete/DeleteCollection): one request
// each to the descriptor's path.
import type { ResourceInfo } from '@k8s-codegen/runtime'

import { bodyLocation, pathOf, selectionQuery, targetOf, writeQuery } from './_resolve.js'
import { requestJson, withQuery, type ClientContext } from './_transport.js'
import { validateBeforeSending } from './_validate.js'
import type { DeleteOptions, GetOptions, Selection, WriteOptions } from './options.js'

type Loose = Record<string, unknown>
type ListInput = Selection & Loose & { namespace?: unknown; signal?: AbortSignal }
type BodyOptions = WriteOptions & { namespace?: unknown; validate?: boolean | undefined }

export async function get(
  context: ClientContext,
  resource: ResourceInfo,
  target: { namespace?: unknown; name?: unknown },
  options: GetOptions = {},
  subresource?: string,
): Promise<unknown> {
  const at = targetOf(resource, target)
  return await requestJson(context, {
    method: 'GET',
    path: pathOf(resource, { ...at, subresource }),
    query: { resourceVersion: options.resourceVersion },
    signal: options.signal,
    target: { resource, name: at.name },
  })
}

export async function list(
  context: ClientContext,
  resource: ResourceInfo,
  options: ListInput = {},
): Promise<unknown> {
  const namespace = collectionNamespace(resource, options.namespace)
  return await requestJson(context, {
    method: 'GET',
    path: pathOf(resource, { namespace }),
    query: {
      ...selectionQuery(options),
      limit: options['limit'] as number | undefined,
      continue: options['continue'] as string | undefined,
      resourceVersion: options['resourceVersion'] as string | undefined,
      resourceVersionMatch: options['resourceVersionMatch'] as string | undefined,
      timeoutSeconds: options['timeoutSeconds'] as number | undefined,
    },
    signal: options.signal,
    target: { resource },
  })
}

export async function create(
  context: ClientContext,
  resource: ResourceInfo,
  body: unknown,
  options: BodyOptions = {},
): Promise<unknown> {
  const at = bodyLocation(resource, body, options.namespace, 'create', true)
  const path = pathOf(resource, { namespace: at.namespace })
  const query = writeQuery(context, options)
  await validateBeforeSending(context, {
    resource,
    body,
    validate: options.validate,
    fieldValidation: options.fieldValidation,
    method: 'POST',
    path: withQuery(path, query),
  })
  return await requestJson(context, {
    method: 'POST',
    path,
    query,
    body,
    signal: options.signal,
    target: { resource, name: at.name },
  })
}

// PUT replaces the whole object; the body's resourceVersion makes it conditional (a stale one
// is a 409 Conflict; custom resources require one).
export async function replace(
  context: ClientContext,
  resource: ResourceInfo,
  body: unknown,
  options: BodyOptions = {},
  subresource?: string,
): Promise<unknown> {
  const at = bodyLocation(resource, body, options.namespace, 'replace')
  const path = pathOf(resource, { ...at, subresource })
  const query = writeQuery(context, options)
  // A status write is validated by the server against the status schema only.
  if (subresource === undefined)
    await validateBeforeSending(context, {
      resource,
      body,
      validate: options.validate,
      fieldValidation: options.fieldValidation,
      method: 'PUT',
      path: withQuery(path, query),
    })
  return await requestJson(context, {
    method: 'PUT',
    path,
    query,
    body,
    signal: options.signal,
    target: { resource, name: at.name },
  })
}

// meta/v1 DeleteOptions as the body, as kubectl and client-go send it.
function deleteBody(options: DeleteOptions): Loose {
  const body: Loose = { kind: 'DeleteOptions', apiVersion: 'v1' }
  if (options.propagationPolicy !== undefined) body['propagationPolicy'] = options.propagationPolicy
  if (options.gracePeriodSeconds !== undefined)
    body['gracePeriodSeconds'] = options.gracePeriodSeconds
  if (options.preconditions !== undefined) body['preconditions'] = options.preconditions
  if (options.dryRun !== undefined) body['dryRun'] = [options.dryRun]
  return body
}

export async function remove(
  context: ClientContext,
  resource: ResourceInfo,
  target: { namespace?: unknown; name?: unknown },
  options: DeleteOptions = {},
): Promise<unknown> {
  const at = targetOf(resource, target)
  return await requestJson(context, {
    method: 'DELETE',
    path: pathOf(resource, at),
    body: deleteBody(options),
    signal: options.signal,
    target: { resource, name: at.name },
  })
}

export async function removeCollection(
  context: ClientContext,
  resource: ResourceInfo,
  options: DeleteOptions & ListInput = {},
): Promise<unknown> {
  const namespace = collectionNamespace(resource, options.namespace)
  return await requestJson(context, {
    method: 'DELETE',
    path: pathOf(resource, { namespace }),
    query: selectionQuery(options),
    body: deleteBody(options),
    signal: options.signal,
    target: { resource },
  })
}

function collectionNamespace(resource: ResourceInfo, namespace: unknown): string | undefined {
  if (namespace === undefined) return undefined
  // The descriptor's path() rejects a namespace for a cluster-scoped kind and a bad name.
  return namespace as string
}
