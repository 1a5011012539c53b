import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { canonicalJson, canonicalValue, isJsonObject } from '../_canonical-json.js'
import { SpecCache, defaultCacheDir } from '../cache.js'
import { OpenApiError } from '../errors.js'
import { parseGroupVersionKey } from '../group-version.js'
import { sha512Hex } from '../hash.js'
import { crdSetKeys } from '../lock-sources.js'
import {
  LOCKFILE_NAME,
  LOCKFILE_VERSION,
  getLockfile,
  serializeLockfile,
  writeLockfile,
  type LockedBytes,
  type LockedCrdSource,
  type LockedGroupVersion,
  type Lockfile,
} from '../lockfile.js'
import { loadSpecSet } from '../load.js'
import type {
  APIResourceList,
  JsonObject,
  OpenApiV3Document,
  StoredGroupVersion,
} from '../types.js'
import { crdBaselineFromDocuments, shippedCrdBaseline, type CrdBaseline } from './baseline.js'
import type { CrdFactsList } from './facts.js'
import {
  conversionKey,
  groupVersionKey,
  readConversion,
  readConvertedGroupVersion,
  writeConversion,
  writeConvertedGroupVersion,
  type ConversionRecord,
} from './conversion-cache.js'
import { SchemaSpill } from './_schema-spill.js'
import { CrdFileChanged, holdCrds, readCrdSet, type SetCrd } from './read-set.js'
import { DEFAULT_CRD_READ_LIMITS, type CrdReadLimits } from './read-limits.js'
import { crdsToOpenApiV2Documents } from './to-openapi-v2.js'
import { eachCrdGroupVersionV3, type ConvertedGroupVersion } from './to-openapi-v3.js'
import type { CustomResourceDefinition } from './types.js'

// `generate --crds` / `fetch --crds`: the converted documents are stored in the cache and
// locked like fetched ones, so `generate` and `check` read them back exactly as they read a
// cluster's, and the lockfile's hash changes whenever a CRD does. Each `--crds` set is a source
// of the lockfile: locking one replaces that set's group-versions and keeps everything else.

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
  /**
   * The lockfile the set joins: its other sources are kept, and its cluster documents (when it
   * has any) supply ObjectMeta & co.; without them, the shipped meta/v1 baseline does.
   */
  lockfile: string
  cacheDir?: string | undefined
  /**
   * Another lockfile or a `--specs-dir` directory of an earlier fetch whose group-versions join
   * the lockfile as its cluster source and supply ObjectMeta & co. (the lockfile itself: the same
   * as undefined).
   */
  base?: string | undefined
  /** Bounds on the CRD files read (default `DEFAULT_CRD_READ_LIMITS`). */
  limits?: Partial<CrdReadLimits> | undefined
  /** A CRD group-version the base already serves replaces it instead of failing. */
  override?: boolean | undefined
  /**
   * The set is one the lockfile records, re-locked by a run that did not name it (`fetch` and
   * `generate` without `--crds`): a conflict then says which command resolves it, as
   * `--crds-override` on that run does not apply to it.
   */
  recorded?: boolean | undefined
  /**
   * `false` (for `check`): write neither the cache nor the lockfile; `lockfileChanged` then says
   * whether the lockfile would change.
   */
  write?: boolean | undefined
  /**
   * Called with each group-version this run converts, as soon as it is stored: its document,
   * discovery list and CRD facts as stored (canonical: what reading them back from the cache
   * gives), so a caller can use them without reading them again (the CLI plans its generation
   * from them). Group-versions a conversion record supplies are not converted, so not passed.
   */
  onStored?: ((gv: StoredGroupVersion & { bytes: number }) => void) | undefined
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
  /**
   * Files of the set whose content differs from what the lockfile recorded (added, changed or
   * gone), relative to the lockfile's directory; empty for a new set.
   */
  changedFiles: string[]
}

