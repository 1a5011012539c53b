// What the v3 and v2 fetches share: one connection's requests with their counts, the cache, the
// discovery lists, and a small pool for parallel downloads. Internal, never re-exported.
import { isUtf8 } from 'node:buffer'
import { isK8sCodegenError } from '@k8s-codegen/proxy-url'
import { isJsonObject } from './_canonical-json.js'
import type { SpecCache } from './cache.js'
import { OpenApiError } from './errors.js'
import type { FetchEvent, FetchOptions, SpecResponse, SpecSource } from './fetch-types.js'
import { discoveryPath } from './group-version.js'
import type { LockedBytes, LockedGroupVersion } from './lockfile.js'
import type { GroupVersionRef } from './types.js'

/** Counts of one fetch: requests made, documents downloaded or reused, bytes downloaded. */
export interface FetchStats {
  requests: number
  fetched: number
  reused: number
  bytes: number
}

export const JSON_ACCEPT = 'application/json'

export function unexpected(what: string, response: SpecResponse): OpenApiError {
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_UNEXPECTED_STATUS',
    `${what}: GET ${response.url} answered HTTP ${response.status}`,
  )
}

export function parseJson(
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

export async function pool<T>(
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

export class Fetcher {
  readonly source: SpecSource
  readonly options: FetchOptions
  readonly cache: SpecCache
  /** What this fetch did, reported in the result's summary. */
  readonly stats: FetchStats = { requests: 0, fetched: 0, reused: 0, bytes: 0 }

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
    this.stats.requests++
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
   * The size of a usable cache entry for `hash`, or undefined. Every entry is read and verified:
   * one changed on disk (even at the same size) is dropped with a warning and downloaded again,
   * so an online fetch repairs the cache instead of failing later.
   */
  async cachedSize(hash: string, locked: LockedBytes | undefined): Promise<number | undefined> {
    if (locked?.hash === hash)
      return (await this.cache.hasVerified(hash, locked.bytes)) ? locked.bytes : undefined
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
    if (!documentChanged && locked && (await this.cache.hasVerified(locked.hash, locked.bytes)))
      return locked
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
