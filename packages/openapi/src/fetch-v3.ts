// OpenAPI v3: the `/openapi/v3` root (kube-openapi `pkg/handler3`) lists each group-version's
// document with its hash; each is downloaded when the cache lacks that hash and verified.
import { K8sCodegenError } from '@k8s-codegen/proxy-url'
import { type Fetcher, parseJson, pool, unexpected } from './_fetcher.js'
import { isJsonObject } from './_canonical-json.js'
import { OpenApiError } from './errors.js'
import type { SpecResponse } from './fetch-types.js'
import {
  parseGroupVersionKey,
  selectGroupVersions,
  type GroupVersionFilters,
} from './group-version.js'
import { sha512Hex } from './hash.js'
import type { LockedBytes, LockedGroupVersion, Lockfile } from './lockfile.js'
import type { GroupVersionRef } from './types.js'

interface RootEntry extends GroupVersionRef {
  hash: string
  url: string
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304
}

// A root entry's serverRelativeURL is sent under the connection's path prefix with its
// credentials, so it must name a document under `<prefix>/openapi/v3/` and nothing else: no dot
// segment (also percent-encoded) that a URL parser resolves away, no backslash, no `//`. With a
// prefixed server (Rancher's `/k8s/clusters/c-1`) `/../../../v3/…` would reach the front proxy's
// own API with the user's token. Returns the rule broken, or undefined.
function confinementProblem(relative: string): string | undefined {
  const path = relative.split('?')[0] ?? ''
  if (!path.startsWith('/openapi/v3/')) return "it is not under '/openapi/v3/'"
  if (/[\\]|\/\//.test(path)) return "it holds a backslash or '//'"
  if (path.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment)))
    return 'it holds a dot segment'
  return undefined
}

// kube-openapi `pkg/handler3/handler.go` `handleDiscovery` serves
// `{ paths: { "<key>": { serverRelativeURL: "/openapi/v3/<key>?hash=<HASH>" } } }`.
function parseRoot(
  bytes: Uint8Array,
  url: string,
  onRefused: (message: string) => void,
): Map<string, RootEntry> {
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
    if (typeof relative !== 'string' || !hash) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_ROOT_INVALID',
        `the OpenAPI v3 root ${url}: paths['${key}'].serverRelativeURL must be an absolute path with an uppercase hex SHA-512 'hash' query parameter`,
      )
    }
    const problem = confinementProblem(relative)
    if (problem !== undefined) {
      // One entry, refused and named; the others are fetched.
      onRefused(
        `${key} is skipped: its serverRelativeURL ${JSON.stringify(relative.slice(0, 200))} in ${url} must resolve under the server's /openapi/v3/, but ${problem}`,
      )
      continue
    }
    entries.set(key, { ...ref, hash, url: relative })
  }
  return entries
}

export async function fetchV3(
  fetcher: Fetcher,
  rootResponse: SpecResponse,
  filters: GroupVersionFilters,
  previous: Lockfile | undefined,
): Promise<Record<string, LockedGroupVersion>> {
  const refused = (message: string) => fetcher.emit({ type: 'warning', message })
  const root = parseRoot(rootResponse.body, rootResponse.url, refused)
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
      return parseRoot(r.body, r.url, refused)
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
    if (firstFailure && rest.length === 0) throw firstFailure.error
    if (firstFailure) {
      // Several failures: one error with the first one's code (so its exit code) and message,
      // naming the others, every original kept unchanged in an AggregateError as the cause.
      const { code } = firstFailure.error as { code?: unknown }
      throw new K8sCodegenError(
        typeof code === 'string' ? code : 'K8S_CODEGEN_OPENAPI_UNEXPECTED_STATUS',
        `${firstFailure.key}: ${firstFailure.error.message} (also failed: ${rest.map((f) => f.key).join(', ')})`,
        {
          cause: new AggregateError(
            failures.map((f) => f.error),
            `${failures.length} group-versions failed`,
          ),
        },
      )
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
    fetcher.stats.reused++
    fetcher.emit({ type: 'done', key: entry.key, bytes, reused: true })
    return lockedEntry(entry, bytes, discovery)
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
    fetcher.stats.fetched++
    fetcher.stats.bytes += response.body.byteLength
    fetcher.emit({ type: 'done', key: entry.key, bytes: response.body.byteLength, reused: false })
    return lockedEntry(entry, response.body.byteLength, discovery)
  }
}

// The locked entry of a group-version, its keys in the order the lockfile writes them (sorted):
// the serialization a warm fetch compares with the lockfile read then walks the entries without
// copying them (copying every entry was ~15 ms of a warm fetch at 1,000 CRDs).
function lockedEntry(
  entry: RootEntry,
  bytes: number,
  discovery: LockedBytes | undefined,
): LockedGroupVersion {
  return {
    bytes,
    ...(discovery ? { discovery } : {}),
    group: entry.group,
    hash: entry.hash,
    status: 'ok',
    version: entry.version,
  }
}
