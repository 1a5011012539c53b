// The resource routes of `/api/v1/…` and `/apis/<group>/<version>/…`, as apiserver
// `pkg/endpoints/installer.go` registers them and `pkg/endpoints/handlers` (create.go,
// get.go, update.go, patch.go, delete.go, rest.go) serve them: verbs by HTTP method and path
// shape, query options, content types, body limits, Status errors and warnings.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { parse as parseYaml } from 'yaml'
import { queryBool } from './_query.js'
import { isJsonObject, scalarText, type JsonObject } from './_json.js'
import type { Exchange } from './_exchange.js'
import {
  list,
  listMetadata,
  selectionOf,
  served,
  SerializedJson,
  watch,
  type WatchSettings,
} from './list-watch.js'
import {
  collectionOf,
  isCustom,
  managerOf,
  type PatchType,
  type Registry,
  type WriteOptions,
} from './registry.js'
import type { ResourceCatalog, ResourceInfo } from './resource-catalog.js'
import {
  ApiStatusError,
  badRequest,
  genericServerResponse,
  invalid,
  methodNotSupported,
  tooLarge,
  unsupportedMediaType,
} from './status-errors.js'
import { deprecationWarning } from './deprecation.js'
import { evict } from './eviction.js'
import { connectPod, podConnectSubresources } from './pod-connect.js'
import { selfSubjectReview } from './self-subject-review.js'
import { accessReview, reviewKinds } from './access-review.js'
import type { ServiceAccountTokens } from './service-account-token.js'
import { issueToken } from './token-request.js'
import type { PodLogs } from './pod-logs.js'
import { decodeProtobufObject, protobufMediaType } from './protobuf-body.js'
import { serverFeatures } from './profile.js'
import { patchScale } from './scale-patch.js'
import { tableColumnsOf, toTable, wantsTable } from './table.js'
import { asPartialObjectMetadata, partialMetadataViewOf } from './partial-metadata.js'

/** A parsed resource path. */
export interface ResourcePath {
  group: string
  version: string
  namespace: string | undefined
  resource: string
  name: string | undefined
  subresource: string | undefined
  /** The raw path after `/<subresource>` (for `proxy`), starting with `/` or empty. */
  rest: string
}

/**
 * Splits a resource path: `/api/v1/namespaces/{ns}/pods/{name}/status`,
 * `/apis/apps/v1/deployments`, `/api/v1/namespaces/{name}/status` (a namespace's own
 * subresource), `/api/v1/namespaces/{ns}/services/{name}/proxy/…`.
 */
export function parseResourcePath(path: string): ResourcePath | undefined {
  const match = /^\/api\/([^/]+)(\/.*)?$|^\/apis\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path)
  if (match === null) return undefined
  const group = match[1] !== undefined ? '' : (match[3] ?? '')
  const version = match[1] ?? match[4] ?? ''
  const tail = (match[1] !== undefined ? match[2] : match[5]) ?? ''
  const raw = tail.split('/').slice(1)
  if (raw.length === 0 || raw[0] === '') return undefined
  // Go routes on the decoded path (`URL.Path`; go-restful's router and the apiserver's
  // request-info resolver split it): `%2F` separates segments and `%2e%2e` is a segment named
  // `..`, never resolved. Only the proxy's rest keeps the raw form.
  let decoded = tail
  try {
    decoded = decodeURIComponent(tail)
  } catch {
    // Not valid percent-encoding: the segments stay as sent.
  }
  const segments = decoded.split('/').slice(1)
  let namespace: string | undefined
  let offset = 0
  const namespaceOwn =
    segments.length === 3 && (segments[2] === 'status' || segments[2] === 'finalize')
  if (segments[0] === 'namespaces' && segments.length >= 3 && !namespaceOwn) {
    namespace = segments[1]
    offset = 2
  }
  const resource = segments[offset]
  if (resource === undefined || resource === '') return undefined
  const name = segments[offset + 1]
  const subresource = segments[offset + 2]
  const rest =
    raw.length > offset + 3
      ? `/${raw.slice(offset + 3).join('/')}`
      : tail.endsWith('/') && subresource !== undefined
        ? '/'
        : ''
  return {
    group,
    version,
    namespace,
    resource,
    name: name === '' ? undefined : name,
    subresource,
    rest,
  }
}

