import type { OutgoingHttpHeaders } from 'node:http'
import { gzipSync } from 'node:zlib'
import {
  acceptsGzip,
  acceptsJson,
  httpDate,
  ifNoneMatchHits,
  notModifiedSince,
  parseAccept,
} from './_http.js'
import { notFoundText, type Exchange } from './_exchange.js'
import { corrupt } from './faults.js'
import type { SpecRegistry } from './spec-registry.js'

// kube-openapi `pkg/handler` wraps /openapi/v2 in NYTimes/gziphandler, whose DefaultMinSize is
// 1400 bytes: smaller bodies go out uncompressed.
const gzipMinSize = 1400

/**
 * `/openapi/v2`. kube-openapi `pkg/handler/handler.go` RegisterOpenAPIVersionedService:
 * negotiate JSON (protobuf is not produced here, so a protobuf-only Accept gets 406), quoted
 * ETag, then http.ServeContent (304 on If-None-Match), all inside gziphandler.
 */
export function serveOpenApiV2(exchange: Exchange, specs: SpecRegistry): void {
  const { req, respond, matched, cacheControl } = exchange
  const served = specs.v2Document()
  if (served === undefined) {
    notFoundText(exchange)
    return
  }
  const vary = ['Accept-Encoding', 'Accept']
  const clauses = parseAccept(req.headers.accept ?? '*/*')
  if (!clauses.some(acceptsJson)) {
    respond(406, { ...cacheControl, Vary: vary }, Buffer.alloc(0), matched)
    return
  }
  const etag = `"${served.hash}"`
  const head: OutgoingHttpHeaders = {
    ...cacheControl,
    Vary: vary,
    'Content-Type': 'application/json',
    Etag: etag,
    'Last-Modified': httpDate(served.lastModified),
    'Accept-Ranges': 'bytes',
  }
  if (
    ifNoneMatchHits(req.headers['if-none-match'], etag) ||
    notModifiedSince(req, served.lastModified)
  ) {
    delete head['Content-Type']
    delete head['Last-Modified']
    respond(304, head, Buffer.alloc(0), matched)
    return
  }
  let body = matched.wrongHash ? corrupt(served.bytes) : served.bytes
  if (acceptsGzip(req.headers['accept-encoding']) && body.length >= gzipMinSize) {
    // gziphandler drops Content-Length and streams the compressed body chunked.
    body = gzipSync(body)
    head['Content-Encoding'] = 'gzip'
  } else {
    head['Content-Length'] = body.length
  }
  respond(200, head, body, matched)
}
