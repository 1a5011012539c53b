// `fetchSpecs`: the v3 root or the v2 document (fetch-v3.ts, fetch-v2.ts), then the lockfile and
// the specs dir. The protocols live in their own files; what they share in _fetcher.ts.
import { rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'

import {
  removeEmptyDirectories,
  removeStaleTempFiles,
  writeFileAtomicSync,
} from './_atomic-write.js'
import { Fetcher, parseJson, unexpected } from './_fetcher.js'
import { canonicalJson, isJsonObject } from './_canonical-json.js'
import { SpecCache, defaultCacheDir } from './cache.js'
import { OpenApiError } from './errors.js'
import type { FetchOptions, FetchResult, SpecSource } from './fetch-types.js'
import { fetchV2 } from './fetch-v2.js'
import { fetchV3 } from './fetch-v3.js'
import { addClusterCrdFacts } from './fetch-crd-facts.js'
import { mergeGenerationOptions } from './generation-options.js'
import { groupVersionFilter, type GroupVersionFilters } from './group-version.js'
import { clusterGroupVersions } from './lock-sources.js'
import {
  LOCKFILE_VERSION,
  readLockfileText,
  serializeLockfile,
  writeLockfileTextSync,
  type LockedGroupVersion,
  type Lockfile,
} from './lockfile.js'
import { commitSpecsDir, planSpecsDir } from './specs-dir.js'
import type { VersionInfo } from './types.js'

export type {
  FetchEvent,
  FetchOptions,
  FetchResult,
  SpecResponse,
  SpecSource,
} from './fetch-types.js'
export { specsDirPaths } from './specs-dir.js'

/**
 * Downloads a cluster's OpenAPI documents into the SHA-512-verified, content-addressed cache and
 * writes the lockfile (only when its content changes). With v3, each group-version listed in the
 * `/openapi/v3` root is fetched only when the cache lacks its hash, with the connection's path
 * prefix kept (kubernetes/kubernetes#117463); bytes are verified against the advertised hash
 * (one retry), a stale hash (3xx) re-reads the root once, 404/503 group-versions are recorded as
 * unavailable. With v2 (or `auto` when `/openapi/v3` is 404) the Swagger document is fetched
 * with `If-None-Match`, verified against its ETag and split with {@link splitV2Document}.
 * Discovery lists are fetched for changed group-versions, and the CustomResourceDefinitions
 * (deprecation warnings, printer columns: `crdFacts`) when anything changed. An unchanged
 * cluster costs exactly one request (the root) and writes nothing. The fetch replaces only the
 * lockfile's cluster source: its `--crds` sets, their group-versions and `out` are kept. A fetch
 * that selects no group-version is `K8S_CODEGEN_OPENAPI_NOTHING_SELECTED`.
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
  const read =
    options.lockfileText === undefined
      ? await readLockfileText(options.lockfile)
      : (options.lockfileText ?? undefined)
  const locked = read?.lockfile
  // The cluster's part of the previous lockfile: what the protocols compare with and reuse.
  const previous = locked && { ...locked, groupVersions: clusterGroupVersions(locked) }
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
  if (Object.keys(state.groupVersions).length === 0) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_NOTHING_SELECTED',
      `--include ${JSON.stringify(filters.include ?? [])} and --exclude ${JSON.stringify(filters.exclude ?? [])} leave no group-version the server serves to fetch; nothing was written`,
    )
  }
  await addClusterCrdFacts(fetcher, state.groupVersions, previous)

  const unavailable = Object.entries(state.groupVersions)
    .filter(([, gv]) => gv.status === 'unavailable')
    .map(([key]) => key)
  // A peek keeps the locked cluster group-versions it did not select, so the recorded filters
  // still describe the lockfile.
  const selects = groupVersionFilter(filters)
  const kept =
    options.record === false && previous !== undefined
      ? Object.entries(previous.groupVersions).filter(([, gv]) => !selects(gv))
      : []
  const crdSets = Object.entries(locked?.groupVersions ?? {}).filter(
    ([key]) => previous?.groupVersions[key] === undefined,
  )
  const next: Lockfile = {
    lockfileVersion: LOCKFILE_VERSION,
    source: state.source,
    groupVersions: Object.fromEntries(
      [...Object.entries(state.groupVersions), ...kept, ...crdSets].sort(([a], [b]) =>
        a < b ? -1 : 1,
      ),
    ),
  }
  const recorded =
    options.record === false
      ? previous?.options
      : mergeGenerationOptions(
          { include: [...(options.include ?? [])], exclude: [...(options.exclude ?? [])] },
          options.generationOptions,
          previous?.options,
        )
  if (recorded !== undefined) next.options = recorded
  if (locked?.out !== undefined) next.out = locked.out
  if (locked?.crds !== undefined) next.crds = locked.crds
  if (state.v2) next.v2 = state.v2
  // A warm run finds the file already holding these bytes (with the recorded server version):
  // one serialization, compared with the text read. Otherwise the same content in other bytes (a
  // reformatted or version-1 file) is still unchanged: no /version, rewritten in this form.
  const same =
    read !== undefined &&
    serializeLockfile(
      read.lockfile.serverVersion === undefined
        ? next
        : { ...next, serverVersion: read.lockfile.serverVersion },
    ) === read.text
  const unchanged =
    locked !== undefined &&
    (same || canonicalJson({ ...locked, serverVersion: undefined }) === canonicalJson(next))
  // /version only when something changed: a warm run stays at one request.
  const serverVersion = unchanged ? locked.serverVersion : await fetchVersion(fetcher)
  if (serverVersion) next.serverVersion = serverVersion

  // Everything to write is read and prepared first; then the specs dir and the lockfile are
  // written in one synchronous step, so nothing else in the process (a signal handler) ever
  // sees one without the other, and a failure puts back what it wrote.
  const specsPlan =
    options.specsDir === undefined
      ? undefined
      : await planSpecsDir(fetcher.cache, options.specsDir, next, locked)
  const text = same ? undefined : serializeLockfile(next)
  const before =
    text === undefined ? undefined : await readFile(options.lockfile).catch(() => undefined)
  const lockfileChanged = text !== undefined && before?.equals(Buffer.from(text)) !== true
  if (lockfileChanged) await removeStaleTempFiles(dirname(options.lockfile))
  await fetcher.cache.saveVerified()
  const undoSpecs = specsPlan === undefined ? undefined : commitSpecsDir(specsPlan)
  let created: string | undefined
  if (lockfileChanged) {
    try {
      created = writeLockfileTextSync(options.lockfile, text)
    } catch (error) {
      undoSpecs?.()
      throw error
    }
  }
  const undo = (): void => {
    if (lockfileChanged) {
      if (before !== undefined) writeFileAtomicSync(options.lockfile, before, 0o644)
      else {
        rmSync(options.lockfile, { force: true })
        removeEmptyDirectories(dirname(options.lockfile), created)
      }
    }
    undoSpecs?.()
  }
  options.onWritten?.(undo)
  return {
    source: state.source,
    lockfile: next,
    lockfilePath: options.lockfile,
    lockfileChanged,
    undo,
    cacheDir,
    summary: {
      fetched: fetcher.stats.fetched,
      reused: fetcher.stats.reused,
      unavailable,
      bytes: fetcher.stats.bytes,
      requests: fetcher.stats.requests,
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
