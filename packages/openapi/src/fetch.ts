import { isUtf8 } from 'node:buffer'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'
import { writeFailed, writeFileAtomic } from './_atomic-write.js'
import { canonicalJson, isJsonObject } from './_canonical-json.js'
import { SpecCache, defaultCacheDir } from './cache.js'
import { OpenApiError } from './errors.js'
import { mergeGenerationOptions, type GenerationOptions } from './generation-options.js'
import {
  discoveryPath,
  parseGroupVersionKey,
  selectGroupVersions,
  type GroupVersionFilters,
} from './group-version.js'
import { sha512Hex } from './hash.js'
import {
  getLockfile,
  writeLockfile,
  type LockedBytes,
  type LockedGroupVersion,
  type Lockfile,
} from './lockfile.js'
import { splitV2Document } from './split-v2.js'
import type { GroupVersionRef, VersionInfo } from './types.js'

/**
 * The response shape of `@k8s-codegen/cluster`'s `Connection.request` (structural, so any
 * object with this shape works, e.g. a fake in tests).
 */
export interface SpecResponse {
  status: number
  headers: Record<string, string>
  body: Uint8Array
  url: string
}

/**
 * What `fetchSpecs` needs from a connection: `@k8s-codegen/cluster`'s `Connection` satisfies it.
 * `request(path)` takes an absolute API path and sends it under the server's own path prefix.
 *
 * @example
 * const source: SpecSource = await loadConnection({ context: 'prod' })
 */
export interface SpecSource {
  readonly server: string
  request(
    path: string,
    options?: { accept?: string; ifNoneMatch?: string; signal?: AbortSignal },
  ): Promise<SpecResponse>
}

/**
 * Progress events `fetchSpecs` reports through `onEvent` (the library never prints).
 *
 * @example
 * fetchSpecs(connection, { lockfile, onEvent: (e) => e.type === 'warning' && console.warn(e.message) })
 */
export type FetchEvent =
  | { type: 'root'; source: 'v3' | 'v2'; total: number }
  | { type: 'download'; key: string }
  | { type: 'done'; key: string; bytes: number; reused: boolean }
  | { type: 'unavailable'; key: string; status: number }
  | { type: 'failed'; key: string; error: Error }
  | { type: 'retry'; key: string; reason: string }
  | { type: 'warning'; message: string }

/**
 * Options of {@link fetchSpecs}.
 *
 * @example
 * const options: FetchOptions = { lockfile: 'k8s-codegen.lock.json', include: ['apps/*'] }
 */
export interface FetchOptions {
  /** Path of `k8s-codegen.lock.json`; read for the previous state, written when it changes. */
  lockfile: string
  /** Content-addressed cache; default {@link defaultCacheDir}. */
  cacheDir?: string | undefined
  /** Also keep the verified documents here (`<key>.json`, `<key>.discovery.json`) for offline CI. */
  specsDir?: string | undefined
  /** `auto` (default) uses `/openapi/v3` and falls back to `/openapi/v2` when it answers 404. */
  openapi?: 'auto' | 'v3' | 'v2' | undefined
  /** `--include` patterns ({@link GroupVersionFilters}); each must match a served group-version. */
  include?: readonly string[] | undefined
  /** `--exclude` patterns; each must match a served group-version. */
  exclude?: readonly string[] | undefined
  /**
   * The generation options to record in the lockfile (its `include`/`exclude` are this fetch's);
   * default: those the previous lockfile recorded.
   */
  generationOptions?: Partial<GenerationOptions> | undefined
  /** Parallel downloads on the connection's keep-alive pool; default 8. */
  concurrency?: number | undefined
  onEvent?: ((event: FetchEvent) => void) | undefined
  signal?: AbortSignal | undefined
}

/**
 * What a fetch did. Failed group-versions make `fetchSpecs` throw instead (and leave the
 * lockfile untouched); unavailable ones are listed here and in the lockfile.
 *
 * @example
 * const { summary } = await fetchSpecs(connection, { lockfile })
 * console.log(`${summary.fetched} fetched, ${summary.reused} reused`)
 */
export interface FetchResult {
  source: 'v3' | 'v2'
  lockfile: Lockfile
  lockfilePath: string
  lockfileChanged: boolean
  cacheDir: string
  summary: {
    fetched: number
    reused: number
    unavailable: string[]
    bytes: number
    requests: number
    elapsedMs: number
  }
}