interface Base {
  lockfile: Lockfile | undefined
  documents: Map<string, OpenApiV3Document>
  discovery: Map<string, JsonObject>
  crdFacts: Map<string, JsonObject>
  name: string
  /** Copied into the lockfile (another lockfile or a specs dir), or already in it. */
  external: boolean
  /** Keys of the documents that may supply the baseline: a cluster's, not another CRD set's. */
  baselineKeys: Set<string>
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
  return {
    lockfile: undefined,
    documents,
    discovery,
    crdFacts,
    name: relative(cwd, dir) || dir,
    external: true,
    baselineKeys: new Set(documents.keys()),
  }
}

async function baseFromLockfile(
  path: string,
  lockfile: Lockfile,
  cacheDir: string,
  name: string,
  external: boolean,
): Promise<Base> {
  const set = await loadSpecSet({ lockfile: path, cacheDir }, lockfile)
  const documents = new Map<string, OpenApiV3Document>()
  const discovery = new Map<string, JsonObject>()
  for (const gv of set.groupVersions) {
    documents.set(gv.key, gv.document)
    if (gv.discovery) discovery.set(gv.key, gv.discovery as unknown as JsonObject)
  }
  const sets = crdSetKeys(lockfile)
  const baselineKeys = new Set([...documents.keys()].filter((key) => !sets.has(key)))
  return { lockfile, documents, discovery, crdFacts: new Map(), name, external, baselineKeys }
}

// The base of a set: `--base` when it names another file, else the lockfile without the set.
async function loadBase(
  options: LockCrdsOptions,
  cacheDir: string,
  others: Lockfile | undefined,
): Promise<Base | undefined> {
  const lockfilePath = resolve(options.cwd, options.lockfile)
  if (options.base === undefined || resolve(options.cwd, options.base) === lockfilePath) {
    if (others === undefined || Object.keys(others.groupVersions).length === 0) return undefined
    const name = relative(options.cwd, lockfilePath) || lockfilePath
    return baseFromLockfile(lockfilePath, others, cacheDir, name, false)
  }
  const path = resolve(options.cwd, options.base)
  const info = await stat(path).catch(() => undefined)
  if (info === undefined) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_BASE_INVALID',
      `--base ${options.base}: no such file or directory`,
    )
  }
  if (info.isDirectory()) return baseFromSpecsDir(path, options.cwd)
  const lockfile = await getLockfile(path)
  if (lockfile === undefined)
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_BASE_INVALID',
      `--base ${options.base}: no such file`,
    )
  return baseFromLockfile(path, lockfile, cacheDir, options.base, true)
}

function recordedPath(root: string, cwd: string, path: string): string {
  return relative(root, resolve(cwd, path)).split(sep).join('/') || '.'
}

/**
 * The paths of a `--crds` set as the lockfile records them (and names the set by): relative to
 * the lockfile's directory, `/`-separated, sorted.
 *
 * @example
 * crdSetPaths('/repo/k8s-codegen.lock.json', '/repo/sub', ['crds']) // ['sub/crds']
 */
export function crdSetPaths(lockfile: string, cwd: string, paths: readonly string[]): string[] {
  const root = dirname(resolve(cwd, lockfile))
  return paths.map((p) => recordedPath(root, cwd, p)).sort()
}

// The first CRD (group-versions by key, CRDs by name) whose plural the base already serves in
// its group-version; `documentOf` gives a group-version's converted document when one is claimed.
async function conflicts(
  planned: readonly PlannedGroupVersion[],
  base: Base,
  documentOf: (gv: PlannedGroupVersion) => Promise<unknown>,
): Promise<string | undefined> {
  for (const gv of planned) {
    const served = base.discovery.get(gv.key)
    const plurals = new Set(
      Array.isArray(served?.resources)
        ? served.resources.map((r) => (isJsonObject(r) ? r.name : undefined))
        : [],
    )
    const document = base.documents.get(gv.key)
    const paths = Object.keys(document?.paths ?? {})
    const claimed = gv.crds.filter(
      ({ entry }) =>
        plurals.has(entry.plural) || paths.some((p) => p.split('/').includes(entry.plural)),
    )
    if (claimed.length === 0) continue
    // The base serves what these CRDs publish (a cluster where they are installed as the files
    // say, or a set a version-1 lockfile held without naming it): the same source, not a second.
    if (document !== undefined && sameDocument(document, await documentOf(gv))) continue
    const names = claimed.map(({ entry }) => entry.name).join(', ')
    return `CRD ${names} (${gv.key}) ${claimed.length === 1 ? 'is' : 'are'} also served by the base ${base.name}`
  }
  return undefined
}