// apiserver `pkg/server/config.go`: MaxRequestBodyBytes defaults to 3 MiB.
const maxBodyBytes = 3 * 1024 * 1024
// Go net/http `maxPostHandlerReadBytes` (server.go): what the server reads of a body the handler
// left unread, to keep the connection alive.
const maxPostHandlerReadBytes = 256 * 1024

// apiserver `pkg/endpoints/handlers/rest.go` limitedReadBody: limit + 1 bytes, then 413. Go's
// `(*body).Close` then reads up to 256 KiB more looking for the end: found, the connection stays
// alive; not found (or a Content-Length says so at once), the answer says `Connection: close`.
// The stream is never destroyed under a request, so a kept-alive connection survives a 413.
function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const refuse = (close: boolean): void => {
      req.removeListener('data', onData)
      req.removeListener('end', onEnd)
      const error = tooLarge(`limit is ${maxBodyBytes}`)
      error.closeConnection = close
      if (close) req.pause()
      reject(error)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > maxBodyBytes + 1 + maxPostHandlerReadBytes) refuse(true)
      else if (size <= maxBodyBytes) chunks.push(chunk)
    }
    const onEnd = (): void => {
      if (size > maxBodyBytes) refuse(false)
      else resolve(Buffer.concat(chunks))
    }
    if (declared > maxBodyBytes + 1 + maxPostHandlerReadBytes) {
      refuse(true)
      return
    }
    req.on('data', onData)
    req.once('end', onEnd)
    req.once('error', reject)
  })
}

// Go encoding/json `maxNestingDepth` (sigs.k8s.io/json, which the apiserver decodes with):
// deeper input is a syntax error, `invalid character '{' exceeded max depth`.
const maxNestingDepth = 10_000

function nestingError(value: unknown): string | undefined {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (node === null || typeof node !== 'object') continue
    const children = Array.isArray(node) ? node : Object.values(node)
    if (depth > maxNestingDepth)
      return `invalid character '${Array.isArray(node) ? '[' : '{'}' exceeded max depth`
    for (const child of children) stack.push([child, depth + 1])
  }
  return undefined
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

// The body of a create, update or eviction: JSON, YAML, or protobuf for a built-in kind (a
// custom resource's serializer has no protobuf: apiextensions-apiserver
// `unstructuredNegotiatedSerializer`).
async function objectBody(
  req: IncomingMessage,
  info: ResourceInfo,
  expected: { apiVersion: string; kind: string } = info,
): Promise<JsonObject> {
  const type = mediaType(req)
  const builtIn = !isCustom(info) && info.schema !== undefined
  if (type === protobufMediaType && builtIn) {
    return decodeProtobufObject(await readBody(req), expected)
  }
  if (type !== 'application/json' && type !== 'application/yaml' && type !== '') {
    if (builtIn) throw genericServerResponse(415, '415: Unsupported Media Type')
    throw unsupportedMediaType(['application/json', 'application/yaml'])
  }
  const value = decode(await readBody(req), type === 'application/yaml' ? 'yaml' : 'json')
  if (!isJsonObject(value)) throw badRequest('the request body must be a JSON object')
  return value
}

// A delete's dryRun: `?dryRun=All` or `dryRun: ["All"]` in its DeleteOptions body.
function dryRunOf(deleteOptions: unknown, search: URLSearchParams): boolean {
  const fromBody = isJsonObject(deleteOptions) ? deleteOptions['dryRun'] : undefined
  return (
    search.getAll('dryRun').includes('All') || (Array.isArray(fromBody) && fromBody.includes('All'))
  )
}