interface RootEntry extends GroupVersionRef {
  hash: string
  url: string
}

const JSON_ACCEPT = 'application/json'

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304
}

function unexpected(what: string, response: SpecResponse): OpenApiError {
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_UNEXPECTED_STATUS',
    `${what}: GET ${response.url} answered HTTP ${response.status}`,
  )
}

function parseJson(
  bytes: Uint8Array,
  what: string,
  code: 'K8S_CODEGEN_OPENAPI_ROOT_INVALID' | 'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  try {
    if (!isUtf8(buffer)) throw new Error('the bytes are not UTF-8')
    return JSON.parse(buffer.toString('utf8'))
  } catch (error) {
    throw new OpenApiError(code, `${what} is not valid JSON (${(error as Error).message})`, {
      cause: error,
    })
  }
}

// kube-openapi `pkg/handler3/handler.go` `handleDiscovery` serves
// `{ paths: { "<key>": { serverRelativeURL: "/openapi/v3/<key>?hash=<HASH>" } } }`.
function parseRoot(bytes: Uint8Array, url: string): Map<string, RootEntry> {
  const root = parseJson(bytes, `the OpenAPI v3 root ${url}`, 'K8S_CODEGEN_OPENAPI_ROOT_INVALID')
  if (!isJsonObject(root) || !isJsonObject(root.paths)) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_ROOT_INVALID',
      `the OpenAPI v3 root ${url} must be an object with a 'paths' object`,
    )
  }
  const entries = new Map<string, RootEntry>()
  for (const [key, value] of Object.entries(root.paths)) {
    const ref = parseGroupVersionKey(key)
    if (!ref) continue
    const relative = isJsonObject(value) ? value.serverRelativeURL : undefined
    const hash =
      typeof relative === 'string' ? /[?&]hash=([0-9A-F]{128})(&|$)/.exec(relative)?.[1] : undefined
    if (
      typeof relative !== 'string' ||
      !relative.startsWith('/') ||
      relative.startsWith('//') ||
      !hash
    ) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_ROOT_INVALID',
        `the OpenAPI v3 root ${url}: paths['${key}'].serverRelativeURL must be an absolute path with an uppercase hex SHA-512 'hash' query parameter`,
      )
    }
    entries.set(key, { ...ref, hash, url: relative })
  }
  return entries
}

// kube-openapi `pkg/handler/handler.go` sets `ETag: "<uppercase hex SHA-512>"` on /openapi/v2.
function etagHash(etag: string | undefined): string | undefined {
  return etag === undefined ? undefined : /^(?:W\/)?"?([0-9A-F]{128})"?$/.exec(etag)?.[1]
}

async function pool<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T
      await run(item)
    }
  })
  await Promise.all(workers)
}

class Fetcher {
  readonly source: SpecSource
  readonly options: FetchOptions
  readonly cache: SpecCache
  requests = 0
  fetched = 0
  reused = 0
  bytes = 0

  constructor(source: SpecSource, options: FetchOptions, cache: SpecCache) {
    this.source = source
    this.options = options
    this.cache = cache
  }

  emit(event: FetchEvent): void {
    this.options.onEvent?.(event)
  }

  /**
   * GET `path` for `what` (named in errors). A body the connection saw end early (its
   * `K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE`, after its retries) is a document that cannot be
   * verified, so it fails as DOCUMENT_INCOMPLETE naming `what`, not as an unreachable server.
   */
  async get(
    path: string,
    what: string,
    extra: { ifNoneMatch?: string } = {},
  ): Promise<SpecResponse> {
    this.requests++
    const options: { accept: string; ifNoneMatch?: string; signal?: AbortSignal } = {
      accept: JSON_ACCEPT,
      ...extra,
    }
    if (this.options.signal) options.signal = this.options.signal
    try {
      return await this.source.request(path, options)
    } catch (error) {
      if (isK8sCodegenError(error) && error.code === 'K8S_CODEGEN_CLUSTER_BODY_INCOMPLETE') {
        throw new OpenApiError(
          'K8S_CODEGEN_OPENAPI_DOCUMENT_INCOMPLETE',
          `${what} could not be verified: ${error.message}; nothing was cached`,
          { cause: error },
        )
      }
      throw error
    }
  }