const DELETE_OPTIONS = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'
const GVK = 'x-kubernetes-group-version-kind'

/**
 * Whether a CRD group-version document `served` (as a server sent it, or as locked) means what
 * `converted` (the conversion of the CRD files) does: equal as JSON values, key order aside (a
 * server's bytes are Go's serialization, never the canonical form the converter stores), with
 * the one difference a real server always shows: its DeleteOptions `x-kubernetes-group-version-kind`
 * lists the DeleteOptions kind of every group-version in client-go's scheme
 * (apiextensions-apiserver pkg/controller/openapi/builder/builder.go,
 * generateBuildDefinitionsFunc: `NewDefinitionNamer(scheme.Scheme)`), which no CRD file says; the
 * converted list must be part of the served one.
 *
 * @example
 * sameDocument(JSON.parse(fromServer), converted) // true when the CRD is installed as the file says
 */
export function sameDocument(served: unknown, converted: unknown): boolean {
  const theirs = schemaOf(served, DELETE_OPTIONS)?.[GVK]
  const mine = schemaOf(converted, DELETE_OPTIONS)?.[GVK]
  if (Array.isArray(theirs) && Array.isArray(mine)) {
    const listed = new Set(theirs.map((kind) => canonicalJson(kind)))
    if (!mine.every((kind) => listed.has(canonicalJson(kind)))) return false
    const copy = structuredClone(converted)
    const target = schemaOf(copy, DELETE_OPTIONS)
    if (target !== undefined) target[GVK] = theirs
    return canonicalJson(served) === canonicalJson(copy)
  }
  return canonicalJson(served) === canonicalJson(converted)
}

function schemaOf(document: unknown, name: string): Record<string, unknown> | undefined {
  const components = isJsonObject(document) ? document.components : undefined
  const schemas = isJsonObject(components) ? components.schemas : undefined
  const schema = isJsonObject(schemas) ? schemas[name] : undefined
  return isJsonObject(schema) ? schema : undefined
}

// What a conflict's message tells the user to do. A set given on this run takes
// `--crds-override`; a recorded set was named by an earlier run (`generate --crds` offline, then
// `fetch` from a cluster that serves the same CRDs), so this run's `--crds-override` does not
// reach it: the set is named again with the flag (the files win, recorded for later runs) or the
// recorded sets are dropped (the cluster's documents win).
function conflictRemedy(options: LockCrdsOptions, given: string): string {
  if (options.recorded !== true) return given
  const root = dirname(resolve(options.cwd, options.lockfile))
  const lockfile =
    basename(options.lockfile) === LOCKFILE_NAME ? '' : ` --lockfile ${basename(options.lockfile)}`
  const paths = crdSetPaths(options.lockfile, options.cwd, options.crds).join(' ')
  return (
    `the lockfile records this --crds set (${paths}), so --crds-override on this run does not apply to it: ` +
    `in ${root}, run \`k8s-codegen generate --crds ${paths} --crds-override${lockfile}\` to use the CRD files, ` +
    `or \`k8s-codegen generate --no-crds${lockfile}\` to use what the cluster serves`
  )
}

/**
 * Reads, validates and converts one `--crds` set (as the apiserver would publish it: v3
 * documents, or split from a v2 document when the lockfile's cluster source is v2), stores the
 * documents and their discovery lists in the cache and writes the lockfile: every other source
 * as it was, this set's group-versions replaced, its paths and file hashes recorded. A CRD the
 * cluster or another set also serves is refused with `K8S_CODEGEN_OPENAPI_CRD_CONFLICT` unless
 * `override` (then the CRD's group-version replaces the other one).
 *
 * @example
 * await lockCrds({ crds: ['crds/'], cwd: process.cwd(), lockfile: 'k8s-codegen.lock.json' })
 * const specs = await loadSpecSet({ lockfile: 'k8s-codegen.lock.json' })
 */
