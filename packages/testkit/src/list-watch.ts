// List and watch of one resource: apiserver `pkg/endpoints/handlers/get.go` ListResource,
// `pkg/storage/etcd3/store.go` GetList (limit/continue, resourceVersion/resourceVersionMatch,
// continue tokens of `pkg/storage/continue.go`), `pkg/storage/cacher` (watch from a
// resourceVersion, selector transitions turning MODIFIED into ADDED/DELETED, bookmarks,
// `sendInitialEvents`), and `pkg/endpoints/handlers/watch.go` (one JSON object per line).
import type { ServerResponse } from 'node:http'
import { queryBool } from './_query.js'
import { isJsonObject, scalarText, setOwn, type JsonObject } from './_json.js'
import { collectionOf, isCustom, type Registry } from './registry.js'
import { selectableFieldNames } from './crd-selectable-fields.js'
import type { ResourceInfo } from './resource-catalog.js'
import {
  parseFieldSelector,
  parseLabelSelector,
  type FieldSelector,
  type LabelSelector,
} from './selectors.js'
import { ApiStatusError, badRequest, expired, invalid } from './status-errors.js'
import { metaOf, type StoreEvent } from './store.js'
import { tableColumnsOf, toTable } from './table.js'
import {
  asPartialObjectMetadata,
  asPartialObjectMetadataList,
  type PartialMetadataView,
} from './partial-metadata.js'

/** What a list or watch request selects. */
export interface Selection {
  info: ResourceInfo
  /** Undefined for all namespaces (or a cluster-scoped resource). */
  namespace: string | undefined
  labels: LabelSelector
  fields: FieldSelector
}

/** Parses the selectors of a list or watch request. */
export function selectionOf(
  info: ResourceInfo,
  namespace: string | undefined,
  search: URLSearchParams,
): Selection {
  return {
    info,
    namespace,
    labels: parseLabelSelector(search.get('labelSelector') ?? ''),
    fields: parseFieldSelector(
      search.get('fieldSelector') ?? '',
      collectionOf(info),
      isCustom(info),
      selectableFieldNames(info),
    ),
  }
}

const listOptions = { group: 'meta.k8s.io', kind: 'ListOptions' }

/** An object as served at `info`'s version (no conversion: the stored fields, this apiVersion). */
export function served(info: ResourceInfo, object: JsonObject): JsonObject {
  return { ...object, apiVersion: info.apiVersion, kind: info.kind }
}

interface ContinueToken {
  rv: number
  start: string
}

// `pkg/storage/continue.go`: base64url (no padding) of {"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}.
function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url')
}

function decodeContinue(token: string): ContinueToken {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw badRequest(`continue key is not valid: ${token}`)
  }
  if (
    !isJsonObject(parsed) ||
    parsed['v'] !== 'meta.k8s.io/v1' ||
    typeof parsed['rv'] !== 'number' ||
    typeof parsed['start'] !== 'string'
  ) {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    )
  }
  return { rv: parsed['rv'], start: parsed['start'] }
}

function keyOf(object: JsonObject): string {
  const { namespace, name } = metaOf(object)
  return `${namespace}/${name}`
}

// apiserver pkg/storage/etcd3 APIObjectVersioner.ParseResourceVersion fails with Go's
// strconv.ParseUint text, and the storage turns it into a BadRequest.
function parseRv(value: string): number {
  if (!/^\d+$/.test(value)) {
    throw badRequest(
      `invalid resource version: resourceVersion: Invalid value: ${JSON.stringify(value)}: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`,
    )
  }
  return Number(value)
}

