// Options of the operations, named after the apiserver's query parameters and meta/v1 option
// types (GetOptions, ListOptions, CreateOptions, UpdateOptions, PatchOptions, DeleteOptions).
import type { LabelSelector } from './selectors.js'
import type { AnyResource, CollectionScope } from './types.js'

// Every optional property also takes `undefined` (treated as absent), so callers compiled with
// `exactOptionalPropertyTypes` can pass values they may not have (`continue: page.metadata?.continue`).

/**
 * What every operation takes.
 *
 * @example
 * const options: OperationOptions = { signal: AbortSignal.timeout(5_000) }
 */
export interface OperationOptions {
  /** aborts the request (the connection's `K8S_CODEGEN_CLUSTER_ABORTED`, or `…_TIMEOUT` for `AbortSignal.timeout`) */
  signal?: AbortSignal | undefined
}

/**
 * Options of a write (meta/v1 CreateOptions / UpdateOptions / PatchOptions).
 *
 * @example
 * const options: WriteOptions = { dryRun: 'All', fieldValidation: 'Strict', fieldManager: 'deployer' }
 */
export interface WriteOptions extends OperationOptions {
  /** `'All'`: validate and admit, but persist nothing */
  dryRun?: 'All' | undefined
  /** unknown or duplicate fields: `Strict` fails (400), `Warn` (the server's default) warns, `Ignore` drops them silently */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore' | undefined
  /** the manager recorded in `managedFields`; default the client's `fieldManager` */
  fieldManager?: string | undefined
}

/**
 * Options of `get`.
 *
 * @example
 * const options: GetOptions = { resourceVersion: '0' }
 */
export interface GetOptions extends OperationOptions {
  /** `'0'`: any version the server has (may be stale); unset: the latest */
  resourceVersion?: string | undefined
}

/**
 * Label and field selection of a collection: a selector string (checked as the apiserver parses
 * it before anything is sent) or its object form — a meta/v1 LabelSelector (a Deployment's
 * `spec.selector`) and a map of field equalities.
 *
 * @example
 * const selection: Selection = { labelSelector: { matchLabels: { app: 'web' } }, fieldSelector: { 'status.phase': 'Running' } }
 */
export interface Selection {
  labelSelector?: string | LabelSelector | undefined
  fieldSelector?: string | { readonly [field: string]: string } | undefined
}

/**
 * Options of `list` (one page; meta/v1 ListOptions).
 *
 * @example
 * const options: ListOptions<typeof ConfigMap> = { namespace: 'web', labelSelector: 'app=web', limit: 100 }
 */
export type ListOptions<R extends AnyResource> = CollectionScope<R> &
  Selection &
  OperationOptions & {
    /** at most this many items; the answer's `metadata.continue` fetches the next page */
    limit?: number | undefined
    continue?: string | undefined
    resourceVersion?: string | undefined
    resourceVersionMatch?: 'Exact' | 'NotOlderThan' | undefined
    timeoutSeconds?: number | undefined
  }

/**
 * Options of `create` and `replace`: the namespace comes from the body's `metadata.namespace`
 * or from here (not both, unless equal). `validate` checks the object before sending it, as the
 * apiserver would (default: the client's `validate`).
 *
 * @example
 * const options: CreateOptions<typeof ConfigMap> = { namespace: 'web', dryRun: 'All', validate: true }
 */
export type CreateOptions<R extends AnyResource> = CollectionScope<R> &
  WriteOptions & {
    /**
     * refuse an object the apiserver would refuse (its 422, or under `fieldValidation: 'Strict'`
     * its 400 for unknown fields) with the StatusError it would answer, before sending it
     */
    validate?: boolean | undefined
  }

/**
 * Options of `replaceStatus` (the server validates only `status` there: nothing is validated
 * before sending).
 *
 * @example
 * const options: ReplaceStatusOptions<typeof Deployment> = { fieldManager: 'controller' }
 */
export type ReplaceStatusOptions<R extends AnyResource> = CollectionScope<R> & WriteOptions

/**
 * Options of server-side apply (meta/v1 PatchOptions with `application/apply-patch+yaml`).
 *
 * @example
 * const options: ApplyOptions = { fieldManager: 'deployer', force: true }
 */
export interface ApplyOptions extends WriteOptions {
  /** take over fields other managers own instead of failing with a 409 conflict */
  force?: boolean | undefined
}

/**
 * Options of `delete` (meta/v1 DeleteOptions, sent as the body as kubectl does).
 *
 * @example
 * const options: DeleteOptions = { propagationPolicy: 'Foreground', preconditions: { resourceVersion: '42' } }
 */
export interface DeleteOptions extends OperationOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground' | undefined
  gracePeriodSeconds?: number | undefined
  /** fail with 409 Conflict unless the object still has this uid / resourceVersion */
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined
  dryRun?: 'All' | undefined
}

/**
 * Options of `deleteCollection`: which objects (as `list` selects them) and how to delete them.
 *
 * @example
 * const options: DeleteCollectionOptions<typeof ConfigMap> = { namespace: 'web', labelSelector: 'tmp=true' }
 */
export type DeleteCollectionOptions<R extends AnyResource> = CollectionScope<R> &
  Selection &
  DeleteOptions
