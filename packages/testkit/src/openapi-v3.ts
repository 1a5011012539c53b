import type { OutgoingHttpHeaders } from 'node:http'
import {
  acceptsJson,
  httpDate,
  ifNoneMatchHits,
  notModifiedSince,
  parseAccept,
  rfc1123Utc,
} from './_http.js'
import { isJsonObject } from './_json.js'
import { notFoundText, type Exchange } from './_exchange.js'
import { corrupt } from './faults.js'
import { ServedDocument, sha512Hex } from './served-document.js'
import type { SpecRegistry } from './spec-registry.js'

/** `/openapi/v3` and `/openapi/v3/<key>` (kube-openapi `pkg/handler3`); 404 text before 1.24. */
export function serveOpenApiV3(
  exchange: Exchange,
  specs: SpecRegistry,
  options: { rootEtag: boolean },
): void {
  if (!specs.servesV3) {
    notFoundText(exchange)
    return
  }
  if (exchange.routePath === '/openapi/v3') serveRoot(exchange, specs, options.rootEtag)
  else serveGroupVersion(exchange, specs, exchange.routePath.slice('/openapi/v3/'.length))
}

// kube-openapi `pkg/handler3/handler.go` HandleDiscovery: `{"paths": {key: {serverRelativeURL}}}`
// (Go marshals map keys sorted), no ETag, served with http.ServeContent.
function serveRoot(exchange: Exchange, specs: SpecRegistry, rootEtag: boolean): void {
  const { req, respond, matched, cacheControl } = exchange
  const paths: Record<string, { serverRelativeURL: string }> = {}
  const keys = specs.rootKeys()
  for (const key of [...keys].sort()) {
    const served = specs.servedOf(key, keys)
    if (served !== undefined)
      paths[key] = { serverRelativeURL: serverRelativeURL(key, served.served.hash) }
  }
  const body = Buffer.from(JSON.stringify({ paths }))
  const head: OutgoingHttpHeaders = {
    ...cacheControl,
    'Content-Type': 'application/json',
    'Last-Modified': httpDate(new Date()),
    'Accept-Ranges': 'bytes',
  }
  if (rootEtag) {
    const etag = `"${sha512Hex(body)}"`
    head['Etag'] = etag
    if (ifNoneMatchHits(req.headers['if-none-match'], etag)) {
      delete head['Content-Type']
      delete head['Last-Modified']
      respond(304, head, Buffer.alloc(0), matched)
      return
    }
  }
  head['Content-Length'] = body.length
  respond(200, head, body, matched)
}

// kube-openapi `pkg/handler3/handler.go` HandleGroupVersion.
function serveGroupVersion(exchange: Exchange, specs: SpecRegistry, key: string): void {
  const { req, search, respond, matched, cacheControl } = exchange
  const clauses = parseAccept(req.headers.accept ?? '*/*')
  const head: OutgoingHttpHeaders = { ...cacheControl, Vary: 'Accept' }
  if (clauses.length === 0) {
    respond(200, head, Buffer.alloc(0), matched)
    return
  }
  if (!clauses.some(acceptsJson)) {
    respond(406, head, Buffer.alloc(0), matched)
    return
  }
  const found = specs.servedOf(key)
  if (found === undefined) {
    respond(404, head, Buffer.alloc(0), matched)
    return
  }
  if (found.entry?.unavailable === true) {
    respond(
      503,
      {
        ...head,
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      },
      Buffer.from('service unavailable\n'),
      matched,
    )
    return
  }
  if (matched.rehash && found.entry !== undefined) {
    // The spec changed between the client's root request and this one.
    found.entry.revision += 1
    found.entry.served = new ServedDocument(
      revise(found.entry.served.document, found.entry.revision),
    )
    found.served = found.entry.served
  }
  const served = found.served
  head['Content-Type'] = 'application/json'
  head['Etag'] = `"${served.hash}"`
  const hash = search.get('hash')
  if (hash !== null && hash !== '') {
    if (hash !== served.hash) {
      // http.Redirect with a Content-Type already set writes no body. The Location is the
      // server-relative URL without any front-proxy prefix: the apiserver does not know it.
      head['Location'] = serverRelativeURL(key, served.hash)
      respond(301, head, Buffer.alloc(0), matched)
      return
    }
    head['Cache-Control'] = 'public, immutable'
    head['Expires'] = rfc1123Utc(new Date(addYear(Date.now())))
  }
  head['Last-Modified'] = httpDate(served.lastModified)
  head['Accept-Ranges'] = 'bytes'
  if (
    ifNoneMatchHits(req.headers['if-none-match'], `"${served.hash}"`) ||
    notModifiedSince(req, served.lastModified)
  ) {
    delete head['Content-Type']
    delete head['Last-Modified']
    respond(304, head, Buffer.alloc(0), matched)
    return
  }
  const body = matched.wrongHash ? corrupt(served.bytes) : served.bytes
  head['Content-Length'] = body.length
  respond(200, head, body, matched)
}

// kube-openapi handler3 `constructServerRelativeURL`: path.Join("/openapi/v3", key) + "?hash=".
function serverRelativeURL(key: string, hash: string): string {
  return `${encodeURI(`/openapi/v3/${key}`)}?hash=${encodeURIComponent(hash)}`
}

function addYear(now: number): number {
  const date = new Date(now)
  date.setUTCFullYear(date.getUTCFullYear() + 1)
  return date.getTime()
}

/** The same document, changed the way a spec update changes it, so its hash moves. */
function revise(document: unknown, revision: number): unknown {
  if (!isJsonObject(document)) return document
  const info = isJsonObject(document['info']) ? document['info'] : {}
  return { ...document, info: { ...info, 'x-emulator-revision': revision } }
}