/** `GET` of a collection: a `<Kind>List` (or a Table) as of the requested resourceVersion. */
export function list(
  registry: Registry,
  selection: Selection,
  search: URLSearchParams,
  table: { includeObject: string | null } | undefined,
  partial?: PartialMetadataView,
): JsonObject | SerializedJson {
  const { info, namespace } = selection
  const store = registry.store
  const rvParam = search.get('resourceVersion') ?? ''
  const match = search.get('resourceVersionMatch') ?? ''
  const continueParam = search.get('continue') ?? ''
  const limitParam = search.get('limit') ?? ''
  const limit = limitParam === '' ? 0 : Number.parseInt(limitParam, 10)
  // apimachinery meta/internalversion/validation ValidateListOptions: a list (not a watch) may
  // not ask for initial events.
  if (search.has('sendInitialEvents')) {
    throw invalid(listOptions, '', [
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: sendInitialEvents is forbidden for list',
        field: 'sendInitialEvents',
      },
    ])
  }
  if (match !== '' && rvParam === '') {
    throw invalid(listOptions, '', [
      {
        reason: 'FieldValueForbidden',
        message: 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
        field: 'resourceVersionMatch',
      },
    ])
  }
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw invalid(listOptions, '', [
      {
        reason: 'FieldValueNotSupported',
        // apimachinery meta/internalversion/validation ValidateListOptions lists "" as well.
        message: `Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan", ""`,
        field: 'resourceVersionMatch',
      },
    ])
  }
  if (continueParam !== '' && rvParam !== '' && rvParam !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue')
  }
  let objects: JsonObject[]
  let revision = store.revision
  let start = ''
  let paginate = limit > 0
  if (continueParam !== '') {
    const token = decodeContinue(continueParam)
    const at = token.rv > 0 ? store.listAt(collectionOf(info), namespace, token.rv) : undefined
    if (at === undefined) {
      const error = expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      )
      error.listMeta = { continue: encodeContinue(-1, token.start) }
      throw error
    }
    objects = at
    revision = token.rv
    start = token.start
  } else if (rvParam === '' || rvParam === '0') {
    objects = store.list(collectionOf(info), namespace)
    // resourceVersion=0 is served from the watch cache, which ignores limit.
    if (rvParam === '0') paginate = false
  } else {
    const rv = parseRv(rvParam)
    const exact = match === 'Exact' || (match === '' && limit > 0)
    if (rv > store.revision) {
      // apiserver pkg/storage/cacher `newTooLargeResourceVersionError` → errors.NewTimeoutError:
      // the message gets a `Timeout: ` prefix and the 1 s retry goes into Retry-After too.
      throw new ApiStatusError(
        504,
        'Timeout',
        `Timeout: Too large resource version: ${rv}, current: ${store.revision}`,
        {
          causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
          retryAfterSeconds: 1,
        },
        1,
      )
    }
    if (exact) {
      const at = store.listAt(collectionOf(info), namespace, rv)
      if (at === undefined) throw expired('The resourceVersion for the provided list is too old.')
      objects = at
      revision = rv
    } else objects = store.list(collectionOf(info), namespace)
  }
  if (start !== '') objects = objects.filter((o) => keyOf(o) >= start)
  const selected = registry.select(objects, info, selection.labels, selection.fields)
  const meta: JsonObject = { resourceVersion: String(revision) }
  let items = selected
  if (paginate && selected.length > limit) {
    items = selected.slice(0, limit)
    const last = items[items.length - 1]
    if (last !== undefined) meta['continue'] = encodeContinue(revision, `${keyOf(last)}\u0000`)
    // etcd counts the rest only when nothing is filtered out by selectors.
    if (selection.labels.length === 0 && selection.fields.length === 0) {
      meta['remainingItemCount'] = selected.length - limit
    }
  }
  const custom = isCustom(info)
  if (partial !== undefined)
    return asPartialObjectMetadataList(
      items.map((o) => served(info, o)),
      meta,
      partial,
      info,
    )
  if (table !== undefined)
    return toTable(
      items.map((o) => served(info, o)),
      meta,
      table.includeObject,
      tableColumnsOf(registry, info),
    )
  // Typed lists of built-ins omit each item's apiVersion/kind; unstructured CR lists keep them.
  // Stored objects are immutable, so each item's JSON is computed once per version.
  const head = JSON.stringify({
    kind: `${info.kind}List`,
    apiVersion: info.apiVersion,
    metadata: listMetadata(info, meta),
  })
  const parts = items.map((o) => itemJson(info, o, custom))
  return new SerializedJson(`${head.slice(0, -1)},"items":[${parts.join(',')}]}`)
}