// handlers/delete.go DeleteResource decodes the body with metainternalversionscheme's codecs:
// JSON, YAML or protobuf (what a typed client-go clientset sends), for custom resources too.
function deleteOptionsOf(req: IncomingMessage, body: Buffer, info: ResourceInfo): unknown {
  if (body.length === 0) return {}
  const type = mediaType(req)
  if (type === protobufMediaType)
    return decodeProtobufObject(body, { apiVersion: info.apiVersion, kind: 'DeleteOptions' })
  if (type !== 'application/json' && type !== 'application/yaml' && type !== '')
    throw unsupportedMediaType(['application/json', 'application/yaml', protobufMediaType])
  return decode(body, type === 'application/yaml' ? 'yaml' : 'json')
}

function isValidJson(body: Buffer): boolean {
  try {
    JSON.parse(body.toString('utf8'))
    return true
  } catch {
    return false
  }
}

function decode(body: Buffer, type: string): unknown {
  const text = body.toString('utf8')
  let value: unknown
  try {
    value = type.endsWith('yaml')
      ? (parseYaml(text, { maxAliasCount: 100 }) as unknown)
      : (JSON.parse(text) as unknown)
  } catch (error) {
    throw badRequest(
      `error decoding request body: ${(error as Error).message.split('\n')[0] ?? ''}`,
    )
  }
  const tooDeep = nestingError(value)
  if (tooDeep !== undefined) throw badRequest(`error decoding request body: ${tooDeep}`)
  return value
}

// A DELETE's DeleteOptions: JSON, YAML or protobuf whatever the resource, as the delete handler
// decodes it with the meta codecs (apiserver `pkg/endpoints/handlers/delete.go`
// DeleteResource: NegotiateInputSerializer over GetMetaInternalVersionCodecs); client-go's typed
// clients send protobuf (helm's release Secrets).

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
}

function writeOptions(exchange: Exchange, options: { forPatch: boolean }): WriteOptions {
  const { search, req } = exchange
  const dryRun = search.getAll('dryRun')
  for (const value of dryRun) {
    if (value !== 'All') {
      throw invalid(
        { group: 'meta.k8s.io', kind: options.forPatch ? 'PatchOptions' : 'CreateOptions' },
        '',
        [
          {
            reason: 'FieldValueNotSupported',
            message: `Unsupported value: ${JSON.stringify(value)}: supported values: "All"`,
            field: 'dryRun',
          },
        ],
      )
    }
  }
  const validation = search.get('fieldValidation') ?? 'Warn'
  if (validation !== 'Strict' && validation !== 'Warn' && validation !== 'Ignore') {
    throw badRequest(
      `fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(validation)}`,
    )
  }
  return {
    dryRun: dryRun.length > 0,
    fieldManager: managerOf(search.get('fieldManager'), req.headers['user-agent']),
    fieldValidation: validation,
    warnings: [],
  }
}

/** The services a resource route needs. */
export interface ResourceContext {
  catalog: ResourceCatalog
  registry: Registry
  watch: WatchSettings
  /** Serves `…/{name}/proxy/…` of services, pods and nodes. */
  proxy(exchange: Exchange, info: ResourceInfo, path: ResourcePath): Promise<void>
  /** The containers' logs behind `pods/log`. */
  podLogs: PodLogs
  /** The server's version, which decides what is deprecated (`/version`). */
  version: { major: string; minor: string }
  /** Issues (`serviceaccounts/token`) and checks the service account tokens. */
  serviceAccountTokens: ServiceAccountTokens
}

// `299 - "<text>"` (apiserver `pkg/warning`), first among a response's warnings.
function warningValue(text: string): string {
  return `299 - ${JSON.stringify(text)}`
}