export async function lockCrds(options: LockCrdsOptions): Promise<LockCrdsResult> {
  const cacheDir = options.cacheDir ?? defaultCacheDir()
  const cache = new SpecCache(cacheDir)
  const write = options.write !== false
  const limits: CrdReadLimits = { ...DEFAULT_CRD_READ_LIMITS, ...options.limits }
  const root = dirname(resolve(options.cwd, options.lockfile))
  const paths = crdSetPaths(options.lockfile, options.cwd, options.crds)
  const current = await getLockfile(options.lockfile)
  const sameSet = (set: LockedCrdSource): boolean =>
    JSON.stringify([...set.paths].sort()) === JSON.stringify(paths)
  const previousSet = current?.crds?.find(sameSet)
  // The lockfile without this set: what the set joins, and what it must not collide with.
  const others: Lockfile | undefined = current && {
    ...current,
    groupVersions: Object.fromEntries(
      Object.entries(current.groupVersions).filter(
        ([key]) => !(previousSet?.groupVersions.includes(key) ?? false),
      ),
    ),
    crds: (current.crds ?? []).filter((set) => !sameSet(set)),
  }
  // The set's record when nothing changed; else only the group-versions whose CRDs changed are
  // converted (each file's facts and each group-version's entry are cached, conversion-cache.ts).
  const identity = await baseIdentity(options, others)
  const source = identity?.lockfile?.source ?? current?.source ?? 'v3'
  const { record, baseEntries, hashes } = await convert({
    options,
    cache,
    cacheDir,
    write,
    limits,
    others,
    source,
    identity,
    owned: new Set(previousSet?.groupVersions),
  })
  const groupVersions: Record<string, LockedGroupVersion> = { ...others?.groupVersions }
  Object.assign(groupVersions, baseEntries)
  Object.assign(groupVersions, record.groupVersions)
  const files = Object.fromEntries(
    hashes
      .map(([name, hash]) => [recordedPath(root, options.cwd, name), hash] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  )
  const set: LockedCrdSource = {
    paths,
    files,
    groupVersions: Object.keys(record.groupVersions).sort(),
    ...(options.override === true ? { override: true as const } : {}),
  }
  // The set keeps its place among the others, so re-locking unchanged CRDs changes nothing.
  const sets = [...(current?.crds ?? [])]
  const at = sets.findIndex(sameSet)
  if (at === -1) sets.push(set)
  else sets[at] = set
  // Server version and v2 document: an external base's (none for a specs dir), else the lockfile's.
  const external =
    options.base !== undefined &&
    resolve(options.cwd, options.base) !== resolve(options.cwd, options.lockfile)
  const from = external ? identity?.lockfile : current
  const next: Lockfile = {
    lockfileVersion: LOCKFILE_VERSION,
    source,
    groupVersions: Object.fromEntries(
      Object.entries(groupVersions).sort(([a], [b]) => (a < b ? -1 : 1)),
    ),
    crds: sets,
  }
  // The recorded generation options and `out` stay (the CLI's generation applies and records
  // flags on top), so re-locking unchanged CRDs changes nothing.
  const recorded = current?.options ?? identity?.lockfile?.options
  if (recorded !== undefined) next.options = recorded
  if (current?.out !== undefined) next.out = current.out
  if (from?.serverVersion) next.serverVersion = from.serverVersion
  if (from?.v2) next.v2 = from.v2
  const lockfileChanged = write
    ? await writeLockfile(options.lockfile, next)
    : (await readFile(options.lockfile, 'utf8').catch(() => undefined)) !== serializeLockfile(next)
  const before = previousSet?.files ?? {}
  const changedFiles =
    previousSet === undefined
      ? []
      : [...new Set([...Object.keys(before), ...Object.keys(files)])]
          .filter((file) => before[file] !== files[file])
          .sort()
  return {
    lockfile: next,
    lockfileChanged,
    crds: record.crds,
    groupVersions: Object.keys(record.groupVersions),
    skipped: record.skipped,
    files: record.files,
    baseline: record.baseline,
    source,
    changedFiles,
  }
}

// What a conversion record may be keyed by: what supplies the baseline and the conflict check.
// That is the lockfile's other sources (their locked hashes), the shipped baseline when there
// are none, or another lockfile named by `--base` (its bytes, and its entries join the lockfile).
// A specs-dir base always converts.
async function baseIdentity(
  options: LockCrdsOptions,
  others: Lockfile | undefined,
): Promise<{ id: string; lockfile?: Lockfile } | undefined> {
  const lockfilePath = resolve(options.cwd, options.lockfile)
  if (options.base === undefined || resolve(options.cwd, options.base) === lockfilePath) {
    if (others === undefined || Object.keys(others.groupVersions).length === 0)
      return { id: 'shipped' }
    const { source, v2, groupVersions, crds } = others
    const material = canonicalJson({ source, v2, groupVersions, crds })
    return { id: `sources ${sha512Hex(new TextEncoder().encode(material))}` }
  }
  const path = resolve(options.cwd, options.base)
  const bytes = await readFile(path).catch(() => undefined)
  const lockfile = bytes === undefined ? undefined : await getLockfile(path).catch(() => undefined)
  if (bytes === undefined || lockfile === undefined) return undefined
  return { id: `lockfile ${sha512Hex(bytes)}`, lockfile }
}

interface ConvertInput {
  options: LockCrdsOptions
  cache: SpecCache
  cacheDir: string
  write: boolean
  limits: CrdReadLimits
  /** The lockfile's other sources, the base when `--base` names no other file. */
  others: Lockfile | undefined
  source: 'v3' | 'v2'
  /** What a set's record is keyed by besides the files (undefined: never recorded). */
  identity: { id: string; lockfile?: Lockfile } | undefined
  /** The group-versions the lockfile records as this set's: its own, not the base's. */
  owned: ReadonlySet<string>
}

interface Converted {
  record: ConversionRecord
  baseEntries: Record<string, LockedGroupVersion>
  hashes: [string, string][]
}

// The schemas read wait in a file until converted (_schema-spill.ts), removed however this ends.
// A file that changes between two reads of one run is converted again, with every file read
// once (read-set.ts holdCrds).
async function convert(input: ConvertInput): Promise<Converted> {
  try {
    return await convertOnce(input, true)
  } catch (error) {
    if (!(error instanceof CrdFileChanged)) throw error
    return convertOnce(input, false)
  }
}

async function convertOnce(input: ConvertInput, facts: boolean): Promise<Converted> {
  const schemas = new SchemaSpill()
  try {
    return await convertHeld(input, schemas, facts)
  } finally {
    schemas.close()
  }
}

/** A group-version of the set: the CRDs serving it, and its entry when converted before. */
interface PlannedGroupVersion {
  key: string
  crds: SetCrd[]
  /** Its cache entry's name (undefined: never stored, a v2 conversion). */
  entryKey: string | undefined
  reused: Extract<LockedGroupVersion, { status: 'ok' }> | undefined
}

// Each served version of each CRD (sorted by name) joins its group-version, sorted by key
// (to-openapi-v3.ts servedGroupVersions, from the facts alone).
function planGroupVersions(crds: readonly SetCrd[]): PlannedGroupVersion[] {
  const byKey = new Map<string, SetCrd[]>()
  for (const crd of crds) {
    for (const version of crd.entry.served) {
      const key = `apis/${crd.entry.group}/${version}`
      byKey.set(key, [...(byKey.get(key) ?? []), crd])
    }
  }
  return [...byKey.keys()]
    .sort()
    .map((key) => ({ key, crds: byKey.get(key) ?? [], entryKey: undefined, reused: undefined }))
}

// Reads the set (parsing only the files whose facts are not cached), then either finds the set's
// record or converts the group-versions whose pieces changed, reusing the others' entries; the
// rules over all files are decided over all of them each time. Returns the record of the CRD
// group-versions, the entries an external base (another lockfile, a specs dir) brings, and the
// hashes of the bytes read.
async function convertHeld(
  input: ConvertInput,
  schemas: SchemaSpill,
  facts: boolean,
): Promise<Converted> {
  const { options, cache, cacheDir, write, limits, others, source, identity, owned } = input
  const store = async (value: unknown): Promise<LockedBytes> =>
    (await storeCanonical(cache, value, write)).locked
  const set = await readCrdSet(options.crds, {
    cwd: options.cwd,
    limits,
    cacheDir,
    write,
    facts,
    schemas,
  })
  // Keyed by the bytes this conversion read.
  const hashes = [...set.hashes].sort(([a], [b]) => (a < b ? -1 : 1))
  const recordKey =
    identity === undefined
      ? undefined
      : conversionKey({
          files: hashes,
          base: identity.id,
          override: options.override === true,
          limits,
        })
  const found = recordKey === undefined ? undefined : await readConversion(cacheDir, recordKey)
  if (found !== undefined && Object.values(found.groupVersions).every((e) => isCached(cache, e))) {
    return { record: found, baseEntries: { ...identity?.lockfile?.groupVersions }, hashes }
  }

  const base = await loadBase(options, cacheDir, others)
  const baselineDocuments = [...(base?.documents ?? new Map<string, OpenApiV3Document>())]
    .filter(([key]) => base?.baselineKeys.has(key))
    .map(([, document]) => document)
  const baseline: CrdBaseline =
    base === undefined || baselineDocuments.length === 0
      ? shippedCrdBaseline()
      : crdBaselineFromDocuments(baselineDocuments, base.name)
  const planned = planGroupVersions(set.crds)
  const built = new Map<string, ConvertedGroupVersion>()
  if (source === 'v2') {
    // Every group-version is split from one document merged with the base's: converted whole.
    const locked = base?.lockfile?.v2
    const bytes = locked === undefined ? undefined : await cache.read(locked.hash)
    if (bytes === undefined) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_SPEC_MISSING',
        `${base?.name ?? options.lockfile}: the locked /openapi/v2 document is not in cache ${cacheDir}; run \`k8s-codegen fetch\` again`,
      )
    }
    await holdCrds(set.crds, limits, schemas)
    const converted = crdsToOpenApiV2Documents(
      set.crds.map(heldCrd),
      JSON.parse(new TextDecoder().decode(bytes)) as JsonObject,
      {
        override: options.override === true,
        owned,
        remedy: conflictRemedy(options, 'pass --crds-override to replace it with the CRD'),
        queryParameters: baseline.parameters,
        ...(baseline.options === undefined ? {} : { queryOptions: baseline.options }),
      },
    )
    for (const gv of converted) built.set(gv.key, gv)
  } else {
    // The baseline by content: every group-version document carries its schemas and parameters.
    const { schemas: shared, parameters, options: actions } = baseline
    const baselineId = sha512Hex(canonicalBytes({ shared, parameters, actions: actions ?? null }))
    for (const gv of planned) {
      gv.entryKey = groupVersionKey({
        key: gv.key,
        baseline: baselineId,
        pieces: gv.crds.map(({ file, entry }) => [file.hash, entry.index, entry.item ?? null]),
      })
      const entry = await readConvertedGroupVersion(cacheDir, gv.key, gv.entryKey)
      if (entry !== undefined && isCached(cache, entry)) gv.reused = entry
    }
  }
  // The documents of `gvs`, each built when the loop that stores it asks, from the CRDs serving
  // them (a CRD that also serves another group-version builds that one too, which is dropped).
  async function* convertedOf(
    gvs: readonly PlannedGroupVersion[],
  ): AsyncGenerator<ConvertedGroupVersion> {
    const keys = new Set(gvs.map((gv) => gv.key))
    const crds = [...new Set(gvs.flatMap((gv) => gv.crds))].sort((a, b) =>
      a.entry.name < b.entry.name ? -1 : 1,
    )
    await holdCrds(crds, limits, schemas)
    for (const gv of eachCrdGroupVersionV3(crds.map(heldCrd), baseline))
      if (keys.has(gv.key)) yield gv
  }

  if (base !== undefined && options.override !== true) {
    // Checked against the base before anything is stored.
    const conflict = await conflicts(planned, base, async (gv) => {
      const reused = gv.reused === undefined ? undefined : await cache.read(gv.reused.hash)
      if (reused !== undefined) return JSON.parse(new TextDecoder().decode(reused)) as unknown
      if (!built.has(gv.key)) for await (const one of convertedOf([gv])) built.set(one.key, one)
      return (built.get(gv.key) as ConvertedGroupVersion).document
    })
    if (conflict !== undefined) {
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRD_CONFLICT',
        `${conflict}; ${conflictRemedy(options, 'pass --crds-override to use the CRD file instead')}`,
      )
    }
  }

  const baseEntries: Record<string, LockedGroupVersion> = {}
  if (base?.external === true) {
    if (base.lockfile !== undefined) Object.assign(baseEntries, base.lockfile.groupVersions)
    else {
      for (const [key, document] of base.documents) {
        const ref = parseGroupVersionKey(key) as NonNullable<
          ReturnType<typeof parseGroupVersionKey>
        >
        const entry = await store(document)
        const list = base.discovery.get(key)
        const facts = base.crdFacts.get(key)
        baseEntries[key] = {
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
  const stored = new Map<string, LockedGroupVersion>()
  const storeConverted = async (gv: ConvertedGroupVersion): Promise<void> => {
    const document = await storeCanonical(cache, gv.document, write)
    const discovery = await storeCanonical(cache, gv.discovery, write)
    const crdFacts = await storeCanonical(cache, gv.facts, write)
    const entry: LockedGroupVersion = {
      group: gv.group,
      version: gv.version,
      status: 'ok',
      ...document.locked,
      discovery: discovery.locked,
      crdFacts: crdFacts.locked,
    }
    stored.set(gv.key, entry)
    options.onStored?.({
      key: gv.key,
      group: gv.group,
      version: gv.version,
      ...document.locked,
      document: document.value as OpenApiV3Document,
      discovery: discovery.value as APIResourceList,
      crdFacts: crdFacts.value as CrdFactsList,
    })
    const entryKey = planned.find((p) => p.key === gv.key)?.entryKey
    if (write && entryKey !== undefined) await writeConvertedGroupVersion(cacheDir, entryKey, entry)
  }
  for (const gv of built.values()) await storeConverted(gv)
  built.clear()
  const rest = planned.filter((gv) => gv.reused === undefined && !stored.has(gv.key))
  for await (const gv of convertedOf(rest)) await storeConverted(gv)
  const groupVersions: Record<string, LockedGroupVersion> = {}
  for (const gv of planned) {
    groupVersions[gv.key] = gv.reused ?? (stored.get(gv.key) as LockedGroupVersion)
  }
  const record: ConversionRecord = {
    groupVersions,
    crds: set.crds.length,
    skipped: set.skipped,
    files: set.files,
    baseline: baseline.name,
  }
  if (write && recordKey !== undefined) await writeConversion(cacheDir, recordKey, record)
  return { record, baseEntries, hashes }
}

function heldCrd(crd: SetCrd): CustomResourceDefinition {
  return crd.crd as CustomResourceDefinition
}

// An entry whose document, discovery list and facts are all in the cache.
function isCached(cache: SpecCache, entry: LockedGroupVersion): boolean {
  return (
    entry.status === 'ok' &&
    [entry, entry.discovery, entry.crdFacts].every(
      (bytes) => bytes !== undefined && cache.has(bytes.hash, bytes.bytes),
    )
  )
}

function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value))
}

// Documents are stored as canonical JSON, the form split v2 documents take; `value` is that
// form as a value (what reading the entry back gives).
async function storeCanonical(
  cache: SpecCache,
  value: unknown,
  write: boolean,
): Promise<{ locked: LockedBytes; value: unknown }> {
  const canonical = canonicalValue(value)
  const bytes = new TextEncoder().encode(JSON.stringify(canonical))
  const hash = sha512Hex(bytes)
  if (write && !cache.has(hash, bytes.byteLength)) await cache.write(bytes, hash)
  return { locked: { hash, bytes: bytes.byteLength }, value: canonical }
}