  /**
   * The size of a usable cache entry for `hash`, or undefined. An entry the lockfile names is
   * checked by size only (no read: a warm run stays cheap; reads verify and drop corrupt ones);
   * any other entry, e.g. stored for another cluster, is read and verified.
   */
  async cachedSize(hash: string, locked: LockedBytes | undefined): Promise<number | undefined> {
    if (locked?.hash === hash) return this.cache.has(hash, locked.bytes) ? locked.bytes : undefined
    return (await this.cache.read(hash))?.byteLength
  }

  // Discovery lists are cached by their own SHA-512; a group-version whose document did not
  // change reuses the locked list, so a warm run makes no discovery request.
  async discovery(
    ref: GroupVersionRef,
    previous: LockedGroupVersion | undefined,
    documentChanged: boolean,
  ): Promise<LockedBytes | undefined> {
    const locked = previous?.status === 'ok' ? previous.discovery : undefined
    // Unchanged document whose server had no resource list last time: still none to ask for.
    if (!documentChanged && previous?.status === 'ok' && locked === undefined) return undefined
    if (!documentChanged && locked && this.cache.has(locked.hash, locked.bytes)) return locked
    const response = await this.get(discoveryPath(ref), `the resource list of ${ref.key}`)
    // 404 is normal for a group-version without resources: the apiserver installs none for it
    // (apiserver `pkg/server/genericapiserver.go` installAPIResources) yet may list its document.
    if (response.status === 404) return undefined
    if (response.status !== 200) {
      this.emit({
        type: 'warning',
        message: `discovery ${response.url} answered HTTP ${response.status}; ${ref.key} is stored without its resource list`,
      })
      return undefined
    }
    const list = parseJson(
      response.body,
      `the resource list ${response.url}`,
      'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
    )
    if (!isJsonObject(list) || list.kind !== 'APIResourceList' || !Array.isArray(list.resources)) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
        `the resource list ${response.url} is not an APIResourceList`,
      )
    }
    const hash = await this.cache.write(response.body)
    return { hash, bytes: response.body.byteLength }
  }
}

/**
 * Downloads a cluster's OpenAPI documents into the SHA-512-verified, content-addressed cache and
 * writes the lockfile (only when its content changes). With v3, each group-version listed in the
 * `/openapi/v3` root is fetched only when the cache lacks its hash, with the connection's path
 * prefix kept (kubernetes/kubernetes#117463); bytes are verified against the advertised hash
 * (one retry), a stale hash (3xx) re-reads the root once, 404/503 group-versions are recorded as
 * unavailable. With v2 (or `auto` when `/openapi/v3` is 404) the Swagger document is fetched
 * with `If-None-Match`, verified against its ETag and split with {@link splitV2Document}.
 * Discovery lists are fetched for changed group-versions. An unchanged cluster costs exactly one
 * request (the root) and writes nothing.
 *
 * @example
 * const connection = await loadConnection()
 * const result = await fetchSpecs(connection, { lockfile: 'k8s-codegen.lock.json' })
 * const specs = await loadSpecSet({ lockfile: result.lockfilePath, cacheDir: result.cacheDir })
 */