/**
 * The metadata of a list of `info` the storage answers (a list, a deleteCollection's answer):
 * apiserver pkg/storage/api_object_versioner.go UpdateList calls SetContinue on every such list,
 * and apimachinery unstructured_list.go SetContinue writes the field even when empty, so a custom
 * resource (unstructured) list carries `continue: ""` on its last page where a typed list's
 * `omitempty` drops it.
 */
export function listMetadata(info: ResourceInfo, meta: JsonObject): JsonObject {
  return isCustom(info) ? { continue: '', ...meta } : meta
}

/** A response body already serialized (a list of cached item JSON). */
export class SerializedJson {
  constructor(readonly text: string) {}
}

const itemCache = new WeakMap<JsonObject, Map<string, string>>()

function cached(object: JsonObject, key: string, compute: () => string): string {
  let byKey = itemCache.get(object)
  if (byKey === undefined) {
    byKey = new Map()
    itemCache.set(object, byKey)
  }
  let text = byKey.get(key)
  if (text === undefined) {
    text = compute()
    byKey.set(key, text)
  }
  return text
}

function itemJson(info: ResourceInfo, object: JsonObject, custom: boolean): string {
  return cached(object, custom ? `item\u0000${info.apiVersion}\u0000${info.kind}` : 'item', () => {
    if (custom) return JSON.stringify(served(info, object))
    const rest: JsonObject = {}
    for (const [key, value] of Object.entries(object)) {
      if (key !== 'apiVersion' && key !== 'kind') setOwn(rest, key, value)
    }
    return JSON.stringify(rest)
  })
}

/** Options of the watch machinery a server is started with. */
export interface WatchSettings {
  bookmarkIntervalMs: number
  /** Default when a watch has no timeoutSeconds (the apiserver picks 30–60 min). */
  defaultTimeoutSeconds: number
  /** Every open watch stream, each with the way to cut it (`ApiServer.dropWatches`). */
  open: Set<(how: WatchDrop) => void>
}

/**
 * How `dropWatches` cuts a stream: `'end'` finishes the chunked body as a watch timeout does;
 * `'reset'` destroys the connection mid-stream, as a crashed apiserver or a load balancer does.
 */
export type WatchDrop = 'end' | 'reset'

/**
 * `?watch=true`: validates, then streams `{type, object}` lines until the timeout, the client
 * leaving or the server closing. `start` writes the 200 head and returns the response.
 */
