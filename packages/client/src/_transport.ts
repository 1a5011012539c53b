// Internal: what every operation of the client shares — the connection, the warning handler,
// request defaults, the served-kind check, and the one JSON request helper. Operations in their
// own files (get, list, apply, watch, logs, proxy…) take a ClientContext; nothing here is
// re-exported from the package index.
import type { ClusterResponse, ClusterStream, Connection, HttpMethod } from '@k8s-codegen/cluster'
import type { ResourceInfo } from '@k8s-codegen/runtime'

import { ClientError, type StatusError } from './errors.js'
import {
  clean,
  isSentStatus,
  statusError,
  statusErrorOfResponse,
  type Redact,
  type RequestSubject,
} from './status.js'
import type { ValidationState } from './_validate.js'
import { parseWarningHeaders, type Warning } from './warnings.js'

/** What an operation needs from its client. */
export interface ClientContext {
  readonly connection: Connection
  /** every `Warning` header of every response goes here (never printed) */
  readonly onWarning: (warning: Warning) => void
  /** the client's default field manager for writes */
  readonly fieldManager: string | undefined
  /** extra attempts per request where the server asks for one (`createClient`'s `retries`) */
  readonly retries: number
  /** group-version key (`api/v1`, `apis/apps/v1`) → the plurals it serves, undefined when not served */
  readonly served: Map<string, Promise<ReadonlySet<string> | undefined>>
  /** validate creates and replaces before sending unless the call says otherwise */
  readonly validate: boolean
  /** the documents validation reads */
  readonly validation: ValidationState
}

/**
 * The `/openapi/v3` and discovery key of a descriptor's group-version: `api/v1` for the core
 * group, `apis/<group>/<version>` otherwise.
 *
 * @example
 * groupVersionKeyOf(Deployment) // 'apis/apps/v1'
 */
export function groupVersionKeyOf(info: ResourceInfo): string {
  return info.group === '' ? `api/${info.version}` : `apis/${info.group}/${info.version}`
}

const CONTEXT = Symbol('k8s-codegen.client.context')

/** Attaches a context to a client object (non-enumerable, so it never shows in logs). */
export function attachContext<C extends object>(client: C, context: ClientContext): C {
  Object.defineProperty(client, CONTEXT, { value: context, enumerable: false })
  return client
}

/** The context of a client made by `createClient`. */
export function contextOf(client: object): ClientContext {
  const context = (client as { [CONTEXT]?: ClientContext })[CONTEXT]
  if (context === undefined)
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_INVALID_ARGUMENT',
      'expected a client made by createClient() of @k8s-codegen/client',
    )
  return context
}

/** Query values; undefined ones are left out. */
export type QueryValues = Readonly<Record<string, string | number | boolean | undefined>>

/**
 * `path?query` with the values URL-encoded (the apiserver reads them with Go's `url.ParseQuery`).
 *
 * @example
 * withQuery('/api/v1/pods', { labelSelector: 'app=web', limit: 10, watch: undefined }) // '/api/v1/pods?labelSelector=app%3Dweb&limit=10'
 */
export function withQuery(path: string, query: QueryValues | undefined): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) params.append(key, String(value))
  const search = params.toString()
  return search === '' ? path : `${path}?${search}`
}

/** The connection's redaction, for the text the client builds from a response. */
export function redactOf(context: ClientContext): Redact {
  return (text) => context.connection.redact(text)
}

/**
 * Server text for a message: the connection's redaction, then no control characters.
 *
 * @example
 * serverText(context, `content-type ${response.headers['content-type']}`)
 */
export function serverText(context: ClientContext, text: string): string {
  return clean(text, redactOf(context))
}

/** Hands each `Warning` of a response's headers to the client's handler, cleaned. */
export function surfaceWarnings(context: ClientContext, headers: Record<string, string>): void {
  const header = headers['warning']
  if (header === undefined) return
  for (const warning of parseWarningHeaders([header]))
    context.onWarning({
      code: warning.code,
      agent: serverText(context, warning.agent),
      text: serverText(context, warning.text),
    })
}

/** The descriptor facts a request is about, for messages and the served-kind check. */
export interface RequestTarget {
  readonly resource: ResourceInfo
  readonly name?: string | undefined
}

/**
 * The error for a failed response. A 404 whose Status names no object (a route the server does
 * not have, `404 page not found`) is checked against discovery of the kind's group-version, once
 * per client: a kind the cluster does not serve is `K8S_CODEGEN_CLIENT_KIND_NOT_SERVED`.
 */