export async function fetchSpecs(source: SpecSource, options: FetchOptions): Promise<FetchResult> {
  const started = performance.now()
  const filters: GroupVersionFilters = { include: options.include, exclude: options.exclude }
  const cacheDir = options.cacheDir ?? defaultCacheDir()
  const fetcher = new Fetcher(
    source,
    options,
    new SpecCache(cacheDir, {
      onDrop: (hash) =>
        options.onEvent?.({
          type: 'warning',
          message: `dropped corrupt cache entry ${hash.slice(0, 16)}… (will download again)`,
        }),
    }),
  )
  const previous = await getLockfile(options.lockfile)
  const mode = options.openapi ?? 'auto'

  let state:
    | {
        source: 'v3' | 'v2'
        v2?: Lockfile['v2']
        groupVersions: Record<string, LockedGroupVersion>
      }
    | undefined
  if (mode !== 'v2') {
    const root = await fetcher.get('/openapi/v3', 'the OpenAPI v3 root')
    if (root.status === 200) {
      state = { source: 'v3', groupVersions: await fetchV3(fetcher, root, filters, previous) }
    } else if (root.status !== 404) {
      throw unexpected('the OpenAPI v3 root', root)
    } else if (mode === 'v3') {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_NOT_SERVED',
        `${root.url} answered 404: this server does not serve OpenAPI v3 (try --openapi v2)`,
      )
    }
    // Otherwise a 404 root in auto mode: a server older than v3 (beta in 1.24); v2 below, and the
    // 'root' event reports source v2.
  }
  state ??= await fetchV2(fetcher, filters, previous)

  const unavailable = Object.entries(state.groupVersions)
    .filter(([, gv]) => gv.status === 'unavailable')
    .map(([key]) => key)
  const next: Lockfile = {
    lockfileVersion: 1,
    source: state.source,
    groupVersions: state.groupVersions,
    options: mergeGenerationOptions(
      { include: [...(options.include ?? [])], exclude: [...(options.exclude ?? [])] },
      options.generationOptions,
      previous?.options,
    ),
  }
  if (state.v2) next.v2 = state.v2
  const unchanged =
    previous !== undefined &&
    canonicalJson({ ...previous, serverVersion: undefined }) === canonicalJson(next)
  // /version only when something changed: a warm run stays at one request.
  const serverVersion = unchanged ? previous.serverVersion : await fetchVersion(fetcher)
  if (serverVersion) next.serverVersion = serverVersion

  if (options.specsDir !== undefined)
    await syncSpecsDir(fetcher.cache, options.specsDir, next, previous)
  const lockfileChanged = await writeLockfile(options.lockfile, next)
  return {
    source: state.source,
    lockfile: next,
    lockfilePath: options.lockfile,
    lockfileChanged,
    cacheDir,
    summary: {
      fetched: fetcher.fetched,
      reused: fetcher.reused,
      unavailable,
      bytes: fetcher.bytes,
      requests: fetcher.requests,
      elapsedMs: Math.round(performance.now() - started),
    },
  }
}

async function fetchVersion(fetcher: Fetcher): Promise<VersionInfo | undefined> {
  const response = await fetcher.get('/version', 'the server version')
  if (response.status === 200) {
    const info = parseJson(
      response.body,
      `the server version ${response.url}`,
      'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
    )
    if (isJsonObject(info) && typeof info.gitVersion === 'string') {
      const out: Record<string, string> = {}
      for (const [k, v] of Object.entries(info)) if (typeof v === 'string') out[k] = v
      return out as VersionInfo
    }
  }
  fetcher.emit({
    type: 'warning',
    message: `${response.url} answered HTTP ${response.status} without a version; the lockfile records no server version`,
  })
  return undefined
}

async function fetchV3(
  fetcher: Fetcher,
  rootResponse: SpecResponse,
  filters: GroupVersionFilters,
  previous: Lockfile | undefined,
): Promise<Record<string, LockedGroupVersion>> {
  const root = parseRoot(rootResponse.body, rootResponse.url)
  // Every pattern must match something the root lists, checked before anything is written.
  const selected = selectGroupVersions([...root.values()], filters).sort((a, b) =>
    a.key.localeCompare(b.key),
  )
  fetcher.emit({ type: 'root', source: 'v3', total: selected.length })
  // The root is re-read at most once per run, shared by every group-version that saw a stale hash.
  let reread: Promise<Map<string, RootEntry>> | undefined
  const rereadRoot = (): Promise<Map<string, RootEntry>> => {
    reread ??= fetcher.get('/openapi/v3', 'the OpenAPI v3 root').then((r) => {
      if (r.status !== 200) throw unexpected('re-reading the OpenAPI v3 root', r)
      return parseRoot(r.body, r.url)
    })
    return reread
  }

  const results = new Map<string, LockedGroupVersion>()
  const failures: { key: string; error: Error }[] = []
  const prev = previous?.source === 'v3' ? previous.groupVersions : {}
  fetcher.options.signal?.throwIfAborted()
  await pool(selected, fetcher.options.concurrency ?? 8, async (first) => {
    try {
      const entry = await fetchGroupVersion(fetcher, first, prev[first.key], rereadRoot)
      if (entry) results.set(first.key, entry)
    } catch (error) {
      const err = error as Error
      failures.push({ key: first.key, error: err })
      fetcher.emit({ type: 'failed', key: first.key, error: err })
    }
  })
  if (failures.length > 0) {
    failures.sort((a, b) => a.key.localeCompare(b.key))
    const [firstFailure, ...rest] = failures
    if (firstFailure) {
      if (rest.length > 0) {
        firstFailure.error.message += ` (also failed: ${rest.map((f) => f.key).join(', ')})`
      }
      throw firstFailure.error
    }
  }
  const out: Record<string, LockedGroupVersion> = {}
  for (const key of [...results.keys()].sort()) out[key] = results.get(key) as LockedGroupVersion
  return out
}

