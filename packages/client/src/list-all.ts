// Every page of a collection, as client-go `tools/pager/pager.go` reads them: `limit` (default
// 500, the pager's page size) and `continue` until the server sends no token. When a continue
// token has expired (410 Expired on page 2 or later: page 1's snapshot was compacted),
// `ListPager.List` falls back to one full list at the requested resourceVersion
// (`FullListIfExpired`). An iterator cannot take back what it already yielded, so that full list
// comes as one last page holding only the items after the last one yielded — lists are served in
// key order (namespace/name, etcd's) — so no object is yielded twice, and that page's
// `metadata.resourceVersion` names the newer snapshot its items come from. A 410 on the first
// page (a resourceVersion too old) is thrown, as the pager does.
import type { ListItem, ListOf, ObjectOf, ResourceInfo } from '@k8s-codegen/runtime'

import { keyOf } from './_identity.js'
import { pathOf, selectionQuery } from './_resolve.js'
import { requestJson, type ClientContext } from './_transport.js'
import { isResourceExpired } from './errors.js'
import type { OperationOptions, Selection } from './options.js'
import type { CollectionScope } from './types.js'

/**
 * Options of `listPages` and `listAll`.
 *
 * @example
 * const options: ListAllOptions<typeof ConfigMap> = { namespace: 'web', labelSelector: 'app=api', limit: 100 }
 */
export type ListAllOptions<R extends ResourceInfo> = CollectionScope<R> &
  Selection &
  OperationOptions & {
    /** Page size (`limit`); default 500, client-go's pager's. */
    limit?: number
    /** The first page's `resourceVersion` (and `resourceVersionMatch`), as in ListOptions. */
    resourceVersion?: string
    resourceVersionMatch?: 'Exact' | 'NotOlderThan'
  }

interface ListBody {
  metadata?: { resourceVersion?: string; continue?: string }
  items?: unknown[]
}

// The pages as pager.go requests them; after an expired continue token, the full list at the
// requested resourceVersion comes last, marked `full`.
async function* pagesOf<R extends ResourceInfo>(
  context: ClientContext,
  resource: R,
  options: ListAllOptions<R> | undefined,
): AsyncGenerator<{ page: ListBody; full: boolean }, void, undefined> {
  const limit = options?.limit ?? 500
  const path = pathOf(resource, { namespace: options?.namespace })
  const target = { resource }
  const selectors = selectionQuery(options)
  const requested = {
    resourceVersion: options?.resourceVersion,
    resourceVersionMatch: options?.resourceVersionMatch,
  }
  const signal = options?.signal
  let token: string | undefined
  for (;;) {
    let page: ListBody
    try {
      page = await requestJson<ListBody>(context, {
        method: 'GET',
        path,
        query: { ...selectors, limit, ...(token === undefined ? requested : { continue: token }) },
        signal,
        target,
      })
    } catch (error) {
      if (token === undefined || !isResourceExpired(error)) throw error
      // pager.go List (FullListIfExpired): one full list at the requested resourceVersion.
      const full = await requestJson<ListBody>(context, {
        method: 'GET',
        path,
        query: { ...selectors, resourceVersion: options?.resourceVersion },
        signal,
        target,
      })
      yield { page: full, full: true }
      return
    }
    yield { page, full: false }
    const next = page.metadata?.continue
    if (next === undefined || next === '') return
    token = next
  }
}

/** The pages of a collection as served (after an expiry, the rest as one page; see above). */
export async function* listPages<R extends ResourceInfo>(
  context: ClientContext,
  resource: R,
  options: ListAllOptions<R> | undefined,
): AsyncGenerator<ListOf<R>, void, undefined> {
  let lastKey: string | undefined
  for await (const { page, full } of pagesOf(context, resource, options)) {
    const after = lastKey
    const items = full
      ? (page.items ?? []).filter((item) => after === undefined || keyOf(item) > after)
      : (page.items ?? [])
    yield (full ? { ...page, items } : page) as ListOf<R>
    const last = items[items.length - 1]
    if (last !== undefined) lastKey = keyOf(last)
  }
}

/**
 * The whole collection as one consistent list, as client-go's `ListPager.List` returns it to the
 * reflector: the pages joined, or — a continue token expired — the full list instead of them.
 */
export async function listWhole<R extends ResourceInfo>(
  context: ClientContext,
  resource: R,
  options: ListAllOptions<R> | undefined,
): Promise<{ resourceVersion: string; items: unknown[] }> {
  let resourceVersion: string | undefined
  const items: unknown[] = []
  for await (const { page, full } of pagesOf(context, resource, options)) {
    if (full)
      return { resourceVersion: page.metadata?.resourceVersion ?? '', items: page.items ?? [] }
    resourceVersion ??= page.metadata?.resourceVersion ?? ''
    items.push(...(page.items ?? []))
  }
  return { resourceVersion: resourceVersion ?? '', items }
}

/** Every item of a collection across its pages (built-in list items carry no TypeMeta). */
export async function* listAll<R extends ResourceInfo>(
  context: ClientContext,
  resource: R,
  options: ListAllOptions<R> | undefined,
): AsyncGenerator<ListItem<ObjectOf<R>>, void, undefined> {
  for await (const page of listPages(context, resource, options)) {
    for (const item of (page as ListBody).items ?? []) yield item as ListItem<ObjectOf<R>>
  }
}
