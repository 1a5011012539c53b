// createClient(): a connection (made from kubeconfig exactly as `k8s-codegen fetch` makes it, or
// given) plus the client's defaults, behind the operations.
import { loadConnection, type Connection, type LoadConnectionOptions } from '@k8s-codegen/cluster'

import type { ListOf, ObjectOf } from '@k8s-codegen/runtime'

import * as crud from './_crud.js'
import * as patches from './_patch.js'
import { replaceScale } from './_scale.js'
import { attachContext, type ClientContext } from './_transport.js'
import { validationState } from './_validate.js'
import { streamingOperations, type StreamingOperations } from './streaming.js'
import type {
  ApplyOptions,
  CreateOptions,
  DeleteCollectionOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  ReplaceStatusOptions,
  WriteOptions,
} from './options.js'
import type { Scale } from './scale.js'
import type { Status } from './status.js'
import type { AnyResource, ApplyOf, ObjectTarget, PatchOf, WithSubresource } from './types.js'
import type { Warning } from './warnings.js'

// client-go `rest/request.go` `NewRequest`: `maxRetries: 10`.
const DEFAULT_RETRIES = 10

/**
 * What the client adds to a connection.
 *
 * @example
 * const options: ClientOptions = { fieldManager: 'my-operator', onWarning: (w) => log.warn(w.text) }
 */
export interface ClientOptions {
  /**
   * Called with each `Warning` header the apiserver sends (deprecated APIs, unknown fields under
   * `fieldValidation: 'Warn'`, admission warnings); nothing is printed. Default: ignored.
   */
  onWarning?: (warning: Warning) => void
  /** The field manager of every write that names none (required by server-side apply). */
  fieldManager?: string
  /**
   * Extra attempts per request when the server asks for one (a 429 or 5xx with `Retry-After`);
   * default 10, client-go's `maxRetries` (`rest/request.go` `NewRequest`); each waits the
   * server's Retry-After in full, as client-go does, until the call's `signal` ends it.
   */
  retries?: number
  /**
   * Validate every `create` and `replace` before sending it, as the apiserver would
   * (`@k8s-codegen/validation`, loaded on first use): an object it would refuse is the
   * `StatusError` it would answer, and nothing is sent. A call's `validate` overrides this.
   * Default false.
   */
  validate?: boolean
  /**
   * The OpenAPI v3 documents validation reads, by group-version key (`api/v1`,
   * `apis/apps/v1`) — e.g. from the k8s-codegen lockfile (`loadSpecSet` of
   * `@k8s-codegen/openapi`) — so nothing is fetched. Default: the cluster's `/openapi/v3`
   * document of the group-version, as kubectl fetches it, kept per client by the hash the
   * `/openapi/v3` index gives.
   */
  validationDocuments?: Readonly<Record<string, unknown>>
}

/**
 * `createClient()` options: kubectl's connection flags (`kubeconfig`, `context`, `cluster`,
 * `user`, `namespace`, `token`, `server`, …, as `k8s-codegen fetch` takes them) or an existing
 * `connection`, plus {@link ClientOptions}. The connection's own warnings (TLS verification
 * disabled, a token file that vanished) go to `onConnectionWarning`.
 *
 * @example
 * const options: CreateClientOptions = { context: 'prod', fieldManager: 'deployer' }
 */
export type CreateClientOptions =
  | (Omit<LoadConnectionOptions, 'onWarning'> &
      ClientOptions & {
        connection?: undefined
        onConnectionWarning?: (message: string) => void
      })
  | (ClientOptions & { connection: Connection })

/**
 * A client for one API server. Operations take a generated descriptor first and are typed by it:
 * objects are `ObjectOf<typeof Kind>`, lists `ListOf<typeof Kind>`, exactly the JSON the server
 * sent. Failures are `StatusError` (non-2xx), `ClientError` (`K8S_CODEGEN_CLIENT_*`), the
 * descriptor's `ResourcePathError` (a bad name or namespace) or the connection's `ClusterError`.
 *
 * @example
 * const k8s = await createClient({ context: 'prod', fieldManager: 'deployer' })
 * try {
 *   const d = await k8s.get(Deployment, { namespace: 'web', name: 'api' })
 *   await k8s.apply(Deployment, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'web' }, spec: { replicas: 3 } })
 * } finally {
 *   await k8s.close()
 * }
 */
