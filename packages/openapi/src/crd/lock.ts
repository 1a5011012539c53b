import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, resolve, sep } from 'node:path'
import { canonicalJson, isJsonObject } from '../_canonical-json.js'
import { SpecCache, defaultCacheDir } from '../cache.js'
import { OpenApiError } from '../errors.js'
import { parseGroupVersionKey } from '../group-version.js'
import { sha512Hex } from '../hash.js'
import {
  getLockfile,
  serializeLockfile,
  writeLockfile,
  type LockedBytes,
  type LockedGroupVersion,
  type Lockfile,
} from '../lockfile.js'
import { loadSpecSet } from '../load.js'
import type { JsonObject, OpenApiV3Document } from '../types.js'
import { crdBaselineFromDocuments, shippedCrdBaseline, type CrdBaseline } from './baseline.js'
import { loadCrds } from './load.js'
import { crdsToOpenApiV2Documents } from './to-openapi-v2.js'
import { crdsToOpenApiV3, type ConvertedGroupVersion } from './to-openapi-v3.js'
import type { CustomResourceDefinition } from './types.js'

// `generate --crds` / `fetch --crds`: the converted documents are stored in the cache and
// locked like fetched ones, so `generate` and `check` read them back exactly as they read a
// cluster's, and the lockfile's hash changes whenever a CRD does.

/**
 * Options of {@link lockCrds}.
 *
 * @example
 * const options: LockCrdsOptions = { crds: ['crds/'], cwd: process.cwd(), lockfile: 'k8s-codegen.lock.json' }
 */
export interface LockCrdsOptions {
  /** Files, directories and globs of CRD YAML/JSON. */
  crds: readonly string[]
  cwd: string
  /** The lockfile to write (and, with `base: 'lockfile'`, the one to extend). */
  lockfile: string
  cacheDir?: string | undefined
  /**
   * What the CRDs join: a lockfile or a `--specs-dir` directory of an earlier fetch (its
   * group-versions are kept and supply ObjectMeta & co.), or undefined for CRDs alone with the
   * shipped meta/v1 baseline.
   */
  base?: string | undefined
  /** A CRD group-version the base already serves replaces it instead of failing. */
  override?: boolean | undefined
  /**
   * `false` (for `check`): write neither the cache nor the lockfile; `lockfileChanged` then says
   * whether the lockfile would change.
   */
  write?: boolean | undefined
}

/**
 * What {@link lockCrds} did.
 *
 * @example
 * const { crds, groupVersions, baseline } = await lockCrds(options)
 */
export interface LockCrdsResult {
  lockfile: Lockfile
  lockfileChanged: boolean
  crds: number
  /** Keys of the CRD group-versions. */
  groupVersions: string[]
  /** Documents in the files that are not CRDs. */
  skipped: number
  files: string[]
  /** Where ObjectMeta & co. came from (the `--base` path, or the shipped baseline). */
  baseline: string
  source: 'v3' | 'v2'
}

interface Base {
  lockfile: Lockfile | undefined
  documents: Map<string, OpenApiV3Document>
  discovery: Map<string, JsonObject>
  crdFacts: Map<string, JsonObject>
  name: string
}

