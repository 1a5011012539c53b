// createClient(): a connection (made from kubeconfig exactly as `k8s-codegen fetch` makes it, or
// given) plus the client's defaults, behind the operations.
import { loadConnection, type Connection, type LoadConnectionOptions } from '@k8s-codegen/cluster'

import { attachContext, type ClientContext } from './_transport.js'
import { streamingOperations, type StreamingOperations } from './streaming.js'
import type { Warning } from './warnings.js'

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
  /** Extra attempts per request where the method allows them; default the connection's (4). */
  retries?: number
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
 * A client for one API server. Operations take a generated descriptor first and are typed by it.
 *
 * @example
 * const k8s = await createClient({ context: 'prod' })
 * try {
 *   k8s.connection.describe().server
 * } finally {
 *   await k8s.close()
 * }
 */
export interface Client extends StreamingOperations {
  /** the authenticated connection every request goes through */
  readonly connection: Connection
  /** the namespace of the kubeconfig context (or `--namespace`), `default` when none */
  readonly namespace: string
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
    retries: options.retries,
    served: new Map(),
  }
  const client: Client = {
    connection,
    namespace: connection.describe().namespace,
    close: () => (owned ? connection.close() : Promise.resolve()),
    // The streaming half (watch, listPages/listAll, logs, evict, proxy): streaming.ts.
    ...streamingOperations(context),
  }
  return attachContext(client, context)
}

type LoadOptions = Extract<CreateClientOptions, { connection?: undefined }>

// The connection's options: everything but the client's own and the connection warning handler
// under its connection name.
function connectionOptions(options: LoadOptions): LoadConnectionOptions {
  const rest: Record<string, unknown> = { ...options }
  for (const key of ['onConnectionWarning', 'onWarning', 'fieldManager', 'retries', 'connection'])
    delete rest[key]
  const result = rest as LoadConnectionOptions
  return options.onConnectionWarning === undefined
    ? result
    : { ...result, onWarning: options.onConnectionWarning }
}