export function watch(
  registry: Registry,
  selection: Selection,
  search: URLSearchParams,
  table: { includeObject: string | null } | undefined,
  settings: WatchSettings,
  start: () => ServerResponse,
  partial?: PartialMetadataView,
): void {
  const { info, namespace } = selection
  const store = registry.store
  // A watch's events carry single objects: a PartialObjectMetadataList view is refused at once.
  if (partial !== undefined) asPartialObjectMetadata({}, partial, info)
  const rvParam = search.get('resourceVersion') ?? ''
  const match = search.get('resourceVersionMatch') ?? ''
  const bookmarks = queryBool(search, 'allowWatchBookmarks')
  const sendInitialParam = search.get('sendInitialEvents')
  const sendInitial = queryBool(search, 'sendInitialEvents')
  // apimachinery meta/internalversion/validation validateWatchOptions (1.37): sendInitialEvents
  // needs resourceVersionMatch=NotOlderThan; bookmarks are optional (without them no
  // initial-events-end bookmark is sent).
  if (sendInitialParam !== null) {
    if (match !== 'NotOlderThan')
      throw invalid(listOptions, '', [
        {
          reason: 'FieldValueForbidden',
          message:
            'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          field: 'resourceVersionMatch',
        },
      ])
  } else if (match !== '') {
    throw invalid(listOptions, '', [
      {
        reason: 'FieldValueForbidden',
        message:
          'Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
        field: 'resourceVersionMatch',
      },
    ])
  }
  const timeoutParam = search.get('timeoutSeconds')
  const timeoutSeconds =
    timeoutParam === null ? settings.defaultTimeoutSeconds : Number.parseInt(timeoutParam, 10)
  const rv = rvParam === '' ? 0 : parseRv(rvParam)

  const res = start()
  const collection = collectionOf(info)
  const matches = (object: JsonObject): boolean =>
    registry.select([object], info, selection.labels, selection.fields).length === 1
  // The columns as the watch opens, as the real handler builds its table convertor once.
  const columns = table === undefined ? undefined : tableColumnsOf(registry, info)
  const encode = (object: JsonObject): JsonObject => {
    if (partial !== undefined) return asPartialObjectMetadata(served(info, object), partial, info)
    if (table === undefined) return served(info, object)
    const metadata = isJsonObject(object['metadata']) ? object['metadata'] : {}
    const listMeta = { resourceVersion: scalarText(metadata['resourceVersion']) }
    return toTable([served(info, object)], listMeta, table.includeObject, columns)
  }
  const send = (type: string, object: JsonObject): void => {
    if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + '\n')
  }
  // One serialization per stored object, type and version, shared by every watcher.
  const sendStored = (type: string, object: JsonObject): void => {
    if (table !== undefined || partial !== undefined) {
      send(type, encode(object))
      return
    }
    const line = cached(
      object,
      `${type}\u0000${info.apiVersion}\u0000${info.kind}`,
      () => JSON.stringify({ type, object: served(info, object) }) + '\n',
    )
    if (!res.writableEnded) res.write(line)
  }
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: JsonObject = { resourceVersion: String(store.revision) }
    if (annotations !== undefined) metadata['annotations'] = annotations
    const object = { kind: info.kind, apiVersion: info.apiVersion, metadata }
    send(
      'BOOKMARK',
      partial === undefined ? object : asPartialObjectMetadata(object, partial, info),
    )
  }
  const deliver = (event: StoreEvent): void => {
    if (event.collection !== collection) return
    if (namespace !== undefined && event.namespace !== namespace) return
    const now = matches(event.object)
    const before = event.previous !== undefined && matches(event.previous)
    if (event.type === 'ADDED') {
      if (now) sendStored('ADDED', event.object)
    } else if (event.type === 'MODIFIED') {
      if (now && before) sendStored('MODIFIED', event.object)
      else if (now) sendStored('ADDED', event.object)
      else if (before && event.previous !== undefined) {
        // cacher cache_watcher.go convertToWatchEvent: an object that stops matching leaves as
        // its previous state (the one the watcher saw match) at the event's resourceVersion.
        const previous = structuredClone(event.previous)
        const meta = isJsonObject(previous['metadata']) ? previous['metadata'] : {}
        meta['resourceVersion'] = String(event.revision)
        previous['metadata'] = meta
        send('DELETED', encode(previous))
      }
    } else if (before || now) sendStored('DELETED', event.object)
  }

  const timers: NodeJS.Timeout[] = []
  let unsubscribe = (): void => {}
  const drop = (how: WatchDrop): void => {
    if (how === 'reset') {
      finishQuietly()
      res.destroy()
    } else finish()
  }
  const finishQuietly = (): void => {
    settings.open.delete(drop)
    unsubscribe()
    for (const timer of timers) clearTimeout(timer)
  }
  const finish = (): void => {
    finishQuietly()
    if (!res.writableEnded) res.end()
  }
  res.on('close', finish)
  settings.open.add(drop)

  if (rv > 0 && !sendInitial) {
    const events = store.eventsSince(rv)
    if (events === undefined) {
      // The cacher answers an expired resourceVersion with an ERROR event, not an HTTP error.
      send('ERROR', expired(`too old resource version: ${rv} (${store.compacted + 1})`).toStatus())
      finish()
      return
    }
    for (const event of events) deliver(event)
  } else if (rvParam === '' || rvParam === '0' || sendInitial) {
    // No resourceVersion (or 0): the current state first, as synthetic ADDED events.
    for (const object of registry.select(
      store.list(collection, namespace),
      info,
      selection.labels,
      selection.fields,
    )) {
      sendStored('ADDED', object)
    }
    if (sendInitial && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' })
  }
  unsubscribe = store.subscribe(deliver)
  if (bookmarks && settings.bookmarkIntervalMs > 0) {
    const tick = (): void => {
      bookmark()
      timers.push(setTimeout(tick, settings.bookmarkIntervalMs))
    }
    timers.push(setTimeout(tick, settings.bookmarkIntervalMs))
  }
  if (timeoutSeconds > 0) timers.push(setTimeout(finish, timeoutSeconds * 1000))
}
