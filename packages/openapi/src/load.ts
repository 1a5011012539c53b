import { existsSync } from 'node:fs'
import { readFile, unlink } from 'node:fs/promises'
import { isJsonObject } from './_canonical-json.js'
import { SpecCache, defaultCacheDir } from './cache.js'
import { OpenApiError } from './errors.js'
import { specsDirPaths } from './specs-dir.js'
import { sha512Hex } from './hash.js'
import {
  lockfileHash,
  readLockfile,
  type LockedBytes,
  type LockedGroupVersion,
  type Lockfile,
} from './lockfile.js'
import type { APIResourceList, OpenApiV3Document, SpecSet, StoredGroupVersion } from './types.js'
import type { CrdFactsList } from './crd/facts.js'

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

// Every document an offline run reads is re-hashed: a committed spec edited by hand, or a cache
// entry changed on disk, is a verification failure naming the file and both hashes (exit 4),
// never silently replaced by another copy. A missing copy is SPEC_MISSING.
async function readVerifiedBytes(
  what: string,
  locked: LockedBytes,
  cache: SpecCache,
  specsDirPath: string | undefined,
): Promise<Uint8Array> {
  const candidates = specsDirPath === undefined ? [] : [specsDirPath]
  candidates.push(cache.pathOf(locked.hash))
  for (const path of candidates) {
    const bytes = await readFile(path).catch(() => undefined)
    if (bytes === undefined) continue
    const actual = sha512Hex(bytes)
    if (actual === locked.hash) return bytes
    // A changed cache entry is ours to drop, so the next fetch downloads it again.
    if (path !== specsDirPath) await unlink(path).catch(() => undefined)
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_SPEC_TAMPERED',
      `${what}: ${path} does not hold the locked document: its SHA-512 is ${actual}, the lockfile expects ${locked.hash}${path === specsDirPath ? '; restore it (git checkout) or run `k8s-codegen fetch --specs-dir` again' : '; the cache entry was changed on disk and is removed; run `k8s-codegen fetch` again'}`,
    )
  }
  const where =
    specsDirPath === undefined ? `cache ${cache.dir}` : `${specsDirPath} or cache ${cache.dir}`
  throw new OpenApiError(
    'K8S_CODEGEN_OPENAPI_SPEC_MISSING',
    `${what}: no copy with SHA-512 ${locked.hash.slice(0, 16)}… in ${where}; run \`k8s-codegen fetch\` again`,
  )
}

async function readVerified(
  what: string,
  locked: LockedBytes,
  cache: SpecCache,
  specsDirPath: string | undefined,
): Promise<unknown> {
  const bytes = await readVerifiedBytes(what, locked, cache, specsDirPath)
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch (error) {
    throw new OpenApiError('K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID', `${what} is not JSON`, {
      cause: error,
    })
  }
}

/**
 * Checks every document `lockfile` names without parsing any: what an offline run that finds
 * its output up to date still checks. A `specsDir` file (committed, editable by hand) is
 * re-hashed: `K8S_CODEGEN_OPENAPI_SPEC_TAMPERED` names the file, expected and actual hash. A
 * cache entry (content-addressed, written only by k8s-codegen, re-hashed whenever it is read)
 * must be present with its locked size, as a warm fetch checks it. Anything absent is
 * `SPEC_MISSING`.
 *
 * @example
 * await verifyLockedSpecs(await readLockfile('k8s-codegen.lock.json'), { specsDir: 'specs' })
 */
export async function verifyLockedSpecs(
  lockfile: Lockfile,
  options: Omit<LoadSpecSetOptions, 'lockfile'>,
): Promise<void> {
  const cache = new SpecCache(options.cacheDir ?? defaultCacheDir())
  const check = async (what: string, locked: LockedBytes, specsDirPath: string | undefined) => {
    // Not in a specs dir (or none given): the cache's own size check is enough here.
    if (specsDirPath === undefined || !existsSync(specsDirPath)) {
      if (cache.has(locked.hash, locked.bytes)) return
    }
    await readVerifiedBytes(what, locked, cache, specsDirPath)
  }
  for (const key of Object.keys(lockfile.groupVersions).sort()) {
    const gv = lockfile.groupVersions[key]
    if (gv?.status !== 'ok') continue
    const paths = options.specsDir === undefined ? undefined : specsDirPaths(options.specsDir, key)
    await check(`group-version ${key}`, gv, paths?.document)
    if (gv.discovery) await check(`resource list of ${key}`, gv.discovery, paths?.discovery)
    if (gv.crdFacts) await check(`CRD facts of ${key}`, gv.crdFacts, paths?.crdFacts)
  }
}