// installer.go AddWarningsHandler: the route's warnings on every answer, errors and watches too.
function withWarning(exchange: Exchange, text: string): Exchange {
  const add = (head: OutgoingHttpHeaders): OutgoingHttpHeaders => {
    const existing = head['Warning']
    const rest =
      existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)]
    return { ...head, Warning: [warningValue(text), ...rest] }
  }
  return {
    ...exchange,
    respond: (status, head, body, matched) => exchange.respond(status, add(head), body, matched),
    stream: (status, head) => exchange.stream(status, add(head)),
  }
}

function send(exchange: Exchange, status: number, body: unknown, warnings: string[] = []): void {
  const head: OutgoingHttpHeaders = { ...exchange.cacheControl, 'Content-Type': 'application/json' }
  // apiserver `pkg/endpoints/handlers/responsewriters` + `pkg/warning`: `299 - "<text>"` each.
  if (warnings.length > 0) head['Warning'] = warnings.map(warningValue)
  const text = body instanceof SerializedJson ? body.text : JSON.stringify(body)
  exchange.respond(status, head, Buffer.from(text + '\n'), exchange.matched)
}

/** Writes an ApiStatusError as the apiserver does (`responsewriters.ErrorNegotiated`). */
export function sendStatus(exchange: Exchange, error: ApiStatusError): void {
  const head: OutgoingHttpHeaders = { ...exchange.cacheControl, 'Content-Type': 'application/json' }
  if (error.retryAfterSeconds !== undefined) head['Retry-After'] = String(error.retryAfterSeconds)
  if (error.closeConnection) head['Connection'] = 'close'
  exchange.respond(
    error.code,
    head,
    Buffer.from(JSON.stringify(error.toStatus()) + '\n'),
    exchange.matched,
  )
}

function genericMethodNotAllowed(): ApiStatusError {
  return new ApiStatusError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
  )
}

/** Serves one resource request; false when the path names no served resource. */
export async function serveResource(
  exchange: Exchange,
  context: ResourceContext,
): Promise<boolean> {
  const path = parseResourcePath(exchange.routePath)
  if (path === undefined) return false
  const info = context.catalog.get(path.group, path.version, path.resource)
  if (info === undefined) return false
  if (path.namespace !== undefined && !info.namespaced) return false
  if (path.subresource !== undefined && !info.subresources.has(path.subresource)) return false
  if (path.subresource !== undefined && path.subresource !== 'proxy' && path.rest !== '')
    return false
  // The kind registered at the route: the resource's own and its status subresource's.
  const deprecated =
    path.subresource === undefined || path.subresource === 'status'
      ? deprecationWarning(info.apiVersion, info.kind, context.version)
      : undefined
  if (deprecated !== undefined) exchange = withWarning(exchange, deprecated)
  try {
    if (path.subresource === 'proxy') {
      await context.proxy(exchange, info, path)
      return true
    }
    if (path.subresource === 'log' || path.subresource === 'eviction') {
      await podSubresource(exchange, context, info, path)
      return true
    }
    if (info.group === '' && podConnectSubresources.has(path.subresource ?? '')) {
      const method = exchange.req.method ?? 'GET'
      if (method !== 'GET' && method !== 'POST') {
        // The router's 405 (go-restful: no route of the method): empty details.
        const error = genericMethodNotAllowed()
        throw new ApiStatusError(error.code, error.reason, error.message, {})
      }
      const { registry, catalog } = context
      connectPod(
        exchange,
        registry,
        catalog,
        info,
        path.namespace ?? '',
        path.name ?? '',
        path.subresource ?? '',
      )
    }
    if (info.group === '' && info.resource === 'serviceaccounts' && path.subresource === 'token') {
      await serviceAccountToken(exchange, context, info, path)
      return true
    }
    if (info.group === 'authentication.k8s.io' && info.resource === 'selfsubjectreviews') {
      if (exchange.req.method !== 'POST' || path.name !== undefined) throw genericMethodNotAllowed()
      const expected = { apiVersion: info.apiVersion, kind: 'SelfSubjectReview' }
      await objectBody(exchange.req, info, expected)
      send(exchange, 201, selfSubjectReview(exchange.user, info.version))
      return true
    }
    if (info.group === 'authorization.k8s.io' && reviewKinds[info.resource] !== undefined) {
      if (exchange.req.method !== 'POST' || path.name !== undefined) throw genericMethodNotAllowed()
      const { fieldManager } = writeOptions(exchange, { forPatch: false })
      const expected = { apiVersion: info.apiVersion, kind: reviewKinds[info.resource] ?? '' }
      const body = await objectBody(exchange.req, info, expected)
      send(exchange, 201, accessReview(info, body, path.namespace ?? '', fieldManager))
      return true
    }
    await dispatch(exchange, context, info, path)
  } catch (error) {
    if (!(error instanceof ApiStatusError)) throw error
    sendStatus(exchange, error)
  }
  return true
}

