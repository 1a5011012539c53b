import { randomBytes, timingSafeEqual } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { gzipSync } from 'node:zlib'
import {
  acceptsGzip,
  acceptsJson,
  httpDate,
  ifNoneMatchHits,
  notModifiedSince,
  parseAccept,
  rfc1123Utc,
  statusBody,
} from './_http.js'
import { isJsonObject, type JsonObject } from './_json.js'
import { generateCertificates, type KeyPairPem } from './certificates.js'
import { deriveGroups, deriveResourceList, type APIResourceList } from './discovery.js'
import { TestkitError } from './errors.js'
import { FaultTable, type Fault, type MatchedFaults } from './faults.js'
import { groupVersionOf, requireGroupVersion, type GroupVersion } from './group-version.js'
import { fixedMetaKeys, metaDocument } from './meta-documents.js'
import { loadProfile, type Profile } from './profile.js'
import { recordedProfileDir } from './profile-dir.js'
import { ServedDocument, sha512Hex } from './served-document.js'
import { exampleCrdDocument } from './example-crds.js'
import { synthesizeGroupVersions } from './synthesize.js'

/**
 * Options of {@link startApiServer}.
 *
 * @example
 * const options: StartApiServerOptions = { profile: 'kubernetes-1.13', prefix: '/k8s/clusters/c-1', auth: { anonymous: true } }
 */
export interface StartApiServerOptions {
  /** `'recorded'` (../shared), `'kubernetes-1.13'` (v2-only), or a profile directory. Default: `'recorded'` when present, else `'kubernetes-1.13'`. */
  profile?: 'recorded' | 'kubernetes-1.13' | (string & {})
  /** Path of a v2 document (`.json` or `.json.gz`) served at `/openapi/v2`. */
  v2?: string
  /** Adds the project-authored `example.dev/v1` group (Widget, Gadget). */
  exampleCrds?: boolean
  /** Adds N extra group-versions split from the recorded v2 1.36 spec (needs ../shared). */
  synthesizeGroupVersions?: number
  /** Serves every route under this path prefix, e.g. `/k8s/clusters/c-1`. */
  prefix?: string
  /** Plain HTTP instead of TLS. */
  http?: boolean
  /** Listen address: `127.0.0.1` (default) or `::1`. */
  host?: string
  /** Listen port, default 0 (any free port). */
  port?: number
  /** Default: a random bearer token is required. */
  auth?: { token?: string | false; clientCert?: boolean; anonymous?: boolean }
  /** Called with each request's log entry once its response status is decided (the bin's `--log`). */
  onRequest?: (entry: RequestLogEntry) => void
  /**
   * Serve an `Etag` (quoted SHA-512 of the root bytes, 304 on `If-None-Match`) on the
   * `/openapi/v3` root, as kube-openapi handler3 does since its `cached` rewrite (Kubernetes
   * 1.27+). Default false: no ETag, as 1.24–1.26 servers (and the issue's contract).
   */
  rootEtag?: boolean
}

/**
 * One request the server received. Never holds the Authorization value.
 *
 * @example
 * expect(server.requests.map((r) => `${r.status} ${r.path}${r.query}`)).toContain('200 /openapi/v3')
 */
export interface RequestLogEntry {
  method: string
  /** As received, including the prefix, without the query. */
  path: string
  /** `''` or `'?…'`. */
  query: string
  status: number
  /** accept, accept-encoding, if-none-match, user-agent, content-type when sent. */
  headers: Record<string, string>
}

/**
 * A running emulated kube-apiserver. Without a `hash`, `/openapi/v3/<key>` answers
 * `no-cache, private`; with the current one `public, immutable`; with a stale one 301.
 *
 * @example
 * const server = await startApiServer({ exampleCrds: true })
 * server.markUnavailable('apis/example.dev/v1') // /apis/example.dev/v1 now answers 503
 * await server.close()
 */