// A specs dir holds `<key>.json`, `<key>.discovery.json` and `<key>.crd-facts.json` (fetch
// --specs-dir).
async function baseFromSpecsDir(dir: string, cwd: string): Promise<Base> {
  const documents = new Map<string, OpenApiV3Document>()
  const discovery = new Map<string, JsonObject>()
  const crdFacts = new Map<string, JsonObject>()
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name)
      if (entry.isDirectory()) {
        await walk(path)
        continue
      }
      const rel = relative(dir, path).split(sep).join('/')
      const match = /^(.+?)(\.discovery|\.crd-facts)?\.json$/.exec(rel)
      const key = match?.[1]
      if (key === undefined || parseGroupVersionKey(key) === undefined) continue
      let value: unknown
      try {
        value = JSON.parse(await readFile(path, 'utf8'))
      } catch (cause) {
        throw new OpenApiError('K8S_CODEGEN_OPENAPI_BASE_INVALID', `--base ${rel} is not JSON`, {
          cause,
        })
      }
      if (!isJsonObject(value)) {
        throw new OpenApiError(
          'K8S_CODEGEN_OPENAPI_BASE_INVALID',
          `--base ${rel} is not a JSON object`,
        )
      }
      if (match?.[2] === undefined) documents.set(key, value as OpenApiV3Document)
      else if (match[2] === '.discovery') discovery.set(key, value)
      else crdFacts.set(key, value)
    }
  }
  await walk(dir)
  if (documents.size === 0) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_BASE_INVALID',
      `--base ${relative(cwd, dir) || dir} holds no group-version document (<key>.json, as fetch --specs-dir writes)`,
    )
  }
  return { lockfile: undefined, documents, discovery, crdFacts, name: relative(cwd, dir) || dir }
}

async function loadBase(options: LockCrdsOptions, cacheDir: string): Promise<Base | undefined> {
  if (options.base === undefined) return undefined
  const path = resolve(options.cwd, options.base)
  const info = await stat(path).catch(() => undefined)
  if (info === undefined) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_BASE_INVALID',
      `--base ${options.base}: no such file or directory`,
    )
  }
  if (info.isDirectory()) return baseFromSpecsDir(path, options.cwd)
  const set = await loadSpecSet({ lockfile: path, cacheDir })
  const lockfile = await getLockfile(path)
  const documents = new Map<string, OpenApiV3Document>()
  const discovery = new Map<string, JsonObject>()
  for (const gv of set.groupVersions) {
    documents.set(gv.key, gv.document)
    if (gv.discovery) discovery.set(gv.key, gv.discovery as unknown as JsonObject)
  }
  return { lockfile, documents, discovery, crdFacts: new Map(), name: options.base }
}

function conflicts(
  crds: readonly CustomResourceDefinition[],
  converted: readonly ConvertedGroupVersion[],
  base: Base,
): string | undefined {
  for (const gv of converted) {
    const served = base.discovery.get(gv.key)
    const plurals = new Set(
      Array.isArray(served?.resources)
        ? served.resources.map((r) => (isJsonObject(r) ? r.name : undefined))
        : [],
    )
    const paths = base.documents.get(gv.key)?.paths ?? {}
    for (const name of gv.crds) {
      const crd = crds.find((c) => c.name === name) as CustomResourceDefinition
      const claimed =
        plurals.has(crd.names.plural) ||
        Object.keys(paths).some((p) => p.split('/').includes(crd.names.plural))
      if (claimed) return `CRD ${name} (${gv.key}) is also served by the base ${base.name}`
    }
  }
  return undefined
}

/**
 * Reads, validates and converts CRDs (as the apiserver would publish them: v3 documents, or
 * split from a v2 document when the base is a v2 lockfile), stores the documents and their
 * discovery lists in the cache and writes the lockfile: the base's group-versions plus the
 * CRDs'. A CRD the base also serves is refused with `K8S_CODEGEN_OPENAPI_CRD_CONFLICT` unless
 * `override` (then the CRD's group-version replaces the base's).
 *
 * @example
 * await lockCrds({ crds: ['crds/'], cwd: process.cwd(), lockfile: 'k8s-codegen.lock.json' })
 * const specs = await loadSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 */