async function fetchGroupVersion(
  fetcher: Fetcher,
  first: RootEntry,
  previous: LockedGroupVersion | undefined,
  rereadRoot: () => Promise<Map<string, RootEntry>>,
): Promise<LockedGroupVersion | undefined> {
  let entry = first
  const locked = previous?.status === 'ok' ? previous : undefined
  const bytes = await fetcher.cachedSize(entry.hash, locked)
  if (bytes !== undefined) {
    const discovery = await fetcher.discovery(entry, previous, locked?.hash !== entry.hash)
    fetcher.reused++
    fetcher.emit({ type: 'done', key: entry.key, bytes, reused: true })
    return {
      group: entry.group,
      version: entry.version,
      status: 'ok',
      hash: entry.hash,
      bytes,
      ...(discovery ? { discovery } : {}),
    }
  }
  fetcher.emit({ type: 'download', key: entry.key })
  let staleRetried = false
  let mismatchRetried = false
  for (;;) {
    const response = await fetcher.get(entry.url, `group-version ${entry.key}`)
    if (isRedirect(response.status)) {
      // kube-openapi `pkg/handler3/handler.go` answers 301 to a request whose hash is no longer
      // current, with a Location that lacks any client-side path prefix (kubernetes#117463):
      // never follow it; re-read the root (under the prefix) and use the new hash instead.
      if (staleRetried) {
        throw new OpenApiError(
          'K8S_CODEGEN_OPENAPI_HASH_STALE',
          `${entry.key}: the hash changed again after re-reading the OpenAPI v3 root (HTTP ${response.status} from ${response.url})`,
        )
      }
      staleRetried = true
      fetcher.emit({
        type: 'retry',
        key: entry.key,
        reason: `stale hash (HTTP ${response.status}); re-reading the root`,
      })
      const fresh = (await rereadRoot()).get(entry.key)
      if (!fresh) {
        fetcher.emit({
          type: 'warning',
          message: `${entry.key} disappeared from the OpenAPI v3 root while fetching; skipped`,
        })
        return undefined
      }
      entry = fresh
      if ((await fetcher.cachedSize(entry.hash, locked)) !== undefined)
        return fetchGroupVersion(fetcher, entry, previous, rereadRoot)
      continue
    }
    if (response.status === 404 || response.status === 503) {
      // An aggregated APIService that is down stays listed in the root but its document fails.
      fetcher.emit({ type: 'unavailable', key: entry.key, status: response.status })
      return {
        group: entry.group,
        version: entry.version,
        status: 'unavailable',
        httpStatus: response.status,
      }
    }
    if (response.status !== 200) throw unexpected(`group-version ${entry.key}`, response)
    const actual = sha512Hex(response.body)
    if (actual !== entry.hash) {
      if (!mismatchRetried) {
        mismatchRetried = true
        fetcher.emit({ type: 'retry', key: entry.key, reason: 'SHA-512 mismatch' })
        continue
      }
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_HASH_MISMATCH',
        `${entry.key}: SHA-512 of the ${response.body.byteLength} bytes from ${response.url} is ${actual.slice(0, 16)}…, not the advertised ${entry.hash.slice(0, 16)}… (retried once; nothing was cached)`,
      )
    }
    const doc = parseJson(
      response.body,
      `group-version ${entry.key} (${response.url})`,
      'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
    )
    if (!isJsonObject(doc) || typeof doc.openapi !== 'string' || !isJsonObject(doc.paths)) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
        `group-version ${entry.key} (${response.url}) is not an OpenAPI 3 document: 'openapi' and 'paths' are required`,
      )
    }
    await fetcher.cache.write(response.body, actual)
    const discovery = await fetcher.discovery(entry, previous, true)
    fetcher.fetched++
    fetcher.bytes += response.body.byteLength
    fetcher.emit({ type: 'done', key: entry.key, bytes: response.body.byteLength, reused: false })
    return {
      group: entry.group,
      version: entry.version,
      status: 'ok',
      hash: entry.hash,
      bytes: response.body.byteLength,
      ...(discovery ? { discovery } : {}),
    }
  }
}

