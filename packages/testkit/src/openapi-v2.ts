import type { OutgoingHttpHeaders } from 'node:http'
import { gzipSync } from 'node:zlib'
import { acceptsGzip, httpDate, ifNoneMatchHits, notModifiedSince, parseAccept } from './_http.js'
import { notFoundText, type Exchange } from './_exchange.js'
import { corrupt } from './faults.js'
import { openApiV2ToProtobuf } from './openapi-v2-protobuf.js'
import type { ServedDocument } from './served-document.js'
import type { SpecRegistry } from './spec-registry.js'

// kube-openapi `pkg/handler` wraps /openapi/v2 in NYTimes/gziphandler, whose DefaultMinSize is
// 1400 bytes: smaller bodies go out uncompressed.
const gzipMinSize = 1400

const protobufContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'

// handler.go `accepted`, in its order: the media (sub)type a clause may name, what is served.
const accepted = [
  { subType: 'json', contentType: 'application/json' },
  { subType: 'com.github.proto-openapi.spec.v2@v1.0+protobuf', contentType: protobufContentType },
  { subType: 'com.github.proto-openapi.spec.v2.v1.0+protobuf', contentType: protobufContentType },
]

// handler.go `protoCache`: the protobuf is made from the JSON once per document, on first ask.
const protobufOf = new WeakMap<ServedDocument, Buffer | undefined>()

/**
 * `/openapi/v2`. kube-openapi `pkg/handler/handler.go` RegisterOpenAPIVersionedService: the
 * first Accept clause (by q, then specificity) that names JSON or either protobuf media type
 * picks the body (none: 406), the protobuf has the JSON's ETag (the Vary header tells caches
 * apart), then http.ServeContent (304 on If-None-Match), all inside gziphandler. A document
 * gnostic cannot read answers 503 to a protobuf request, as ToProtoBinary's error does.
 */
export function serveOpenApiV2(exchange: Exchange, specs: SpecRegistry): void {
  const { req, respond, matched, cacheControl } = exchange
  const served = specs.v2Document()
  if (served === undefined) {
    notFoundText(exchange)
    return
  }
  const vary = ['Accept-Encoding', 'Accept']
  const media = firstAccepted(req.headers.accept)
  if (media === undefined) {
    respond(406, { ...cacheControl, Vary: vary }, Buffer.alloc(0), matched)
    return
  }
  let bytes = served.bytes
  if (media.contentType === protobufContentType) {
    if (!protobufOf.has(served)) {
      const protobuf = openApiV2ToProtobuf(served.bytes).bytes
      protobufOf.set(
        served,
        protobuf && Buffer.from(protobuf.buffer, protobuf.byteOffset, protobuf.length),
      )
    }
    const protobuf = protobufOf.get(served)
    if (protobuf === undefined) {
      respond(503, { ...cacheControl, Vary: vary }, Buffer.alloc(0), matched)
      return
    }
    bytes = protobuf
  }
  const etag = `"${served.hash}"`
  const head: OutgoingHttpHeaders = {
    ...cacheControl,
    Vary: vary,
    'Content-Type': media.contentType,
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
  let body = matched.wrongHash ? corrupt(bytes) : bytes
  if (acceptsGzip(req.headers['accept-encoding']) && body.length >= gzipMinSize) {
    // gziphandler drops Content-Length and streams the compressed body chunked.
    body = gzipSync(body)
    head['Content-Encoding'] = 'gzip'
  } else {
    head['Content-Length'] = body.length
  }
  respond(200, head, body, matched)
}

function firstAccepted(header: string | undefined): (typeof accepted)[number] | undefined {
  for (const clause of parseAccept(header === undefined || header === '' ? '*/*' : header)) {
    if (clause.type !== 'application' && clause.type !== '*') continue
    const media = accepted.find(
      ({ subType }) => clause.subType === subType || clause.subType === '*',
    )
    if (media !== undefined) return media
  }
  return undefined
}