// The lockfile (read unless given) and its available group-versions, sorted by key, each with
// how to read it (nothing is read yet).
async function lockedEntries(
  options: LoadSpecSetOptions,
  locked: Lockfile | undefined,
): Promise<{
  lockfile: Lockfile
  entries: (ReturnType<typeof lockedGroupVersion> & {
    gv: Pick<LazyGroupVersion, 'key' | 'group' | 'version' | 'hash' | 'bytes'>
  })[]
}> {
  const lockfile = locked ?? (await readLockfile(options.lockfile))
  const cache = new SpecCache(options.cacheDir ?? defaultCacheDir())
  const entries = Object.keys(lockfile.groupVersions)
    .sort()
    .flatMap((key) => {
      const gv = lockfile.groupVersions[key]
      if (gv?.status !== 'ok') return []
      const { group, version, hash, bytes } = gv
      const read = lockedGroupVersion(key, gv, cache, options.specsDir)
      return [{ ...read, gv: { key, group, version, hash, bytes } }]
    })
  return { lockfile, entries }
}

// What a spec set says of its lockfile besides its group-versions.
function specSetOf(lockfile: Lockfile): Omit<SpecSet, 'groupVersions'> {
  const set: Omit<SpecSet, 'groupVersions'> = {
    source: lockfile.source,
    lockfileHash: lockfileHash(lockfile),
  }
  if (lockfile.serverVersion) set.serverVersion = lockfile.serverVersion
  return set
}

// One locked group-version: its document, read and re-verified at each call of `load()`, and
// its discovery list and CRD facts (small), read by `extras()`.
function lockedGroupVersion(
  key: string,
  gv: LockedGroupVersion & { status: 'ok' },
  cache: SpecCache,
  specsDir: string | undefined,
): {
  load: () => Promise<OpenApiV3Document>
  extras: () => Promise<Pick<StoredGroupVersion, 'discovery' | 'crdFacts'>>
} {
  const paths = specsDir === undefined ? undefined : specsDirPaths(specsDir, key)
  return {
    load: async () => {
      const value = await readVerified(`group-version ${key}`, gv, cache, paths?.document)
      if (!isJsonObject(value) || !isJsonObject(value.paths)) {
        throw new OpenApiError(
          'K8S_CODEGEN_OPENAPI_DOCUMENT_INVALID',
          `group-version ${key} is not an OpenAPI 3 document`,
        )
      }
      return value as OpenApiV3Document
    },
    extras: async () => {
      const extras: Pick<StoredGroupVersion, 'discovery' | 'crdFacts'> = {}
      if (gv.discovery) {
        extras.discovery = (await readVerified(
          `resource list of ${key}`,
          gv.discovery,
          cache,
          paths?.discovery,
        )) as APIResourceList
      }
      if (gv.crdFacts) {
        extras.crdFacts = (await readVerified(
          `CRD facts of ${key}`,
          gv.crdFacts,
          cache,
          paths?.crdFacts,
        )) as CrdFactsList
      }
      return extras
    },
  }
}

/**
 * A locked group-version whose document is read (from `specsDir` or the cache, re-verified
 * against its locked SHA-512) each time `load()` is called, and held by nobody in between.
 *
 * @example
 * const gv: LazyGroupVersion = (await openSpecSet({ lockfile })).groupVersions[0]
 * const document = await gv.load()
 */
export interface LazyGroupVersion extends Omit<StoredGroupVersion, 'document'> {
  /** The locked size, checked by the read that `load()` does. */
  bytes: number
  load(): Promise<OpenApiV3Document>
}

/**
 * {@link SpecSet} with {@link LazyGroupVersion}s.
 *
 * @example
 * const set: LazySpecSet = await openSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 */
export interface LazySpecSet extends Omit<SpecSet, 'groupVersions'> {
  groupVersions: LazyGroupVersion[]
}

/**
 * {@link loadSpecSet} without reading any document yet: each is read and re-verified when its
 * `load()` is called, so a caller that reads them one at a time (the generator does) holds one
 * at a time however many the lockfile locks. Discovery lists and CRD facts are read now.
 *
 * @example
 * const specs = await openSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 * for (const gv of specs.groupVersions) console.log(gv.key, Object.keys((await gv.load()).paths).length)
 */
export async function openSpecSet(
  options: LoadSpecSetOptions,
  locked?: Lockfile,
): Promise<LazySpecSet> {
  const { lockfile, entries } = await lockedEntries(options, locked)
  const groupVersions: LazyGroupVersion[] = []
  for (const { gv, load, extras } of entries)
    groupVersions.push({ ...gv, load, ...(await extras()) })
  return { ...specSetOf(lockfile), groupVersions }
}

/**
 * Loads every available group-version of a lockfile without touching the network: each document
 * comes from `specsDir` (when given) or the cache and is re-verified against its locked SHA-512.
 *
 * @example
 * const specs = await loadSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 * for (const gv of specs.groupVersions) console.log(gv.key, gv.discovery?.resources.length)
 *
 * Pass `locked` when the caller already read (and holds the lock on) the lockfile.
 */
export async function loadSpecSet(
  options: LoadSpecSetOptions,
  locked?: Lockfile,
): Promise<SpecSet> {
  const { lockfile, entries } = await lockedEntries(options, locked)
  const groupVersions: StoredGroupVersion[] = []
  for (const { gv, load, extras } of entries) {
    const document = await load()
    groupVersions.push({ ...gv, document, ...(await extras()) })
  }
  return { ...specSetOf(lockfile), groupVersions }
}