export async function failure(
  context: ClientContext,
  response: ClusterResponse,
  method: HttpMethod,
  path: string,
  target: RequestTarget,
): Promise<StatusError | ClientError> {
  const subject: RequestSubject = {
    method,
    path,
    group: target.resource.group,
    resource: target.resource.plural,
  }
  if (target.name !== undefined) subject.name = target.name
  const error = statusErrorOfResponse(
    response.status,
    response.headers,
    response.body,
    subject,
    redactOf(context),
  )
  // A route kube-apiserver does not have answers `404 page not found` as text: the Status built
  // from it names the requested object, so only a server-sent Status naming one is an object's
  // NotFound (the real server showed it; the emulator answered a Status without a name).
  if (
    response.status === 404 &&
    (error.details?.name === undefined || !isSentStatus(response.body))
  ) {
    const plurals = await servedPlurals(context, target.resource)
    const plural = target.resource.plural
    if (plurals !== null && (plurals === undefined || !plurals.has(plural))) {
      const info = target.resource
      return new ClientError(
        'K8S_CODEGEN_CLIENT_KIND_NOT_SERVED',
        `${method} ${path}: the cluster does not serve ${info.kind} (${plural}) in ${info.apiVersion}${plurals === undefined ? `: the group-version ${info.apiVersion} is not served` : ''}; install its CRD or API, or generate the bindings from this cluster`,
        { cause: error },
      )
    }
  }
  return error
}

/**
 * {@link failure} for a non-2xx `connection.stream()` answer (watch, logs): the connection reads
 * such a body whole and hands it over as one chunk.
 */
export async function streamFailure(
  context: ClientContext,
  stream: ClusterStream,
  method: HttpMethod,
  path: string,
  target: RequestTarget,
): Promise<StatusError | ClientError> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream.body) chunks.push(chunk)
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return failure(
    context,
    { status: stream.status, headers: stream.headers, url: stream.url, body },
    method,
    path,
    target,
  )
}

// Discovery of one group-version (apiserver pkg/endpoints/discovery `APIResourceList`): the
// plurals it serves; undefined when the group-version is not served (404); null when discovery
// itself failed, so the caller keeps the original error.
async function servedPlurals(
  context: ClientContext,
  info: ResourceInfo,
): Promise<ReadonlySet<string> | undefined | null> {
  const key = groupVersionKeyOf(info)
  let pending = context.served.get(key)
  if (pending === undefined) {
    pending = (async () => {
      const res = await context.connection.send(`/${key}`, { method: 'GET' })
      if (res.status === 404) return undefined
      if (res.status !== 200) throw new Error(`discovery answered ${res.status}`)
      const list = JSON.parse(new TextDecoder().decode(res.body)) as {
        resources?: { name?: unknown }[]
      }
      return new Set(
        (list.resources ?? []).flatMap((r) => (typeof r.name === 'string' ? [r.name] : [])),
      )
    })()
    context.served.set(key, pending)
    // A failed discovery is not remembered: the next 404 asks again.
    pending.catch(() => context.served.delete(key))
  }
  return pending.catch(() => null)
}

/** One JSON request of an operation. */
export interface JsonRequest {
  method: HttpMethod
  /** the descriptor's `path()` */
  path: string
  query?: QueryValues | undefined
  /** serialized with JSON.stringify (JSON is also valid YAML, for apply) */
  body?: unknown
  /** default `application/json` when there is a body */
  contentType?: string | undefined
  signal?: AbortSignal | undefined
  target: RequestTarget
}

/**
 * Sends a request and returns the parsed JSON body of a 2xx answer exactly as served (no
 * classes, no date conversion); surfaces warnings; throws a StatusError (or
 * `K8S_CODEGEN_CLIENT_KIND_NOT_SERVED`) for anything else. Connection failures are the
 * connection's `ClusterError`.
 */
export async function requestJson<T>(context: ClientContext, request: JsonRequest): Promise<T> {
  const path = withQuery(request.path, request.query)
  const response = await context.connection.send(path, {
    method: request.method,
    accept: 'application/json',
    ...(request.body === undefined
      ? {}
      : {
          body: JSON.stringify(request.body),
          contentType: request.contentType ?? 'application/json',
        }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    retries: context.retries,
  })
  surfaceWarnings(context, response.headers)
  if (response.status < 200 || response.status > 299)
    throw await failure(context, response, request.method, path, request.target)
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(response.body))
  } catch (error) {
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_BAD_RESPONSE',
      `${request.method} ${path}: the ${response.status} answer is not JSON (content-type ${serverText(context, response.headers['content-type'] ?? 'none')})`,
      { cause: parseFailure(context, error) },
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ClientError(
      'K8S_CODEGEN_CLIENT_BAD_RESPONSE',
      `${request.method} ${path}: the ${response.status} answer is not a JSON object`,
    )
  // client-go rest/request.go transformResponse: a Status with status Failure is an error even
  // on a 2xx.
  const candidate = value as { kind?: unknown; status?: unknown }
  if (candidate.kind === 'Status' && candidate.status === 'Failure')
    throw statusError(value, { method: request.method, path }, response.status, redactOf(context))
  return value as T
}

/**
 * A JSON.parse failure as a cause: its message quotes the body (V8: `Unexpected token …,
 * "<text>" is not valid JSON`), so it is rebuilt from the cleaned message.
 *
 * @example
 * throw new ClientError('K8S_CODEGEN_CLIENT_BAD_RESPONSE', message, { cause: parseFailure(context, error) })
 */
export function parseFailure(context: ClientContext, error: unknown): SyntaxError {
  return new SyntaxError(
    serverText(context, error instanceof Error ? error.message : String(error)),
  )
}
