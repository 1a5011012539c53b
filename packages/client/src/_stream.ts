// Internal: the streamed exchange the watch, log and proxy operations share, over
// `Connection.stream` (the body read as it arrives, no size cap, no total timeout).
import type { ClusterStream, HttpMethod } from '@k8s-codegen/cluster'
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'

import { surfaceWarnings, type ClientContext } from './_transport.js'

/** What a streamed request sends. */
export interface StreamRequest {
  method: HttpMethod
  /** path and query */
  path: string
  accept?: string
  headers?: Record<string, string>
  body?: string | Uint8Array
  contentType?: string
  signal?: AbortSignal | undefined
  /** Hand `Warning` headers to `onWarning` (default); the proxy's belong to its backend. */
  warnings?: boolean
}

/** Opens a streamed request; surfaces its warnings. Any status comes back (`streamFailure`). */
export async function openStream(
  context: ClientContext,
  request: StreamRequest,
): Promise<ClusterStream> {
  const stream = await context.connection.stream(request.path, {
    method: request.method,
    accept: request.accept ?? 'application/json',
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.contentType === undefined ? {} : { contentType: request.contentType }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    retries: context.retries,
  })
  if (request.warnings !== false) surfaceWarnings(context, stream.headers)
  return stream
}

// Connection failures a watch outlives: the server went away, was slow, or cut the body.
const transient = new Set([
  'K8S_CODEGEN_CLUSTER_UNREACHABLE',
  'K8S_CODEGEN_CLUSTER_TIMEOUT',
  'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE',
])

/** True for a connection failure worth a reconnect (not TLS, credentials, abort or usage). */
export function isTransient(error: unknown): boolean {
  return isK8sCodegenError(error) && transient.has(error.code)
}
