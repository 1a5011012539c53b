// OpenAPI v2 (servers before v3, beta in 1.24): one Swagger document, revalidated with
// If-None-Match, verified against its ETag and split into per-group-version documents.
import { type Fetcher, parseJson, pool, unexpected } from './_fetcher.js'
import { canonicalJson } from './_canonical-json.js'
import { OpenApiError } from './errors.js'
import {
  parseGroupVersionKey,
  selectGroupVersions,
  type GroupVersionFilters,
} from './group-version.js'
import { sha512Hex } from './hash.js'
import type { LockedGroupVersion, Lockfile } from './lockfile.js'
import { splitV2Document } from './split-v2.js'
import type { GroupVersionRef } from './types.js'

// kube-openapi `pkg/handler/handler.go` sets `ETag: "<uppercase hex SHA-512>"` on /openapi/v2.
function etagHash(etag: string | undefined): string | undefined {
  return etag === undefined ? undefined : /^(?:W\/)?"?([0-9A-F]{128})"?$/.exec(etag)?.[1]
}

export type V2State = {
  source: 'v2'
  v2: NonNullable<Lockfile['v2']>
  groupVersions: Record<string, LockedGroupVersion>
}

// The locked split of an unchanged /openapi/v2 document, when every entry is still cached.
// Only under the same filters: the locked split holds just what the previous filters kept.
async function reuseLockedSplit(
  fetcher: Fetcher,
  previous: Lockfile,
  filters: GroupVersionFilters,
): Promise<Record<string, LockedGroupVersion> | undefined> {
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
    if (gv.status !== 'ok' || !(await fetcher.cache.hasVerified(gv.hash, gv.bytes)))
      return undefined
    if (gv.discovery && !(await fetcher.cache.hasVerified(gv.discovery.hash, gv.discovery.bytes)))
      return undefined
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

export async function fetchV2(
  fetcher: Fetcher,
  filters: GroupVersionFilters,
  previous: Lockfile | undefined,
): Promise<V2State> {
  const locked = previous?.source === 'v2' ? previous.v2 : undefined
  const revalidate =
    locked?.etag !== undefined && (await fetcher.cache.hasVerified(locked.hash, locked.bytes))
      ? locked.etag
      : undefined
  const download =
    revalidate === undefined
      ? await downloadV2(fetcher, undefined)
      : await downloadV2(fetcher, revalidate)
  let bytes: Uint8Array | undefined
  if (download.notModified && locked && previous) {
    // 304: the document is the locked one. Nothing to split when its pieces are all cached.
    const reused = await reuseLockedSplit(fetcher, previous, filters)
    if (reused) {
      fetcher.emit({ type: 'root', source: 'v2', total: Object.keys(reused).length })
      for (const [key, gv] of Object.entries(reused)) {
        fetcher.stats.reused++
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
  fetcher.stats.bytes += bytes.byteLength
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
    if (changed) fetcher.stats.fetched++
    else fetcher.stats.reused++
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
