import { readFile } from 'node:fs/promises'
import { isJsonObject } from './_canonical-json.js'
import { SpecCache, defaultCacheDir } from './cache.js'
import { OpenApiError } from './errors.js'
import { specsDirPaths } from './fetch.js'
import { sha512Hex } from './hash.js'
import { lockfileHash, readLockfile, type LockedBytes } from './lockfile.js'
import type { APIResourceList, OpenApiV3Document, SpecSet, StoredGroupVersion } from './types.js'

/**
 * Options of {@link loadSpecSet}.
 *
 * @example
 * const options: LoadSpecSetOptions = { lockfile: 'k8s-codegen.lock.json', specsDir: 'specs' }
 */
export interface LoadSpecSetOptions {
  lockfile: string
  /** Where `fetch` cached the documents; default {@link defaultCacheDir}. */
  cacheDir?: string | undefined
  /** Read `<key>.json` files written by `fetch --specs-dir` instead of (then besides) the cache. */
  specsDir?: string | undefined
}

async function readVerified(
  what: string,
  locked: LockedBytes,
  cache: SpecCache,
  specsDirPath: string | undefined,
): Promise<unknown> {
  let bytes: Uint8Array | undefined
  if (specsDirPath !== undefined) {
    const file = await readFile(specsDirPath).catch(() => undefined)
    if (file && sha512Hex(file) === locked.hash) bytes = file
  }
  bytes ??= await cache.read(locked.hash)
  if (!bytes) {
    const where =
      specsDirPath === undefined ? `cache ${cache.dir}` : `${specsDirPath} or cache ${cache.dir}`
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_SPEC_MISSING',
      `${what}: no copy with SHA-512 ${locked.hash.slice(0, 16)}… in ${where}; run \`k8s-codegen fetch\` again`,
    )
  }
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    throw new OpenApiError('K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID', `${what} is not JSON`, {
      cause: error,
    })
  }
}

/**
 * Loads every available group-version of a lockfile without touching the network: each document
 * comes from `specsDir` (when given) or the cache and is re-verified against its locked SHA-512.
 *
 * @example
 * const specs = await loadSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 * for (const gv of specs.groupVersions) console.log(gv.key, gv.discovery?.resources.length)
 */
export async function loadSpecSet(options: LoadSpecSetOptions): Promise<SpecSet> {
  const lockfile = await readLockfile(options.lockfile)
  const cache = new SpecCache(options.cacheDir ?? defaultCacheDir())
  const groupVersions: StoredGroupVersion[] = []
  for (const key of Object.keys(lockfile.groupVersions).sort()) {
    const gv = lockfile.groupVersions[key]
    if (gv?.status !== 'ok') continue
    const paths = options.specsDir === undefined ? undefined : specsDirPaths(options.specsDir, key)
    const document = await readVerified(`group-version ${key}`, gv, cache, paths?.document)
    if (!isJsonObject(document) || !isJsonObject(document.paths)) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
        `group-version ${key} is not an OpenAPI 3 document`,
      )
    }
    const stored: StoredGroupVersion = {
      key,
      group: gv.group,
      version: gv.version,
      hash: gv.hash,
      document: document as OpenApiV3Document,
    }
    if (gv.discovery) {
      stored.discovery = (await readVerified(
        `resource list of ${key}`,
        gv.discovery,
        cache,
        paths?.discovery,
      )) as APIResourceList
    }
    groupVersions.push(stored)
  }
  const set: SpecSet = {
    source: lockfile.source,
    lockfileHash: lockfileHash(lockfile),
    groupVersions,
  }
  if (lockfile.serverVersion) set.serverVersion = lockfile.serverVersion
  return set
}