export interface ApiServer {
  /** e.g. `https://127.0.0.1:40123/k8s/clusters/c-1` (prefix included, no trailing slash). */
  url: string
  /** CA that signed the server certificate (`''` in http mode). */
  caPem: string
  token: string | undefined
  /** A client certificate the server accepts (when `auth.clientCert`). */
  clientCert?: { certPem: string; keyPem: string }
  /** Writes a kubeconfig for this server (CA data and credentials) and returns its path. */
  kubeconfig(path?: string, options?: { auth?: 'token' | 'clientCert' | 'none' }): Promise<string>
  requests: RequestLogEntry[]
  clearRequests(): void
  /** The current hash of a `/openapi/v3` root key, e.g. `apis/apps/v1`. */
  hashOf(key: string): string | undefined
  /** Adds or replaces a group-version document: its hash changes, the root and discovery follow. */
  setGroupVersion(key: string, doc: unknown): void
  removeGroupVersion(key: string): void
  /** An aggregated APIService that is down: still listed, but its routes answer 503. */
  markUnavailable(key: string): void
  /** Injects a fault; returns a function that removes it. */
  injectFault(fault: Fault): () => void
  close(): Promise<void>
}

export type { Fault }

interface Entry {
  gv: GroupVersion
  served: ServedDocument
  unavailable: boolean
  revision: number
  discovery?: APIResourceList
}

const loggedHeaders = ['accept', 'accept-encoding', 'if-none-match', 'user-agent', 'content-type']

// kube-openapi `pkg/handler` wraps /openapi/v2 in NYTimes/gziphandler, whose DefaultMinSize is
// 1400 bytes: smaller bodies go out uncompressed.
const gzipMinSize = 1400

function normalizePrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return ''
  if (
    !prefix.startsWith('/') ||
    prefix.includes('?') ||
    prefix.includes('#') ||
    prefix.includes('//')
  ) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      `prefix ${JSON.stringify(prefix)} must be an absolute path like /k8s/clusters/c-1 without query, fragment or empty segments`,
    )
  }
  return prefix.replace(/\/+$/, '')
}

function defaultProfile(): string {
  return recordedProfileDir() === undefined ? 'kubernetes-1.13' : 'recorded'
}

/** Splits a v2 document's paths into the group-versions they belong to. */
function groupVersionsOfV2(document: unknown): GroupVersion[] {
  const keys = new Set<string>()
  const paths = isJsonObject(document) && isJsonObject(document['paths']) ? document['paths'] : {}
  for (const path of Object.keys(paths)) {
    const match = /^\/(api)\/([^/]+)\/|^\/(apis)\/([^/]+)\/([^/]+)\//.exec(path)
    if (match === null) continue
    const key = match[1] === 'api' ? `api/${match[2]}` : `apis/${match[4]}/${match[5]}`
    if (groupVersionOf(key) !== undefined) keys.add(key)
  }
  return [...keys].sort().map((key) => requireGroupVersion(key))
}

/**
 * Starts an emulated kube-apiserver on 127.0.0.1 (or ::1) serving discovery, `/version`,
 * `/openapi/v2` and `/openapi/v3` from a cluster profile, with the apiserver's exact caching,
 * hash and error semantics. Close it with `close()` (in `afterAll`/`finally`).
 *
 * @example
 * const server = await startApiServer({ profile: 'kubernetes-1.13' })
 * try {
 *   const kubeconfig = await server.kubeconfig()
 *   // … run the code under test against `kubeconfig` or `server.url` + `server.token`
 * } finally {
 *   await server.close()
 * }
 */