type V2State = {
  source: 'v2'
  v2: NonNullable<Lockfile['v2']>
  groupVersions: Record<string, LockedGroupVersion>
}

// The locked split of an unchanged /openapi/v2 document, when every entry is still cached.
// Only under the same filters: the locked split holds just what the previous filters kept.
function reuseLockedSplit(
  fetcher: Fetcher,
  previous: Lockfile,
  filters: GroupVersionFilters,
): Record<string, LockedGroupVersion> | undefined {
  const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
    JSON.stringify(a ?? []) === JSON.stringify(b ?? [])
  if (
    !same(previous.options?.include, filters.include) ||
    !same(previous.options?.exclude, filters.exclude)
  )
    return undefined
  const reused: Record<string, LockedGroupVersion> = {}
  for (const [key, gv] of Object.entries(previous.groupVersions)) {
    if (!parseGroupVersionKey(key)) continue
    if (gv.status !== 'ok' || !fetcher.cache.has(gv.hash, gv.bytes)) return undefined
    if (gv.discovery && !fetcher.cache.has(gv.discovery.hash, gv.discovery.bytes)) return undefined
    reused[key] = gv
  }
  return Object.keys(reused).length > 0 ? reused : undefined
}

type V2Body = { notModified: false; bytes: Uint8Array; etag: string | undefined }

// kube-openapi `pkg/handler/handler.go` answers If-None-Match with 304 when the ETag matches.
async function downloadV2(
  fetcher: Fetcher,
  ifNoneMatch: string,
): Promise<V2Body | { notModified: true }>
async function downloadV2(fetcher: Fetcher, ifNoneMatch: undefined): Promise<V2Body>
async function downloadV2(
  fetcher: Fetcher,
  ifNoneMatch: string | undefined,
): Promise<V2Body | { notModified: true }> {
  let mismatchRetried = false
  for (;;) {
    const response = await fetcher.get(
      '/openapi/v2',
      'the OpenAPI v2 document',
      ifNoneMatch === undefined ? {} : { ifNoneMatch },
    )
    if (response.status === 304 && ifNoneMatch !== undefined) return { notModified: true }
    if (response.status === 404) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_NOT_SERVED',
        `${response.url} answered 404: this server serves neither OpenAPI v3 nor v2`,
      )
    }
    if (response.status !== 200) throw unexpected('the OpenAPI v2 document', response)
    const etag = response.headers.etag
    const advertised = etagHash(etag)
    const actual = sha512Hex(response.body)
    if (advertised === undefined || advertised === actual) {
      return { notModified: false, bytes: response.body, etag }
    }
    if (mismatchRetried) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_HASH_MISMATCH',
        `openapi/v2: SHA-512 of the ${response.body.byteLength} bytes from ${response.url} is ${actual.slice(0, 16)}…, not the ETag ${advertised.slice(0, 16)}… (retried once; nothing was cached)`,
      )
    }
    mismatchRetried = true
    fetcher.emit({ type: 'retry', key: 'openapi/v2', reason: 'SHA-512 differs from the ETag' })
  }
}

