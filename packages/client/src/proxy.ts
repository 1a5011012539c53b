// The apiserver proxy as a WHATWG fetch: `k8s.proxy(Service, { namespace, name, port })
// .fetch('/healthz?verbose')` sends the request to `…/services/{[scheme:]name[:port]}/proxy/{path}`
// built by the descriptor's `proxyPath()` (`@k8s-codegen/proxy-url` `buildProxyPath`: the path
// is cleaned and can never leave the `/proxy/` prefix) over the client's authenticated
// connection. The argument is one URL form, as `kubectl get --raw` takes it: an already-escaped
// path (decoded once, as the apiserver routes on the decoded path) and a raw `?query` passed
// through byte for byte (the apiserver forwards `req.URL.RawQuery`, apimachinery
// `pkg/util/proxy/upgradeaware.go`). Failures of the apiserver itself — the object missing, no
// endpoints (apiserver `pkg/util/proxy/proxy.go` ResolveEndpoint), an address it will not dial
// (400 "address not allowed"), the backend unreachable (503 "error trying to reach service",
// `pkg/util/proxy/transport.go`), RBAC — are meta/v1 Status bodies written by its handlers
// (`pkg/endpoints/handlers/rest.go` ConnectResource → responsewriters) and are thrown as
// StatusError, as every other operation's; any answer of the backend is the `Response`, whatever
// its status. Only descriptors made by `defineProxiedResource` (core/v1 Service, Pod, Node)
// compile.
import type { HttpMethod } from '@k8s-codegen/cluster'
import type { ProxiedResource, ProxyPathOptions, ResourceInfo } from '@k8s-codegen/runtime'

import { openStream } from './_stream.js'
import { failure, type ClientContext } from './_transport.js'

/**
 * Which object to proxy to: `namespace` (services and pods), `name`, and optionally `scheme`
 * and `port` (a number, or a service port's name).
 *
 * @example
 * const target: ProxyTarget<typeof Service> = { namespace: 'web', name: 'api', port: 'http' }
 */
export type ProxyTarget<R extends ResourceInfo> = Omit<ProxyPathOptions<R>, 'path' | 'query'>

/**
 * What {@link ProxyFetcher.fetch} accepts of `RequestInit`: method, headers, a string or byte
 * body, and a signal.
 *
 * @example
 * const init: ProxyInit = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }
 */
export interface ProxyInit {
  method?: HttpMethod
  headers?: Record<string, string>
  body?: string | Uint8Array
  signal?: AbortSignal
}

/**
 * Requests to one proxied object.
 *
 * @example
 * const response = await k8s.proxy(Service, { namespace: 'web', name: 'api' }).fetch('/healthz')
 * console.log(response.status, await response.text())
 */
export interface ProxyFetcher {
  /**
   * `url` below the object's proxy root, as `kubectl get --raw` takes a path: percent-encoded
   * (`a%20b`, `a%2Fb`; decoded once, `..` clamped at the root), with an optional `?query` sent
   * as written (`?x=%2e` reaches the backend as `x=%2e`). Resolves to the backend's answer,
   * whatever its status; rejects with a StatusError when the apiserver itself refused (see the
   * README's "Proxy").
   */
  fetch(url: string, init?: ProxyInit): Promise<Response>
}

// Fetch forbids a body with these statuses.
const nullBodyStatuses = new Set([101, 103, 204, 205, 304])

/** The proxy of one service, pod or node. */
export function proxy<I extends ResourceInfo, T, L>(
  context: ClientContext,
  resource: ProxiedResource<I, T, L>,
  target: ProxyTarget<I>,
): ProxyFetcher {
  return {
    async fetch(url, init = {}) {
      const question = url.indexOf('?')
      const options = {
        ...target,
        rawPath: question === -1 ? url : url.slice(0, question),
        ...(question === -1 ? {} : { query: url.slice(question + 1) }),
      } as ProxyPathOptions<I>
      const headers = Object.fromEntries(
        Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      )
      const { 'content-type': contentType, accept, ...rest } = headers
      const method = init.method ?? 'GET'
      const path = resource.proxyPath(options)
      const stream = await openStream(context, {
        method,
        path,
        accept: accept ?? '*/*',
        headers: rest,
        ...(contentType === undefined ? {} : { contentType }),
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: init.signal,
        // A backend's Warning headers stay in the Response, not the apiserver's warnings.
        warnings: false,
      })
      if (nullBodyStatuses.has(stream.status)) {
        await stream.cancel()
        return new Response(null, { status: stream.status, headers: stream.headers })
      }
      const chunks = stream.body[Symbol.asyncIterator]()
      const head = await apiserverStatus(stream.status, stream.headers, chunks)
      if (head.status !== undefined) {
        throw await failure(
          context,
          { status: stream.status, headers: stream.headers, url: stream.url, body: head.status },
          method,
          path,
          { resource, name: target.name },
        )
      }
      return new Response(ReadableStream.from(replay(head.read, chunks)), {
        status: stream.status,
        headers: stream.headers,
      })
    },
  }
}

// A Status body is a few hundred bytes; a longer failure body is the backend's.
const MAX_STATUS_BYTES = 64 * 1024

/**
 * The body of a failure when it is the apiserver's own: a non-2xx `application/json` answer
 * whose whole body is a meta/v1 Status (`kind: Status`, `apiVersion: v1`, `status: Failure`)
 * with the response's code. Otherwise the chunks read to find out, for the Response.
 */
async function apiserverStatus(
  status: number,
  headers: Record<string, string>,
  chunks: AsyncIterator<Uint8Array>,
): Promise<{ status?: Uint8Array; read: Uint8Array[] }> {
  const read: Uint8Array[] = []
  if (status < 400 || !/^application\/json\s*(;|$)/i.test(headers['content-type'] ?? ''))
    return { read }
  let size = 0
  for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
    read.push(next.value)
    size += next.value.byteLength
    if (size > MAX_STATUS_BYTES) return { read }
  }
  const body = Buffer.concat(read)
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch {
    return { read }
  }
  const s = value as Record<string, unknown> | null
  const isStatus =
    typeof s === 'object' &&
    s !== null &&
    s['kind'] === 'Status' &&
    s['apiVersion'] === 'v1' &&
    s['status'] === 'Failure' &&
    s['code'] === status
  return isStatus ? { status: body, read } : { read }
}

// The chunks already read, then the rest of the body.
async function* replay(
  read: Uint8Array[],
  rest: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* read
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value
}