export async function startApiServer(options: StartApiServerOptions = {}): Promise<ApiServer> {
  const prefix = normalizePrefix(options.prefix)
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      `host ${JSON.stringify(host)} is not allowed: the emulator listens on 127.0.0.1, ::1 or localhost only`,
    )
  }
  const synthesize = options.synthesizeGroupVersions ?? 0
  if (!Number.isInteger(synthesize) || synthesize < 0) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      `synthesizeGroupVersions must be a non-negative integer, got ${String(synthesize)}`,
    )
  }
  const tokenOption = options.auth?.token
  const token =
    tokenOption === false ? undefined : (tokenOption ?? randomBytes(32).toString('base64url'))
  const clientCertAuth = options.auth?.clientCert === true
  const anonymous = options.auth?.anonymous === true
  if (clientCertAuth && options.http === true) {
    throw new TestkitError(
      'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
      'auth.clientCert needs TLS: it cannot be combined with http: true',
    )
  }

  const profile: Profile = loadProfile(options.profile ?? defaultProfile(), options.v2)
  const gitVersion = profile.version.gitVersion
  // A profile without v3 documents is a pre-1.24 server: /openapi/v3 does not exist there.
  const servesV3 = profile.v3 !== undefined
  const entries = new Map<string, Entry>()
  const metaEntries = new Map<string, ServedDocument>()

  // Replacing a document keeps the group-version's availability: a spec update does not bring
  // a down APIService back.
  function put(key: string, document: unknown): void {
    const gv = requireGroupVersion(key)
    entries.set(key, {
      gv,
      served: new ServedDocument(document),
      unavailable: entries.get(key)?.unavailable ?? false,
      revision: 0,
    })
  }

  if (profile.v3 !== undefined) {
    for (const [key, document] of profile.v3) {
      if (groupVersionOf(key) === undefined) metaEntries.set(key, new ServedDocument(document))
      else put(key, document)
    }
  } else if (profile.v2 !== undefined) {
    const v2 = profile.v2()
    for (const gv of groupVersionsOfV2(v2)) put(gv.key, v2)
  }
  if (options.exampleCrds === true) {
    // The profile's own shared definitions, as a real server embeds them in a CRD's document.
    const documents = [...(profile.v3?.values() ?? [])]
    const sharedSchema = (name: string): JsonObject | undefined => {
      for (const document of documents) {
        const components = isJsonObject(document) ? document['components'] : undefined
        const schemas = isJsonObject(components) ? components['schemas'] : undefined
        const schema =
          isJsonObject(schemas) && Object.hasOwn(schemas, name) ? schemas[name] : undefined
        if (isJsonObject(schema)) return schema
      }
      return undefined
    }
    put('apis/example.dev/v1', exampleCrdDocument(sharedSchema))
  }
  if (synthesize > 0) {
    for (const [key, document] of synthesizeGroupVersions(synthesize, new Set(entries.keys()))) {
      put(key, document)
    }
  }

  let v2Served: ServedDocument | undefined
  function v2Document(): ServedDocument | undefined {
    if (profile.v2 === undefined) return undefined
    v2Served ??= new ServedDocument(profile.v2())
    return v2Served
  }

  function metaDocumentOf(key: string): ServedDocument | undefined {
    let served = metaEntries.get(key)
    if (served === undefined) {
      const document = metaDocument(key, gitVersion)
      if (document === undefined) return undefined
      served = new ServedDocument(document)
      metaEntries.set(key, served)
    }
    return served
  }

  function rootKeys(): Set<string> {
    const groups = new Set<string>()
    for (const entry of entries.values()) if (entry.gv.group !== '') groups.add(entry.gv.group)
    const keys = new Set<string>([...entries.keys(), ...fixedMetaKeys])
    for (const group of groups) keys.add(`apis/${group}`)
    // A group whose last version was removed also disappears from the root.
    for (const key of metaEntries.keys()) {
      const group = /^apis\/([^/]+)$/.exec(key)?.[1]
      if (group === undefined || groups.has(group)) keys.add(key)
    }
    return keys
  }

  function servedOf(
    key: string,
    keys: Set<string> = rootKeys(),
  ): { served: ServedDocument; entry?: Entry } | undefined {
    const entry = entries.get(key)
    if (entry !== undefined) return { served: entry.served, entry }
    if (!keys.has(key)) return undefined
    const served = metaDocumentOf(key)
    return served === undefined ? undefined : { served }
  }

  function discoveryOf(entry: Entry): APIResourceList {
    entry.discovery ??= deriveResourceList(entry.gv, entry.served.document)
    return entry.discovery
  }

  // --- TLS material and the server -----------------------------------------------------------
  const certificates = options.http === true ? undefined : await generateCertificates()
  const faults = new FaultTable()
  const requests: RequestLogEntry[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const tempDirs: string[] = []
  let closed = false

  function later(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        res.end(`emulator error: ${(error as Error).message}\n`)
      } else {
        res.destroy()
      }
    })
  }

  const server: Server =
    certificates === undefined
      ? createHttpServer(handler)
      : createHttpsServer(
          {
            cert: certificates.server.certPem,
            key: certificates.server.keyPem,
            ca: [certificates.ca.certPem],
            // The apiserver asks for a client certificate but accepts connections without one
            // (authentication falls through to tokens/anonymous): apiserver
            // `pkg/server/secure_serving.go` uses tls.RequestClientCert when a client CA is set.
            requestCert: clientCertAuth,
            rejectUnauthorized: false,
          },
          handler,
        )
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  // kube-apiserver authenticates with a union of x509 and token authenticators (any success
  // wins), wrapped so anonymous applies only when none of them failed with an error
  // (apiserver `pkg/authentication/request/union`, kubernetes `pkg/kubeapiserver/authenticator/
  // config.go`). bearertoken.go ignores a missing, non-Bearer or empty token, but turns an
  // unknown one into an error, so a wrong token is 401 even with anonymous access on.
  function authenticated(req: IncomingMessage): boolean {
    if (clientCertAuth && (req.socket as TLSSocket).authorized) return true
    const parts = (req.headers.authorization ?? '').trim().split(' ')
    const bearer = parts[0]?.toLowerCase() === 'bearer' ? parts[1] : undefined
    if (bearer !== undefined && bearer !== '' && token !== undefined) {
      const given = Buffer.from(bearer)
      const expected = Buffer.from(token)
      return given.length === expected.length && timingSafeEqual(given, expected)
    }
    return anonymous
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/'
    const queryStart = raw.indexOf('?')
    const path = queryStart === -1 ? raw : raw.slice(0, queryStart)
    const query = queryStart === -1 ? '' : raw.slice(queryStart)
    const headers: Record<string, string> = {}
    for (const name of loggedHeaders) {
      const value = req.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    const log: RequestLogEntry = { method: req.method ?? 'GET', path, query, status: 0, headers }
    requests.push(log)
    const search = new URLSearchParams(query)

    // Every response passes through here so the log records its status.
    const respond = (
      status: number,
      head: OutgoingHttpHeaders,
      body: Buffer,
      matched?: MatchedFaults,
    ): void => {
      log.status = status
      options.onRequest?.(log)
      const noBody = req.method === 'HEAD' || status === 304 || status === 204
      if (noBody || body.length === 0 || matched?.body === undefined) {
        res.writeHead(status, head)
        res.end(noBody ? undefined : body)
        return
      }
      writeWithFault(res, status, head, body, matched.body)
    }

    // A front proxy owns the space outside its prefix (Go net/http `NotFound`).
    let routePath = path
    if (prefix !== '') {
      if (path !== prefix && !path.startsWith(prefix + '/')) {
        respond(404, textHeaders(), Buffer.from('404 page not found\n'))
        return
      }
      routePath = path.slice(prefix.length) || '/'
    }

    // apiserver `pkg/endpoints/filters/cachecontrol.go` WithCacheControl: every response carries
    // `Cache-Control: no-cache, private` unless a handler sets its own.
    const cacheControl = { 'Cache-Control': 'no-cache, private' }

    if (!authenticated(req)) {
      // apiserver `pkg/endpoints/handlers/responsewriters/errors.go` via
      // `pkg/endpoints/filters/authentication.go` Unauthorized: a Status with reason Unauthorized.
      respond(
        401,
        { ...cacheControl, 'Content-Type': 'application/json' },
        statusBody(401, 'Unauthorized', 'Unauthorized'),
      )
      return
    }

    const matched = faults.match(routePath)
    if (matched.latencyMs > 0) await later(matched.latencyMs)
    if (closed) {
      res.destroy()
      return
    }
    if (matched.status !== undefined) {
      const { status, retryAfter } = matched.status
      const head: OutgoingHttpHeaders = { ...cacheControl, 'Content-Type': 'application/json' }
      if (retryAfter !== undefined) head['Retry-After'] = String(retryAfter)
      respond(status, head, injectedStatusBody(status, retryAfter), matched)
      return
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      respond(
        405,
        { ...cacheControl, 'Content-Type': 'application/json' },
        statusBody(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        ),
      )
      return
    }

    const json = (status: number, body: unknown, pretty = false): void => {
      // Discovery goes through the apimachinery JSON serializer (compact, newline-terminated,
      // `runtime/serializer/json`); /version through `responsewriters.WriteRawJSON` (indented).
      const text = pretty ? JSON.stringify(body, null, '  ') : JSON.stringify(body) + '\n'
      respond(
        status,
        { ...cacheControl, 'Content-Type': 'application/json' },
        Buffer.from(text),
        matched,
      )
    }
    const notFoundStatus = (): void => {
      respond(
        404,
        { ...cacheControl, 'Content-Type': 'application/json' },
        statusBody(404, 'NotFound', 'the server could not find the requested resource', {}),
        matched,
      )
    }
    const notFoundText = (): void => {
      respond(
        404,
        { ...cacheControl, ...textHeaders() },
        Buffer.from('404 page not found\n'),
        matched,
      )
    }
    // kube-aggregator `pkg/apiserver/handler_proxy.go`: an APIService without a reachable backend
    // answers `503 service unavailable` through http.Error.
    const unavailable = (): void => {
      respond(
        503,
        { ...cacheControl, ...textHeaders() },
        Buffer.from('service unavailable\n'),
        matched,
      )
    }

    const trimmed = routePath.length > 1 ? routePath.replace(/\/$/, '') : routePath
    if (trimmed === '/version') {
      json(200, profile.version, true)
      return
    }
    if (trimmed === '/api') {
      // apiserver `pkg/endpoints/discovery/legacy.go`: APIVersions with the address clients use.
      const versions = discoverable()
        .filter((e) => e.gv.group === '')
        .map((e) => e.gv.version)
      json(200, {
        kind: 'APIVersions',
        versions,
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: serverAddress() }],
      })
      return
    }
    if (trimmed === '/apis') {
      // apiserver `pkg/endpoints/discovery/root.go` rootAPIsHandler: APIGroupList.
      json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: deriveGroups(gvs()) })
      return
    }
    const discovery = /^\/api\/([^/]+)$|^\/apis\/([^/]+)\/([^/]+)$/.exec(trimmed)
    if (discovery !== null) {
      const key =
        discovery[1] !== undefined ? `api/${discovery[1]}` : `apis/${discovery[2]}/${discovery[3]}`
      const entry = entries.get(key)
      if (entry === undefined || discoveryOf(entry).resources.length === 0) notFoundStatus()
      else if (entry.unavailable) unavailable()
      else json(200, discoveryOf(entry))
      return
    }
    const group = /^\/apis\/([^/]+)$/.exec(trimmed)?.[1]
    if (group !== undefined) {
      // apiserver `pkg/endpoints/discovery/group.go`: APIGroup.
      const found = deriveGroups(gvs()).find((g) => g.name === group)
      if (found === undefined) notFoundStatus()
      else json(200, { kind: 'APIGroup', apiVersion: 'v1', ...found })
      return
    }
    if (routePath === '/openapi/v2') {
      const served = v2Document()
      if (served === undefined) notFoundText()
      else serveV2(req, served, respond, matched, cacheControl)
      return
    }
    if (routePath === '/openapi/v3') {
      if (!servesV3) notFoundText()
      else serveV3Root(req, respond, matched, cacheControl)
      return
    }
    if (routePath.startsWith('/openapi/v3/')) {
      if (!servesV3) {
        notFoundText()
        return
      }
      const key = routePath.slice('/openapi/v3/'.length)
      serveV3GroupVersion(req, key, search, respond, matched, cacheControl)
      return
    }
    if (trimmed.startsWith('/api/') || trimmed.startsWith('/apis/')) notFoundStatus()
    else notFoundText()
  }

  type Respond = (
    status: number,
    head: OutgoingHttpHeaders,
    body: Buffer,
    matched?: MatchedFaults,
  ) => void

  // kube-openapi `pkg/handler/handler.go` RegisterOpenAPIVersionedService: negotiate JSON
  // (protobuf is not produced here, so a protobuf-only Accept gets 406), quoted ETag, then
  // http.ServeContent (304 on If-None-Match), all inside gziphandler.
  function serveV2(
    req: IncomingMessage,
    served: ServedDocument,
    respond: Respond,
    matched: MatchedFaults,
    cacheControl: Record<string, string>,
  ): void {
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

  // kube-openapi `pkg/handler3/handler.go` HandleDiscovery: `{"paths": {key: {serverRelativeURL}}}`
  // (Go marshals map keys sorted), no ETag, served with http.ServeContent.
  function serveV3Root(
    req: IncomingMessage,
    respond: Respond,
    matched: MatchedFaults,
    cacheControl: Record<string, string>,
  ): void {
    const paths: Record<string, { serverRelativeURL: string }> = {}
    const keys = rootKeys()
    for (const key of [...keys].sort()) {
      const served = servedOf(key, keys)
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
    if (options.rootEtag === true) {
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
  function serveV3GroupVersion(
    req: IncomingMessage,
    key: string,
    search: URLSearchParams,
    respond: Respond,
    matched: MatchedFaults,
    cacheControl: Record<string, string>,
  ): void {
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
    const found = servedOf(key)
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

  function reset(res: ServerResponse): void {
    const socket = res.socket
    if (socket === null) return
    // A TLS socket cannot send an RST itself; the TCP socket underneath it (the one the
    // server saw on 'connection', same remote endpoint) can.
    const tcp = [...sockets].find(
      (s) => s.remotePort === socket.remotePort && s.remoteAddress === socket.remoteAddress,
    )
    if (tcp === undefined) socket.destroy()
    else tcp.resetAndDestroy()
  }

  function writeWithFault(
    res: ServerResponse,
    status: number,
    head: OutgoingHttpHeaders,
    body: Buffer,
    fault: NonNullable<MatchedFaults['body']>,
  ): void {
    const withLength = { ...head, 'Content-Length': body.length }
    switch (fault.kind) {
      case 'reset': {
        res.writeHead(status, withLength)
        res.write(body.subarray(0, Math.min(fault.afterBytes, body.length)), () => {
          // Reset once the bytes are on the wire: an RST that overtakes them would drop them.
          void later(20).then(() => reset(res))
        })
        return
      }
      case 'truncate': {
        res.writeHead(status, withLength)
        res.write(body.subarray(0, Math.min(fault.bytes, body.length)), () => {
          res.socket?.end()
        })
        return
      }
      case 'drip': {
        res.writeHead(status, withLength)
        let offset = 0
        const step = (): void => {
          if (closed || res.destroyed) return
          const chunk = body.subarray(offset, offset + Math.max(1, fault.chunkBytes))
          offset += chunk.length
          if (offset >= body.length) {
            res.end(chunk)
            return
          }
          res.write(chunk)
          void later(fault.intervalMs).then(step)
        }
        step()
        return
      }
    }
  }

  // kube-apiserver installs a group-version only when it has resources ("Skipping API … because
  // it has no resources", apiserver `pkg/server/genericapiserver.go` installAPIResources), so
  // discovery leaves out documents without resource paths even when /openapi/v3 lists them.
  function discoverable(): Entry[] {
    return [...entries.values()].filter((e) => discoveryOf(e).resources.length > 0)
  }

  function gvs(): GroupVersion[] {
    return discoverable().map((e) => e.gv)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new TestkitError(
          'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
          `cannot listen on ${host}:${options.port ?? 0}: ${error.message}`,
          { cause: error },
        ),
      ),
    )
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const hostInUrl = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host
  function serverAddress(): string {
    return `${hostInUrl}:${address.port}`
  }
  const url = `${certificates === undefined ? 'http' : 'https'}://${serverAddress()}${prefix}`

  const api: ApiServer = {
    url,
    caPem: certificates?.ca.certPem ?? '',
    token,
    requests,
    clearRequests() {
      requests.length = 0
    },
    kubeconfig(path, kubeconfigOptions) {
      const mode =
        kubeconfigOptions?.auth ??
        (token !== undefined ? 'token' : clientCertAuth ? 'clientCert' : 'none')
      if (mode === 'token' && token === undefined) {
        return Promise.reject(
          new TestkitError(
            'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
            'kubeconfig auth "token": this server was started with auth.token false',
          ),
        )
      }
      if (mode === 'clientCert' && certificates === undefined) {
        return Promise.reject(
          new TestkitError(
            'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
            'kubeconfig auth "clientCert": this server was started without auth.clientCert',
          ),
        )
      }
      if (mode === 'clientCert' && !clientCertAuth) {
        return Promise.reject(
          new TestkitError(
            'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
            'kubeconfig auth "clientCert": this server was started without auth.clientCert',
          ),
        )
      }
      let target = path
      if (target === undefined) {
        const dir = mkdtempSync(join(tmpdir(), 'k8s-emulator-'))
        tempDirs.push(dir)
        target = join(dir, 'kubeconfig')
      }
      try {
        writeFileSync(
          target,
          renderKubeconfig(url, certificates?.ca.certPem, mode, token, certificates?.client),
          { mode: 0o600 },
        )
      } catch (error) {
        return Promise.reject(
          new TestkitError(
            'K8S_CODEGEN_TESTKIT_OPTION_INVALID',
            `kubeconfig path ${target} cannot be written: ${(error as Error).message}`,
            { cause: error },
          ),
        )
      }
      return Promise.resolve(target)
    },
    hashOf(key) {
      if (!servesV3) return undefined
      return servedOf(key)?.served.hash
    },
    setGroupVersion(key, doc) {
      if (!isJsonObject(doc)) {
        throw new TestkitError(
          'K8S_CODEGEN_TESTKIT_PROFILE_INVALID',
          `setGroupVersion(${JSON.stringify(key)}): the document must be a JSON object`,
        )
      }
      put(key, doc)
    },
    removeGroupVersion(key) {
      requireGroupVersion(key)
      if (!entries.delete(key)) {
        throw new TestkitError(
          'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
          `removeGroupVersion(${JSON.stringify(key)}): this server does not serve that group-version`,
        )
      }
    },
    markUnavailable(key) {
      const entry = entries.get(requireGroupVersion(key).key)
      if (entry === undefined) {
        throw new TestkitError(
          'K8S_CODEGEN_TESTKIT_GROUP_VERSION_INVALID',
          `markUnavailable(${JSON.stringify(key)}): this server does not serve that group-version`,
        )
      }
      entry.unavailable = true
    },
    injectFault(fault) {
      return faults.add(fault)
    },
    async close() {
      if (closed) return
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
    },
  }
  if (clientCertAuth && certificates !== undefined) api.clientCert = { ...certificates.client }
  return api
}

function textHeaders(): Record<string, string> {
  // Go net/http `Error`/`NotFound`.
  return { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }
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

/** Bytes that parse like the original but hash differently (a `wrong-hash` fault). */
function corrupt(bytes: Buffer): Buffer {
  return Buffer.concat([bytes, Buffer.from(' ')])
}

/** The same document, changed the way a spec update changes it, so its hash moves. */
function revise(document: unknown, revision: number): unknown {
  if (!isJsonObject(document)) return document
  const info = isJsonObject(document['info']) ? document['info'] : {}
  return { ...document, info: { ...info, 'x-emulator-revision': revision } }
}

// apimachinery `pkg/api/errors/errors.go`: NewTooManyRequests, NewInternalError,
// NewServiceUnavailable and the generic NewGenericServerResponse reasons per code.
function injectedStatusBody(status: number, retryAfter: number | undefined): Buffer {
  const details = retryAfter === undefined ? undefined : { retryAfterSeconds: retryAfter }
  switch (status) {
    case 429:
      return statusBody(
        429,
        'TooManyRequests',
        'Too many requests, please try again later.',
        details,
      )
    case 500:
      return statusBody(500, 'InternalError', 'Internal error occurred: injected fault', {
        causes: [{ message: 'injected fault' }],
      })
    case 503:
      return statusBody(
        503,
        'ServiceUnavailable',
        'the server is currently unable to handle the request',
        details,
      )
    case 504:
      return statusBody(
        504,
        'Timeout',
        'the server was unable to return a response in the time allotted, but may still be processing the request',
        details,
      )
    case 403:
      return statusBody(403, 'Forbidden', 'forbidden: injected fault', details)
    case 401:
      return statusBody(401, 'Unauthorized', 'Unauthorized')
    default:
      return statusBody(
        status,
        '',
        `an error on the server ("injected fault") has prevented the request from succeeding`,
        details,
      )
  }
}

function renderKubeconfig(
  server: string,
  caPem: string | undefined,
  mode: 'token' | 'clientCert' | 'none',
  token: string | undefined,
  client: KeyPairPem | undefined,
): string {
  const cluster: Record<string, string> = { server }
  if (caPem !== undefined)
    cluster['certificate-authority-data'] = Buffer.from(caPem).toString('base64')
  const user: Record<string, string> = {}
  if (mode === 'token' && token !== undefined) user['token'] = token
  if (mode === 'clientCert' && client !== undefined) {
    user['client-certificate-data'] = Buffer.from(client.certPem).toString('base64')
    user['client-key-data'] = Buffer.from(client.keyPem).toString('base64')
  }
  // JSON is YAML: kubectl, client-go and @kubernetes/client-node read it as a kubeconfig.
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k8s-emulator', cluster }],
    users: [{ name: 'k8s-emulator', user }],
    contexts: [
      { name: 'k8s-emulator', context: { cluster: 'k8s-emulator', user: 'k8s-emulator' } },
    ],
    'current-context': 'k8s-emulator',
    preferences: {},
  }
  return JSON.stringify(config, null, 2) + '\n'
}