export interface Client extends StreamingOperations {
  /** the authenticated connection every request goes through */
  readonly connection: Connection
  /** the namespace of the kubeconfig context (or `--namespace`), `default` when none */
  readonly namespace: string

  /** GET one object. */
  get<R extends AnyResource>(
    resource: R,
    target: ObjectTarget<R>,
    options?: GetOptions,
  ): Promise<ObjectOf<R>>
  /**
   * GET one page of a collection: all namespaces unless `namespace`; `limit` and the answer's
   * `metadata.continue` page through it.
   */
  list<R extends AnyResource>(resource: R, options?: ListOptions<R>): Promise<ListOf<R>>
  /** POST a new object; its namespace from `metadata.namespace` or `options.namespace`. */
  create<R extends AnyResource>(
    resource: R,
    body: ObjectOf<R>,
    options?: CreateOptions<R>,
  ): Promise<ObjectOf<R>>
  /** PUT the whole object; with `metadata.resourceVersion` it fails with 409 if it changed since. */
  replace<R extends AnyResource>(
    resource: R,
    body: ObjectOf<R>,
    options?: CreateOptions<R>,
  ): Promise<ObjectOf<R>>
  /** PATCH with `{ merge }`, `{ json }` or — built-in kinds only — `{ strategic }`. */
  patch<R extends AnyResource>(
    resource: R,
    target: ObjectTarget<R>,
    patch: PatchOf<R>,
    options?: WriteOptions,
  ): Promise<ObjectOf<R>>
  /**
   * Server-side apply: the fields `config` sets become owned by the field manager (options or
   * the client's); a field another manager owns is a 409 conflict unless `force`.
   */
  apply<R extends AnyResource>(
    resource: R,
    config: ApplyOf<R>,
    options?: ApplyOptions,
  ): Promise<ObjectOf<R>>
  /**
   * DELETE one object: the object (custom resources, or while finalizers hold it) or a Success
   * `Status`, as the server answers.
   */
  delete<R extends AnyResource>(
    resource: R,
    target: ObjectTarget<R>,
    options?: DeleteOptions,
  ): Promise<ObjectOf<R> | Status>
  /** DELETE the selected objects of a collection; the server answers the deleted list or a Status. */
  deleteCollection<R extends AnyResource>(
    resource: R,
    options?: DeleteCollectionOptions<R>,
  ): Promise<ListOf<R> | Status>

  /** GET the status subresource. */
  getStatus<R extends WithSubresource<'status'>>(
    resource: R,
    target: ObjectTarget<R>,
    options?: GetOptions,
  ): Promise<ObjectOf<R>>
  /** PUT the status subresource: only `status` changes. */
  replaceStatus<R extends WithSubresource<'status'>>(
    resource: R,
    body: ObjectOf<R>,
    options?: ReplaceStatusOptions<R>,
  ): Promise<ObjectOf<R>>
  /** PATCH the status subresource. */
  patchStatus<R extends WithSubresource<'status'>>(
    resource: R,
    target: ObjectTarget<R>,
    patch: PatchOf<R>,
    options?: WriteOptions,
  ): Promise<ObjectOf<R>>
  /** GET the scale subresource (autoscaling/v1 Scale). */
  getScale<R extends WithSubresource<'scale'>>(
    resource: R,
    target: ObjectTarget<R>,
    options?: GetOptions,
  ): Promise<Scale>
  /** PUT the scale subresource; its metadata names the target. */
  replaceScale<R extends WithSubresource<'scale'>>(
    resource: R,
    target: ObjectTarget<R>,
    scale: Scale,
    options?: WriteOptions,
  ): Promise<Scale>
  /** PATCH the scale subresource (`{ merge }`, `{ json }`, `{ strategic }` for built-in kinds). */
  patchScale<R extends WithSubresource<'scale'>>(
    resource: R,
    target: ObjectTarget<R>,
    patch: PatchOf<R, Scale>,
    options?: WriteOptions,
  ): Promise<Scale>

