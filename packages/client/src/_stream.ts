// Internal: the streamed exchange the watch, log and proxy operations share, over
// `Connection.stream` (the body read as it arrives, no size cap, no total timeout).
import type { ClusterStream, HttpMethod } from '@k8s-codegen/cluster'
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'

import { failure, surfaceWarnings, type ClientContext, type RequestTarget } from './_transport.js'

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
}

/** Opens a streamed request; surfaces its warnings. Any status comes back (see {@link opened}). */
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
    ...(context.retries === undefined ? {} : { retries: context.retries }),
  })
  surfaceWarnings(context, stream.headers)
  return stream
}

/** A 2xx stream as it is; anything else read whole and thrown as the client's error. */
export async function opened(
  context: ClientContext,
  stream: ClusterStream,
  method: HttpMethod,
  path: string,
  target: RequestTarget,
): Promise<ClusterStream> {
  if (stream.status >= 200 && stream.status < 300) return stream
  throw await failure(context, { ...stream, body: await readAll(stream) }, method, path, target)
}

/** Reads a stream's whole body (a non-2xx body is already buffered by the connection). */
export async function readAll(stream: ClusterStream): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let size = 0
  for await (const chunk of stream.body) {
    parts.push(chunk)
    size += chunk.length
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
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