// `pods/log` (GET, kubernetes `pkg/registry/core/pod/rest/log.go`) and `pods/eviction` (POST,
// `pkg/registry/core/pod/storage/eviction.go`): the only routes each registers.
async function podSubresource(
  exchange: Exchange,
  context: ResourceContext,
  info: ResourceInfo,
  path: ResourcePath,
): Promise<void> {
  const method = exchange.req.method ?? 'GET'
  const namespace = path.namespace ?? ''
  const name = path.name ?? ''
  if (path.subresource === 'log') {
    if (method !== 'GET') throw genericMethodNotAllowed()
    context.podLogs.serve(exchange, info, namespace, name)
    return
  }
  if (method !== 'POST') throw genericMethodNotAllowed()
  const options = writeOptions(exchange, { forPatch: false })
  const body = await objectBody(exchange.req, info, { apiVersion: 'policy/v1', kind: 'Eviction' })
  send(
    exchange,
    201,
    evict(context.registry, context.catalog, info, namespace, name, body, options.dryRun),
  )
}

// `serviceaccounts/token` (POST only; kubernetes `pkg/registry/core/serviceaccount/storage/
// token.go`): a GET is the router's 405, whose Status carries empty details.
async function serviceAccountToken(
  exchange: Exchange,
  context: ResourceContext,
  info: ResourceInfo,
  path: ResourcePath,
): Promise<void> {
  if (exchange.req.method !== 'POST') {
    const error = genericMethodNotAllowed()
    throw new ApiStatusError(error.code, error.reason, error.message, {})
  }
  const { fieldManager } = writeOptions(exchange, { forPatch: false })
  const expected = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest' }
  const body = await objectBody(exchange.req, info, expected)
  send(
    exchange,
    201,
    issueToken(context, path.namespace ?? '', path.name ?? '', body, fieldManager),
  )
}

function requireVerb(info: ResourceInfo, verb: string): void {
  if (!info.verbs.has(verb)) throw methodNotSupported(info, verb)
}