  /** closes the connection if the client opened it; a given connection stays open */
  close(): Promise<void>
}

/**
 * Makes a client: loads the connection like `k8s-codegen fetch` does (same options, nothing is
 * sent until the first operation) or wraps the given one.
 *
 * @example
 * const k8s = await createClient({ kubeconfig: './kubeconfig', context: 'dev', fieldManager: 'me' })
 * const fromConnection = await createClient({ connection: await loadConnection({ context: 'dev' }) })
 */
export async function createClient(options: CreateClientOptions = {}): Promise<Client> {
  const owned = options.connection === undefined
  const connection = options.connection ?? (await loadConnection(connectionOptions(options)))
  const context: ClientContext = {
    connection,
    onWarning: options.onWarning ?? (() => undefined),
    fieldManager: options.fieldManager,
    retries: options.retries ?? DEFAULT_RETRIES,
    served: new Map(),
    validate: options.validate ?? false,
    validation: validationState(options.validationDocuments),
  }
  // The implementations are typed loosely (the exact types live on the interface), as the
  // runtime's descriptors are: a consumer's compiler never relates them to the generics.
  const methods: Record<keyof Client, unknown> = {
    connection,
    namespace: connection.describe().namespace,
    get: (r: AnyResource, t: Loose, o?: GetOptions) => crud.get(context, r, t, o),
    list: (r: AnyResource, o?: Loose) => crud.list(context, r, o),
    create: (r: AnyResource, b: unknown, o?: Loose) => crud.create(context, r, b, o),
    replace: (r: AnyResource, b: unknown, o?: Loose) => crud.replace(context, r, b, o),
    patch: (r: AnyResource, t: Loose, p: unknown, o?: WriteOptions) =>
      patches.patch(context, r, t, p, o),
    apply: (r: AnyResource, c: unknown, o?: ApplyOptions) => patches.apply(context, r, c, o),
    delete: (r: AnyResource, t: Loose, o?: DeleteOptions) => crud.remove(context, r, t, o),
    deleteCollection: (r: AnyResource, o?: Loose) => crud.removeCollection(context, r, o),
    getStatus: (r: AnyResource, t: Loose, o?: GetOptions) => crud.get(context, r, t, o, 'status'),
    replaceStatus: (r: AnyResource, b: unknown, o?: Loose) =>
      crud.replace(context, r, b, o, 'status'),
    patchStatus: (r: AnyResource, t: Loose, p: unknown, o?: WriteOptions) =>
      patches.patch(context, r, t, p, o, 'status'),
    getScale: (r: AnyResource, t: Loose, o?: GetOptions) => crud.get(context, r, t, o, 'scale'),
    replaceScale: (r: AnyResource, t: Loose, s: unknown, o?: WriteOptions) =>
      replaceScale(context, r, t, s, o),
    patchScale: (r: AnyResource, t: Loose, p: unknown, o?: WriteOptions) =>
      patches.patch(context, r, t, p, o, 'scale'),
    close: () => (owned ? connection.close() : Promise.resolve()),
    // The streaming half (watch, listPages/listAll, logs, evict, proxy): streaming.ts.
    ...streamingOperations(context),
  }
  return attachContext(methods as unknown as Client, context)
}

type Loose = Record<string, unknown>

type LoadOptions = Extract<CreateClientOptions, { connection?: undefined }>

// The connection's options: everything but the client's own and the connection warning handler
// under its connection name.
function connectionOptions(options: LoadOptions): LoadConnectionOptions {
  const rest: Record<string, unknown> = { ...options }
  for (const key of [
    'onConnectionWarning',
    'onWarning',
    'fieldManager',
    'retries',
    'validate',
    'validationDocuments',
    'connection',
  ])
    delete rest[key]
  const result = rest as LoadConnectionOptions
  return options.onConnectionWarning === undefined
    ? result
    : { ...result, onWarning: options.onConnectionWarning }
}
