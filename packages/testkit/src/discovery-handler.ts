import { statusBody } from './_http.js'
import { notFoundText, textHeaders, type Exchange } from './_exchange.js'
import {
  aggregatedDiscoveryAnswer,
  aggregatedGroups,
  negotiateAggregatedDiscovery,
} from './aggregated-discovery.js'
import { deriveGroups } from './discovery.js'
import type { VersionInfo } from './profile.js'
import type { SpecRegistry } from './spec-registry.js'

/** Writes a JSON body the way the apiserver's serializers do. */
export function writeJson(exchange: Exchange, status: number, body: unknown, pretty = false): void {
  // Discovery goes through the apimachinery JSON serializer (compact, newline-terminated,
  // `runtime/serializer/json`); /version through `responsewriters.WriteRawJSON` (indented).
  const text = pretty ? JSON.stringify(body, null, '  ') : JSON.stringify(body) + '\n'
  exchange.respond(
    status,
    { ...exchange.cacheControl, 'Content-Type': 'application/json' },
    Buffer.from(text),
    exchange.matched,
  )
}

/** The apiserver's generic 404 Status for an unknown `/api…` or `/apis…` path. */
export function notFoundStatus(exchange: Exchange): void {
  exchange.respond(
    404,
    { ...exchange.cacheControl, 'Content-Type': 'application/json' },
    statusBody(404, 'NotFound', 'the server could not find the requested resource', {}),
    exchange.matched,
  )
}

// kube-aggregator `pkg/apiserver/handler_proxy.go`: an APIService without a reachable backend
// answers `503 service unavailable` through http.Error.
export function unavailable(exchange: Exchange): void {
  exchange.respond(
    503,
    { ...exchange.cacheControl, ...textHeaders() },
    Buffer.from('service unavailable\n'),
    exchange.matched,
  )
}

/**
 * `/version`, `/api`, `/apis`, `/apis/<g>`, `/api/<v>`, `/apis/<g>/<v>`; returns false for any
 * other path. `trimmed` is the route path without a trailing slash.
 */
export function serveDiscovery(
  exchange: Exchange,
  trimmed: string,
  specs: SpecRegistry,
  context: { version: VersionInfo; serverAddress: string },
): boolean {
  if (trimmed === '/version') {
    writeJson(exchange, 200, context.version, true)
    return true
  }
  if (trimmed === '/api' || trimmed === '/apis') {
    // aggregated/wrapper.go WrappedHandler: the Accept header picks the aggregated document.
    const version = negotiateAggregatedDiscovery(exchange.req.headers.accept, context.version)
    if (version !== undefined) {
      const answer = aggregatedDiscoveryAnswer(aggregatedGroups(specs, trimmed === '/api'), version)
      // etag.go ServeHTTPWithETag replaces the no-cache header of filters/cachecontrol.go.
      const head = {
        ...exchange.cacheControl,
        'Cache-Control': 'public',
        ETag: answer.etag,
        Vary: 'Accept',
      }
      // A matching If-None-Match is answered 304, without a body or its type.
      if (exchange.req.headers['if-none-match'] === answer.etag)
        exchange.respond(304, head, Buffer.alloc(0), exchange.matched)
      else
        exchange.respond(
          200,
          { ...head, 'Content-Type': answer.contentType },
          answer.body,
          exchange.matched,
        )
      return true
    }
  }
  if (trimmed === '/api') {
    // apiserver `pkg/endpoints/discovery/legacy.go`: APIVersions with the address clients use.
    const versions = specs
      .discoverable()
      .filter((e) => e.gv.group === '')
      .map((e) => e.gv.version)
    writeJson(exchange, 200, {
      kind: 'APIVersions',
      versions,
      serverAddressByClientCIDRs: [
        { clientCIDR: '0.0.0.0/0', serverAddress: context.serverAddress },
      ],
    })
    return true
  }
  const gvs = (): ReturnType<typeof deriveGroups> =>
    deriveGroups(specs.discoverable().map((e) => e.gv))
  if (trimmed === '/apis') {
    // apiserver `pkg/endpoints/discovery/root.go` rootAPIsHandler: APIGroupList.
    writeJson(exchange, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: gvs() })
    return true
  }
  const discovery = /^\/api\/([^/]+)$|^\/apis\/([^/]+)\/([^/]+)$/.exec(trimmed)
  if (discovery !== null) {
    const key =
      discovery[1] !== undefined ? `api/${discovery[1]}` : `apis/${discovery[2]}/${discovery[3]}`
    const entry = specs.entries.get(key)
    if (discovery[2] !== undefined && !specs.servesGroup(discovery[2])) notFoundText(exchange)
    else if (entry === undefined || specs.discoveryOf(entry).resources.length === 0)
      notFoundStatus(exchange)
    else if (entry.unavailable) unavailable(exchange)
    else writeJson(exchange, 200, specs.discoveryOf(entry))
    return true
  }
  const group = /^\/apis\/([^/]+)$/.exec(trimmed)?.[1]
  if (group !== undefined) {
    // apiserver `pkg/endpoints/discovery/group.go`: APIGroup.
    const found = gvs().find((g) => g.name === group)
    if (!specs.servesGroup(group)) notFoundText(exchange)
    else if (found === undefined) notFoundStatus(exchange)
    else writeJson(exchange, 200, { kind: 'APIGroup', apiVersion: 'v1', ...found })
    return true
  }
  return false
}