export async function lockCrds(options: LockCrdsOptions): Promise<LockCrdsResult> {
  const cacheDir = options.cacheDir ?? defaultCacheDir()
  const cache = new SpecCache(cacheDir)
  const write = options.write !== false
  const store = (value: unknown): Promise<LockedBytes> => storeCanonical(cache, value, write)
  const loaded = await loadCrds(options.crds, { cwd: options.cwd })
  const base = await loadBase(options, cacheDir)
  const baseline: CrdBaseline =
    base === undefined
      ? shippedCrdBaseline()
      : crdBaselineFromDocuments([...base.documents.values()], base.name)
  const source = base?.lockfile?.source ?? 'v3'
  let converted: ConvertedGroupVersion[]
  if (source === 'v2') {
    const locked = base?.lockfile?.v2
    const bytes = locked === undefined ? undefined : await cache.read(locked.hash)
    if (bytes === undefined) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_SPEC_MISSING',
        `--base ${options.base ?? ''}: the locked /openapi/v2 document is not in cache ${cacheDir}; run \`k8s-codegen fetch\` again`,
      )
    }
    converted = crdsToOpenApiV2Documents(
      loaded.crds,
      JSON.parse(new TextDecoder().decode(bytes)) as JsonObject,
      {
        override: options.override === true,
        queryParameters: baseline.parameters,
        ...(baseline.options === undefined ? {} : { queryOptions: baseline.options }),
      },
    )
  } else {
    converted = crdsToOpenApiV3(loaded.crds, baseline)
  }
  if (base !== undefined && options.override !== true) {
    const conflict = conflicts(loaded.crds, converted, base)
    if (conflict !== undefined) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_CONFLICT',
        `${conflict}; pass --crds-override to use the CRD file instead`,
      )
    }
  }

  const groupVersions: Record<string, LockedGroupVersion> = {}
  if (base !== undefined) {
    if (base.lockfile !== undefined) Object.assign(groupVersions, base.lockfile.groupVersions)
    else {
      for (const [key, document] of base.documents) {
        const ref = parseGroupVersionKey(key) as NonNullable<
          ReturnType<typeof parseGroupVersionKey>
        >
        const entry = await store(document)
        const list = base.discovery.get(key)
        const facts = base.crdFacts.get(key)
        groupVersions[key] = {
          group: ref.group,
          version: ref.version,
          status: 'ok',
          ...entry,
          ...(list === undefined ? {} : { discovery: await store(list) }),
          ...(facts === undefined ? {} : { crdFacts: await store(facts) }),
        }
      }
    }
  }
  for (const gv of converted) {
    groupVersions[gv.key] = {
      group: gv.group,
      version: gv.version,
      status: 'ok',
      ...(await store(gv.document)),
      discovery: await store(gv.discovery),
      crdFacts: await store(gv.facts),
    }
  }
  const next: Lockfile = {
    lockfileVersion: 1,
    source,
    groupVersions: Object.fromEntries(
      Object.entries(groupVersions).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
  }
  // The generation options recorded in the lockfile being replaced stay recorded (the CLI's
  // generation applies and records flags on top), so re-locking unchanged CRDs changes nothing.
  const recorded = (await getLockfile(options.lockfile))?.options ?? base?.lockfile?.options
  if (recorded !== undefined) next.options = recorded
  if (base?.lockfile?.serverVersion) next.serverVersion = base.lockfile.serverVersion
  if (base?.lockfile?.v2) next.v2 = base.lockfile.v2
  const lockfileChanged = write
    ? await writeLockfile(options.lockfile, next)
    : (await readFile(options.lockfile, 'utf8').catch(() => undefined)) !== serializeLockfile(next)
  return {
    lockfile: next,
    lockfileChanged,
    crds: loaded.crds.length,
    groupVersions: converted.map((gv) => gv.key),
    skipped: loaded.skipped,
    files: loaded.files,
    baseline: baseline.name,
    source,
  }
}

// Documents are stored as canonical JSON, the form split v2 documents take.
async function storeCanonical(
  cache: SpecCache,
  value: unknown,
  write: boolean,
): Promise<LockedBytes> {
  const bytes = new TextEncoder().encode(canonicalJson(value))
  const hash = sha512Hex(bytes)
  if (write && !cache.has(hash, bytes.byteLength)) await cache.write(bytes, hash)
  return { hash, bytes: bytes.byteLength }
}
