// The apiserver proxy as a WHATWG fetch: `k8s.proxy(Service, { namespace, name, port })
// .fetch('/healthz')` sends the request to `…/services/{[scheme:]name[:port]}/proxy/{path}` built
// by the descriptor's `proxyPath()` (`@k8s-codegen/proxy-url` `buildProxyPath`: the path is
// cleaned and can never leave the `/proxy/` prefix) over the client's authenticated connection,
// and returns the backend's answer as a `Response` whose body streams. Only descriptors made by
// `defineProxiedResource` (core/v1 Service, Pod, Node) compile.
import type { HttpMethod } from '@k8s-codegen/cluster'
import type { ProxiedResource, ProxyPathOptions, ResourceInfo } from '@k8s-codegen/runtime'

import { openStream } from './_stream.js'
import type { ClientContext } from './_transport.js'

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
  /** `path` (with an optional `?query`) below the object's proxy root. */
  fetch(path: string, init?: ProxyInit): Promise<Response>
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
    async fetch(path, init = {}) {
      const question = path.indexOf('?')
      const options = {
        ...target,
        path: question === -1 ? path : path.slice(0, question),
        ...(question === -1 ? {} : { query: path.slice(question + 1) }),
      } as ProxyPathOptions<I>
      const headers = Object.fromEntries(
        Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      )
      const { 'content-type': contentType, accept, ...rest } = headers
      const stream = await openStream(context, {
        method: init.method ?? 'GET',
        path: resource.proxyPath(options),
        accept: accept ?? '*/*',
        headers: rest,
        ...(contentType === undefined ? {} : { contentType }),
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: init.signal,
        // A backend's Warning headers stay in the Response, not the apiserver's warnings.
        warnings: false,
      })
      const body = nullBodyStatuses.has(stream.status) ? null : ReadableStream.from(stream.body)
      if (body === null) await stream.cancel()
      return new Response(body, { status: stream.status, headers: stream.headers })
    },
  }
}