async function fetchV2(
  fetcher: Fetcher,
  filters: GroupVersionFilters,
  previous: Lockfile | undefined,
): Promise<V2State> {
  const locked = previous?.source === 'v2' ? previous.v2 : undefined
  const revalidate =
    locked?.etag !== undefined && fetcher.cache.has(locked.hash, locked.bytes)
      ? locked.etag
      : undefined
  const download =
    revalidate === undefined
      ? await downloadV2(fetcher, undefined)
      : await downloadV2(fetcher, revalidate)
  let bytes: Uint8Array | undefined
  if (download.notModified && locked && previous) {
    // 304: the document is the locked one. Nothing to split when its pieces are all cached.
    const reused = reuseLockedSplit(fetcher, previous, filters)
    if (reused) {
      fetcher.emit({ type: 'root', source: 'v2', total: Object.keys(reused).length })
      for (const [key, gv] of Object.entries(reused)) {
        fetcher.reused++
        fetcher.emit({ type: 'done', key, bytes: gv.status === 'ok' ? gv.bytes : 0, reused: true })
      }
      return { source: 'v2', v2: locked, groupVersions: reused }
    }
    bytes = await fetcher.cache.read(locked.hash)
  }
  let etag = locked?.etag
  if (!download.notModified) ({ bytes, etag } = download)
  else if (bytes === undefined) {
    // A 304 whose locked copy turned out corrupt: download it again, unconditionally.
    ;({ bytes, etag } = await downloadV2(fetcher, undefined))
  }
  const split = splitV2Document(
    parseJson(bytes, 'the OpenAPI v2 document', 'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID'),
  )
  // Every pattern must match something the document describes, checked before anything is written.
  const selected = selectGroupVersions(
    [...split.keys()]
      .map((key) => parseGroupVersionKey(key))
      .filter((ref): ref is GroupVersionRef => ref !== undefined),
    filters,
  )
  const hash = await fetcher.cache.write(bytes)
  fetcher.bytes += bytes.byteLength
  const v2: NonNullable<Lockfile['v2']> = {
    hash,
    bytes: bytes.byteLength,
    ...(etag !== undefined ? { etag } : {}),
  }
  const prevGroupVersions = previous?.source === 'v2' ? previous.groupVersions : {}
  fetcher.emit({ type: 'root', source: 'v2', total: selected.length })
  const out: Record<string, LockedGroupVersion> = {}
  await pool(selected, fetcher.options.concurrency ?? 8, async (ref) => {
    const docBytes = new TextEncoder().encode(canonicalJson(split.get(ref.key)))
    const docHash = sha512Hex(docBytes)
    const prev = prevGroupVersions[ref.key]
    const changed = prev?.status !== 'ok' || prev.hash !== docHash
    if (!fetcher.cache.has(docHash, docBytes.byteLength))
      await fetcher.cache.write(docBytes, docHash)
    const discovery = await fetcher.discovery(ref, prev, changed)
    if (changed) fetcher.fetched++
    else fetcher.reused++
    fetcher.emit({ type: 'done', key: ref.key, bytes: docBytes.byteLength, reused: !changed })
    out[ref.key] = {
      group: ref.group,
      version: ref.version,
      status: 'ok',
      hash: docHash,
      bytes: docBytes.byteLength,
      ...(discovery ? { discovery } : {}),
    }
  })
  const sorted: Record<string, LockedGroupVersion> = {}
  for (const key of Object.keys(out).sort()) sorted[key] = out[key] as LockedGroupVersion
  return { source: 'v2', v2, groupVersions: sorted }
}

/**
 * Where `--specs-dir` keeps a group-version: `<specsDir>/<key>.json` and `<key>.discovery.json`,
 * the verified bytes as served, readable in review.
 *
 * @example
 * specsDirPaths('specs', 'apis/apps/v1') // { document: 'specs/apis/apps/v1.json', discovery: 'specs/apis/apps/v1.discovery.json' }
 */
export function specsDirPaths(
  specsDir: string,
  key: string,
): { document: string; discovery: string } {
  return {
    document: join(specsDir, `${key}.json`),
    discovery: join(specsDir, `${key}.discovery.json`),
  }
}

async function syncFile(cache: SpecCache, path: string, locked: LockedBytes): Promise<void> {
  const current = await readFile(path).catch(() => undefined)
  if (current && sha512Hex(current) === locked.hash) return
  const bytes = await cache.read(locked.hash)
  if (!bytes) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_SPEC_MISSING',
      `cache entry ${locked.hash.slice(0, 16)}… for ${path} vanished while fetching`,
    )
  }
  try {
    await mkdir(dirname(path), { recursive: true })
  } catch (error) {
    throw writeFailed(dirname(path), 'create the specs directory', error)
  }
  await writeFileAtomic(path, bytes, 0o644)
}

async function syncSpecsDir(
  cache: SpecCache,
  specsDir: string,
  next: Lockfile,
  previous: Lockfile | undefined,
): Promise<void> {
  for (const [key, gv] of Object.entries(next.groupVersions)) {
    if (gv.status !== 'ok') continue
    const paths = specsDirPaths(specsDir, key)
    await syncFile(cache, paths.document, gv)
    if (gv.discovery) await syncFile(cache, paths.discovery, gv.discovery)
  }
  // Only files this tool wrote before (keys of the previous lockfile) are ever removed.
  for (const key of Object.keys(previous?.groupVersions ?? {})) {
    const gv = next.groupVersions[key]
    const paths = specsDirPaths(specsDir, key)
    if (gv?.status !== 'ok') await rm(paths.document, { force: true })
    if (gv?.status !== 'ok' || !gv.discovery) await rm(paths.discovery, { force: true })
  }
}