// apiserver `pkg/registry/generic/registry/store.go` NamespaceKeyFunc / NoNamespaceKeyFunc with
// apimachinery `pkg/api/validate/content/path.go` IsPathSegmentName: a name from the URL is
// never `.` or `..` and holds no `/` or `%` (Go splits the decoded path, so `%2F` cannot reach
// here; `%252F` does).
function requirePathSegmentName(name: string): void {
  const problems =
    name === '.' || name === '..'
      ? [`may not be '${name}'`]
      : ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`)
  if (problems.length > 0) {
    throw badRequest(`Name parameter invalid: ${JSON.stringify(name)}: ${problems.join(';')}`)
  }
}

// apiserver `pkg/endpoints/handlers/patch.go` maxJSONPatchOperations.
const maxJsonPatchOperations = 10_000

async function dispatch(
  exchange: Exchange,
  context: ResourceContext,
  info: ResourceInfo,
  path: ResourcePath,
): Promise<void> {
  const { req, search } = exchange
  const { registry } = context
  const method = req.method ?? 'GET'
  const namespace = path.namespace ?? ''
  const table = wantsTable(req.headers.accept)
    ? { includeObject: search.get('includeObject') }
    : undefined
  const partial = table === undefined ? partialMetadataViewOf(req.headers.accept) : undefined
  const subresource = path.subresource as 'status' | 'scale' | undefined

  if (path.name === undefined) {
    switch (method) {
      case 'GET':
      case 'HEAD': {
        const watching = queryBool(search, 'watch')
        requireVerb(info, watching ? 'watch' : 'list')
        const selection = selectionOf(info, path.namespace, search)
        if (watching) {
          watch(
            registry,
            selection,
            search,
            table,
            context.watch,
            () =>
              exchange.stream(200, {
                ...exchange.cacheControl,
                'Content-Type': 'application/json',
                'Transfer-Encoding': 'chunked',
              }),
            partial,
          )
          return
        }
        send(exchange, 200, list(registry, selection, search, table, partial))
        return
      }
      case 'POST': {
        requireVerb(info, 'create')
        if (info.namespaced && path.namespace === undefined) throw genericMethodNotAllowed()
        const options = writeOptions(exchange, { forPatch: false })
        const body = await objectBody(req, info)
        const created = registry.create(info, namespace, body, options)
        send(exchange, 201, served(info, created), options.warnings)
        return
      }
      case 'DELETE': {
        requireVerb(info, 'deletecollection')
        const options = writeOptions(exchange, { forPatch: false })
        // handlers/delete.go DeleteCollection reads the body's DeleteOptions as a delete does.
        const dryRun =
          options.dryRun || dryRunOf(deleteOptionsOf(req, await readBody(req), info), search)
        const selection = selectionOf(info, path.namespace, search)
        const items = registry.select(
          registry.store.list(collectionOf(info), path.namespace),
          info,
          selection.labels,
          selection.fields,
        )
        const deleted: JsonObject[] = []
        for (const item of items) {
          const meta = item['metadata'] as JsonObject
          deleted.push(
            registry.delete(info, scalarText(meta['namespace']), String(meta['name']), {
              dryRun,
            }).object,
          )
        }
        send(exchange, 200, {
          kind: `${info.kind}List`,
          apiVersion: info.apiVersion,
          metadata: listMetadata(info, { resourceVersion: String(registry.store.revision) }),
          items: deleted.map((o) => served(info, o)),
        })
        return
      }
      default:
        throw genericMethodNotAllowed()
    }
  }

  const name = path.name
  switch (method) {
    case 'GET':
    case 'HEAD': {
      requireVerb(info, 'get')
      requirePathSegmentName(name)
      const object = registry.getOrThrow(info, info.namespaced ? namespace : '', name)
      if (subresource === 'scale') {
        send(exchange, 200, registry.scaleOf(info, object))
        return
      }
      const out = served(info, object)
      if (partial !== undefined) {
        send(exchange, 200, asPartialObjectMetadata(out, partial, info))
        return
      }
      send(
        exchange,
        200,
        table === undefined
          ? out
          : toTable(
              [out],
              {
                resourceVersion: scalarText((object['metadata'] as JsonObject)['resourceVersion']),
              },
              table.includeObject,
              tableColumnsOf(registry, info),
            ),
      )
      return
    }
    case 'PUT': {
      requireVerb(info, 'update')
      requirePathSegmentName(name)
      const options = writeOptions(exchange, { forPatch: false })
      const body = await objectBody(req, info)
      if (subresource === 'scale') {
        send(
          exchange,
          200,
          registry.updateScale(info, namespace, name, body, options),
          options.warnings,
        )
        return
      }
      const updated = registry.update(info, namespace, name, body, subresource, options)
      send(exchange, 200, served(info, updated), options.warnings)
      return
    }
    case 'PATCH': {
      requireVerb(info, 'patch')
      const type = patchTypes[mediaType(req)]
      const custom = isCustom(info) || info.schema === undefined
      const apply = serverFeatures(context.version).serverSideApply
      if (type === undefined || (type === 'strategic' && custom) || (type === 'apply' && !apply)) {
        // A built-in route consumes exactly its patch types (apiserver
        // pkg/endpoints/installer.go); apiextensions-apiserver checks a custom resource's itself
        // (customresource_handler.go patchResource).
        if (!custom) throw genericServerResponse(415, '415: Unsupported Media Type')
        const supported = ['application/json-patch+json', 'application/merge-patch+json']
        if (apply) supported.push('application/apply-patch+yaml')
        throw unsupportedMediaType(supported)
      }
      const options = writeOptions(exchange, { forPatch: true })
      const forceParam = search.get('force')
      if (forceParam !== null && type !== 'apply') {
        throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
          {
            reason: 'FieldValueForbidden',
            message: 'Forbidden: may not be specified for non-apply patch',
            field: 'force',
          },
        ])
      }
      if (type === 'apply' && (search.get('fieldManager') ?? '') === '') {
        throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: is required for apply patch',
            field: 'fieldManager',
          },
        ])
      }
      const body = await readBody(req)
      // handlers/patch.go validateAndTranscodePatch: a non-apply patch must be valid JSON.
      if (type !== 'apply' && !isValidJson(body)) throw badRequest('invalid JSON patch')
      const patch = decode(body, type === 'apply' ? 'yaml' : 'json')
      if (type === 'json' && Array.isArray(patch) && patch.length > maxJsonPatchOperations) {
        throw tooLarge(
          `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`,
        )
      }
      requirePathSegmentName(name)
      if (subresource === 'scale') {
        const live = registry.getOrThrow(info, info.namespaced ? namespace : '', name)
        const scale = registry.scaleOf(info, live, true)
        send(
          exchange,
          200,
          registry.updateScale(info, namespace, name, patchScale(scale, type, patch), options),
          options.warnings,
        )
        return
      }
      const result = registry.patch(info, namespace, name, type, patch, subresource, {
        ...options,
        force: queryBool(search, 'force'),
      })
      send(exchange, result.created ? 201 : 200, served(info, result.object), options.warnings)
      return
    }
    case 'DELETE': {
      requireVerb(info, 'delete')
      const body = await readBody(req)
      requirePathSegmentName(name)
      const deleteOptions = deleteOptionsOf(req, body, info)
      const opts = isJsonObject(deleteOptions) ? deleteOptions : {}
      const dryRun = dryRunOf(opts, search)
      const preconditions = isJsonObject(opts['preconditions'])
        ? (opts['preconditions'] as { uid?: string; resourceVersion?: string })
        : undefined
      const result = registry.delete(
        info,
        namespace,
        name,
        preconditions === undefined ? { dryRun } : { dryRun, preconditions },
      )
      // handlers/delete.go: 202 only when the object stays and the client asked for cascading
      // deletion with orphanDependents=false; 200 otherwise, also while finalizers hold it.
      const status = !result.gone && opts['orphanDependents'] === false ? 202 : 200
      // generic/registry/store.go finalizeDelete: a deleted object (built-in or custom resource,
      // whose storage keeps ReturnDeletedObject off) is answered with a Success Status.
      if (result.gone) {
        const meta = result.object['metadata'] as JsonObject
        const details: JsonObject = { name }
        if (info.group !== '') details['group'] = info.group
        details['kind'] = info.resource
        details['uid'] = meta['uid']
        send(exchange, status, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details,
        })
      } else send(exchange, status, served(info, result.object))
      return
    }
    default:
      throw genericMethodNotAllowed()
  }
}
