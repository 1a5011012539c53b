// The record of the last generation of a lockfile into `--out`, kept in the cache the way git
// keeps its index: what a run that changes nothing reports, and everything that report depends
// on — the plan (flags, config file, paths), the generator's identity, the lockfile's bytes, every
// file the generation reads (the CRD files of each set, committed specs, a `--base` lockfile) or
// wrote (the output files and their manifest) with its content hash and its stat, and the cache
// entries it needs. A later run of the same plan finds the record and stats those files instead
// of reading them: it reads no CRD file, no document and no output file, and reports what the
// record says. A file whose stat differs is hashed and compared; so is a "racy" one, whose mtime
// or ctime is not older than the moment the recording run started (openapi `stat-stamp.ts`, git's
// rule: read-cache.c ie_match_stat / is_racy_stat, Documentation/technical/racy-git.txt): an edit
// in the same clock tick as a read leaves the stat as it was. Anything else — no record, a bad one, another key, a
// file that differs, a CRD file added, removed or renamed, a journal left in `--out`, a cache
// entry gone — runs the generation as before, which records anew. The record is a shortcut only.
//
// It also keeps, whatever its key, what each module of the output was printed from (codegen's
// `GeneratedModule` key) and the hash of each file it made: a later generation that meets the
// same key and finds those files in `--out` as they were takes them instead of printing the
// module again (one edited CRD prints only the modules it changes).
import { createHash, randomBytes } from 'node:crypto'
import { closeSync, fstatSync, openSync, readFileSync, statSync, type BigIntStats } from 'node:fs'
import { mkdir, readdir, rmdir, unlink, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'

import { fileClock, isRacy, markRead, statForStamp, statStamp } from '@k8s-codegen/openapi'

import type { GeneratedModule } from '@k8s-codegen/codegen'

import type { GenerationOutcome, GenerationPlan } from './generation.js'
import type { OutputManifest } from './write-output.js'

/** A file the recorded generation read or wrote, as it was then. */
interface WatchedFile {
  /** Absolute. */
  path: string
  /** `sha256:<hex>` or `sha512:<HEX>` of its content. */
  hash: string
  size: number
  /** Its `statStamp`, what git's index compares. */
  stat: string
  /** Changed (or maybe changed) in the tick the recording run read it: always hashed. */
  racy: boolean
}

/** A `--crds` set as the lockfile names it, and the files its patterns found. */
interface ListedSet {
  /** Relative to the lockfile's directory, as the lockfile records them. */
  paths: string[]
  /** Absolute, sorted. */
  files: string[]
}

interface GenerationRecord {
  /** SHA-256 of the plan, the generator's identity and {@link RECORD_FORMAT}. */
  key: string
  /** SHA-256 of the lockfile's bytes. */
  lockfile: string
  sets: ListedSet[]
  files: WatchedFile[]
  /** Paths that must not exist: the `--out` journal, specs-dir files the documents did not come from. */
  absent: string[]
  /** Cache entries (SHA-512, size) the generation reads documents from. */
  cached: [string, number][]
  /** What the run reports, but its elapsed time. */
  outcome: Omit<GenerationOutcome, 'elapsedMs'>
  /** Each module's key and its files (relative to `--out`) with the SHA-256 each held. */
  modules: RecordedModule[]
}

/** A record as read: its modules parsed only when asked for (only a generation needs them). */
interface ReadRecord {
  record: Omit<GenerationRecord, 'modules'>
  modules: () => RecordedModule[]
}

/** A module's key (codegen `GeneratedModule`) and its files with their SHA-256. */
type RecordedModule = [key: string, files: [path: string, sha256: string][]]

function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

// One record per lockfile and `--out`: a new generation of the pair replaces it.
function recordPath(plan: GenerationPlan): string {
  const slot = sha256(`${plan.lockfile}\0${plan.out}`)
  return join(plan.cacheDir, 'generations', `${slot}.json`)
}

// What a record's fields mean (2: stats are openapi `statStamp`s; 3: with each module's key and
// files; 4: the file's layout, `RECORD_MAGIC`). A record of another format is not used, so its
// stamps, which would never match, are not re-hashed by every run.
const RECORD_FORMAT = 4
// A record file: this line with the SHA-256 of everything after it, then the record without its
// modules as one JSON line, then the modules as one JSON line. The seal is over the bytes as
// stored (not a serialization of what was parsed), so reading a record hashes it without
// serializing it again; a run that finds the record holds never parses the modules. A record of
// format 3 or older (one JSON document `{ sha256, record }`) does not start with this line: it
// is not used.
const RECORD_MAGIC = `k8s-codegen generation record ${RECORD_FORMAT} sha256:`
const SEAL_BYTES = RECORD_MAGIC.length + 64 + 1

// Everything that shapes the outcome besides the files: the resolved plan (every flag and config
// value), the record's format and the code of the converter and the generator. The generator's
// id comes from its own module: the codegen index loads the generator's modules, ~17 ms of a
// run that then finds the record holds.
async function recordKey(plan: GenerationPlan): Promise<string> {
  const [{ converterId }, { generatorId }] = await Promise.all([
    import('@k8s-codegen/openapi'),
    import('@k8s-codegen/codegen/generator-id'),
  ])
  const generator = [converterId(), generatorId()]
  return sha256(JSON.stringify({ plan, generator, format: RECORD_FORMAT }))
}

function hashOf(algorithm: 'sha256' | 'sha512', bytes: Uint8Array): string {
  const digest = createHash(algorithm).update(bytes).digest('hex')
  return `${algorithm}:${algorithm === 'sha512' ? digest.toUpperCase() : digest}`
}

// The content and stat of one file, the stat taken on the open file before reading it: an edit
// after the stat changes the stat, so it is never recorded with the older content's hash.
function readWithStat(path: string): { bytes: Buffer; stats: BigIntStats } {
  const fd = openSync(path, 'r')
  try {
    const stats = fstatSync(fd, { bigint: true })
    return { bytes: readFileSync(fd), stats }
  } finally {
    closeSync(fd)
  }
}

// The file's stamp still vouches for the content hashed when it was recorded.
const stampHolds = (file: WatchedFile, stats: BigIntStats): boolean =>
  !file.racy && statStamp(stats) === file.stat

function unchanged(file: WatchedFile): boolean {
  const stats = statForStamp(file.path)
  if (stats === undefined || Number(stats.size) !== file.size) return false
  if (stampHolds(file, stats)) return true
  const algorithm = file.hash.startsWith('sha512:') ? 'sha512' : 'sha256'
  return hashOf(algorithm, readFileSync(file.path)) === file.hash
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

function sealed({ modules, ...record }: GenerationRecord): string {
  const body = `${JSON.stringify(record)}\n${JSON.stringify(modules)}\n`
  return `${RECORD_MAGIC}${sha256(body)}\n${body}`
}

/**
 * The record stored for `plan`, or undefined when there is none, it is of another format or it
 * is not whole (a run killed while writing it, a damaged file): its SHA-256 must match. Its
 * modules are parsed when asked for.
 *
 * @example
 * const files = readGenerationRecord(plan)?.record.files
 */
export function readGenerationRecord(plan: GenerationPlan): ReadRecord | undefined {
  try {
    const bytes = readFileSync(recordPath(plan))
    const body = bytes.subarray(SEAL_BYTES)
    if (bytes.toString('latin1', 0, SEAL_BYTES) !== `${RECORD_MAGIC}${sha256(body)}\n`)
      return undefined
    const text = body.toString('utf8')
    // JSON escapes a newline inside a string: the first one ends the record's line.
    const split = text.indexOf('\n')
    const record = JSON.parse(text.slice(0, split)) as Omit<GenerationRecord, 'modules'>
    // Used: the cache's trim keeps it (openapi cache-trim.ts).
    markRead(recordPath(plan))
    let modules: RecordedModule[] | undefined
    return {
      record,
      modules: () => (modules ??= JSON.parse(text.slice(split + 1)) as RecordedModule[]),
    }
  } catch {
    return undefined
  }
}

/**
 * Stores `record` for `plan`, sealed with its SHA-256 and written atomically (0600, in a 0700
 * directory of the cache).
 *
 * @example
 * await writeGenerationRecord(plan, { ...record, key })
 */
export async function writeGenerationRecord(
  plan: GenerationPlan,
  record: GenerationRecord,
): Promise<void> {
  const path = recordPath(plan)
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temp, sealed(record), { mode: 0o600 })
  const { rename } = await import('node:fs/promises')
  await rename(temp, path).catch(async (error: unknown) => {
    await unlink(temp).catch(() => undefined)
    throw error
  })
}

// A record's temp file (`writeGenerationRecord`), named after its writer's pid.
const RECORD_TEMP = /^[0-9a-f]{64}\.json\.(\d+)-[0-9a-f]{8}\.tmp$/
// The temp of an atomic write of openapi (`_atomic-write.ts`: `.<name>.<pid>.<8 hex>.tmp`), as
// a conversion entry's and an old stamps file's.
const ATOMIC_TEMP = /^\.[^/]+\.(\d+)\.[0-9a-f]{8}\.tmp$/
// The format before the generation record: `outputs/<sha256 of --out>.verified` (openapi
// `VerifiedStamps`, written by a no-op check until the record's stamps replaced it).
const OLD_STAMPS = /^[0-9a-f]{64}\.verified$/
const ABANDONED_MS = 60_000

/**
 * Removes what no run will ever read from the cache's generation state: the temp file of a
 * generation record or a conversion entry whose writer is gone (killed while writing it) for a minute, and
 * the stamps files of the format before the generation record (nothing reads them since) with such
 * temps, then their directory once empty. A temp whose writer still runs (another run at the same
 * time) or that is younger, and any file of another name, are left alone. Never throws: they only
 * take space.
 *
 * @example
 * await removeStaleCacheFiles(plan.cacheDir)
 */
export async function removeStaleCacheFiles(cacheDir: string): Promise<void> {
  const remove = async (
    dir: string,
    stale: (name: string, path: string) => Promise<boolean>,
  ): Promise<void> => {
    const names = await readdir(dir).catch(() => [])
    for (const name of names) {
      const path = join(dir, name)
      if (await stale(name, path)) await unlink(path).catch(() => undefined)
    }
  }
  // A write takes milliseconds: a temp a minute old whose writer's pid runs nowhere here was
  // abandoned. The age also spares a writer in another pid namespace (a container sharing the
  // cache), whose pid this process cannot see.
  const abandoned = (pattern: RegExp) => async (name: string, path: string) => {
    const pid = pattern.exec(name)?.[1]
    if (pid === undefined) return false
    // Loaded for a temp file only: a warm run, which finds none, does not load write-output.
    const { isAlive } = await import('./write-output.js')
    if (isAlive(Number(pid))) return false
    const stats = statSync(path, { throwIfNoEntry: false })
    return stats !== undefined && Date.now() - stats.mtimeMs > ABANDONED_MS
  }
  await remove(join(cacheDir, 'generations'), abandoned(RECORD_TEMP))
  // A set's record, a file's facts, a group-version's entry (openapi `conversion-cache.ts`); the
  // content-addressed entries' temps are the cache's own to remove (`removeStaleTempFiles`).
  for (const dir of ['crd-conversions', 'crd-files', 'crd-group-versions'])
    await remove(join(cacheDir, dir), abandoned(ATOMIC_TEMP))
  const outputs = join(cacheDir, 'outputs')
  const abandonedTemp = abandoned(ATOMIC_TEMP)
  await remove(outputs, async (name, path) => OLD_STAMPS.test(name) || abandonedTemp(name, path))
  await rmdir(outputs).catch(() => undefined)
}

/**
 * What a generation of `plan` would report when nothing it depends on changed since the recorded
 * one, found from stats (and the lockfile's bytes) without reading a CRD file, a document or an
 * output file; undefined when anything may have changed (then generate as before). Never throws.
 *
 * @example
 * const outcome = await recordedOutcome(plan) ?? (await generateAsBefore(plan))
 */
export async function recordedOutcome(
  plan: GenerationPlan,
): Promise<GenerationOutcome | undefined> {
  const started = performance.now()
  // `--no-crds` removes the recorded sets before locking the given one: never a fixed point.
  if (plan.dropCrdSets) return undefined
  try {
    const record = readGenerationRecord(plan)?.record
    if (record === undefined || record.key !== (await recordKey(plan))) return undefined
    if (sha256(readFileSync(plan.lockfile)) !== record.lockfile) return undefined
    if (record.absent.some(exists)) return undefined
    const { SpecCache, listCrdFiles } = await import('@k8s-codegen/openapi')
    const cache = new SpecCache(plan.cacheDir)
    if (!record.cached.every(([hash, bytes]) => cache.has(hash, bytes))) return undefined
    const root = dirname(plan.lockfile)
    for (const set of record.sets) {
      const listed = (await listCrdFiles(set.paths, root)).map((f) => f.path).sort()
      if (listed.join('\0') !== set.files.join('\0')) return undefined
    }
    if (!record.files.every(unchanged)) return undefined
    // In the order a run that generates reports its fields.
    const { crds, ...outcome } = record.outcome
    const elapsedMs = performance.now() - started
    return { ...outcome, elapsedMs, ...(crds === undefined ? {} : { crds }) }
  } catch {
    return undefined
  }
}

/**
 * What the last record of `plan`'s lockfile and `--out` saw of the output files, whatever its key
 * or lockfile now, as the `unchanged` check of `isOutputCurrent`: true for a file (absolute path)
 * the record saw holding SHA-256 `hash` whose stamp still holds. A run the record cannot answer
 * (the lockfile's bytes changed but not what they generate, e.g. a `fetch` that found only a new
 * server version) then reads only the output files changed since.
 *
 * @example
 * await isOutputCurrent(plan.out, key, { unchanged: recordedOutputs(plan) })
 */
export function recordedOutputs(plan: GenerationPlan): (path: string, hash: string) => boolean {
  const files = new Map(
    (readGenerationRecord(plan)?.record.files ?? []).map((file) => [file.path, file]),
  )
  return (path, hash) => {
    const file = files.get(path)
    if (file?.hash !== `sha256:${hash}`) return false
    const stats = statForStamp(path)
    return stats !== undefined && stampHolds(file, stats)
  }
}

/**
 * The files `--out` still holds of a module the last record of `plan`'s lockfile and `--out` saw
 * printed from inputs `key` (codegen `FileSink.reuse`), whatever its key or lockfile now: each
 * file with the SHA-256 it held, when every file of the module (`files`, relative to `--out`)
 * still holds it (its stamp holds, else it is read and hashed), else undefined. `dir` is the
 * output directory (`outputDirectory(plan.out)`). `count`: how many modules the record holds.
 *
 * @example
 * const { held } = recordedModules(plan, dir)
 * held('sha256:…', ['apps/v1.ts']) // [['apps/v1.ts', '3f…']]
 */
export function recordedModules(
  plan: GenerationPlan,
  dir: string,
): {
  held: (key: string, files: readonly string[]) => [string, string][] | undefined
  count: number
} {
  const read = readGenerationRecord(plan)
  const modules = new Map(read?.modules() ?? [])
  const watched = new Map((read?.record.files ?? []).map((file) => [file.path, file]))
  const holds = (path: string, hash: string): boolean => {
    const abs = join(dir, path)
    const file = watched.get(abs)
    if (file?.hash === `sha256:${hash}`) return unchanged(file)
    try {
      return hashOf('sha256', readFileSync(abs)) === `sha256:${hash}`
    } catch {
      return false
    }
  }
  const held = (key: string, files: readonly string[]): [string, string][] | undefined => {
    const kept = modules.get(key)
    if (kept?.length !== files.length) return undefined
    const paths = kept.map(([path]) => path)
    if (!files.every((path, i) => paths[i] === path)) return undefined
    return kept.every(([path, hash]) => holds(path, hash)) ? kept : undefined
  }
  return { held, count: modules.size }
}

/**
 * Where a generation that may be recorded starts: the file system's clock and the stat of every
 * file it is about to read or compare (CRD files, committed specs, output files).
 *
 * @example
 * const start: RecordingStart = await recordingStarts(plan)
 */
export interface RecordingStart {
  since: bigint
  /** Absolute path → `statStamp` before the run. */
  before: Map<string, string>
}

/**
 * Notes the clock and the stats {@link recordGeneration} compares after the run: a file whose
 * stat then differs, or whose mtime or ctime is not older than the clock, may have changed while
 * the run read it (whatever the clocks of other file systems say) and is re-hashed by every run
 * that uses the record. Undefined when they cannot be read (then nothing is recorded).
 *
 * @example
 * const start = await recordingStarts(plan)
 */
export async function recordingStarts(plan: GenerationPlan): Promise<RecordingStart | undefined> {
  try {
    // The file system's clock (openapi `fileClock`, in the temp directory, so a run that fails
    // leaves nothing). A file system with its own clock (NFS) is covered by comparing stats
    // before and after the run.
    const since = fileClock()
    const before = new Map<string, string>()
    const note = (path: string): void => {
      try {
        before.set(path, statStamp(statSync(path, { bigint: true })))
      } catch {
        // Absent: recorded after the run, if at all, as changed.
      }
    }
    const [openapi, output] = await Promise.all([
      import('@k8s-codegen/openapi'),
      import('./write-output.js'),
    ])
    const lock = await openapi.getLockfile(plan.lockfile).catch(() => undefined)
    const root = dirname(plan.lockfile)
    const patterns: [readonly string[], string][] = (lock?.crds ?? []).map((set) => [
      set.paths,
      root,
    ])
    if (plan.crds !== undefined) {
      patterns.push([plan.crds.paths, plan.crds.cwd])
      if (plan.crds.base !== undefined) note(resolve(plan.crds.cwd, plan.crds.base))
    }
    for (const [paths, cwd] of patterns) {
      const listed = await openapi.listCrdFiles(paths, cwd).catch(() => [])
      for (const { path } of listed) note(path)
    }
    if (plan.specsDir !== undefined) {
      for (const key of Object.keys(lock?.groupVersions ?? {}))
        Object.values(openapi.specsDirPaths(plan.specsDir, key)).forEach(note)
    }
    const dir = await output.outputDirectory(plan.out)
    for (const path of Object.keys(output.readManifest(dir)?.files ?? {})) note(join(dir, path))
    return { since, before }
  } catch {
    return undefined
  }
}

/**
 * Records, after `outcome` of a generation of `plan` that started at `start`
 * ({@link recordingStarts}), what the next run of the same plan would report — written: none,
 * up to date — with everything that report depends on. Records nothing when a file changed
 * while the run read it in a way the record could not tell, or a failure; never throws (a
 * missing record only means generating as before).
 *
 * @example
 * await recordGeneration(plan, start, outcome)
 */
export async function recordGeneration(
  plan: GenerationPlan,
  start: RecordingStart | undefined,
  outcome: GenerationOutcome,
  modules: readonly GeneratedModule[] | undefined,
): Promise<void> {
  if (start === undefined || plan.dropCrdSets) return
  try {
    const record = await describe(plan, start, outcome, modules)
    if (record !== undefined) await writeGenerationRecord(plan, record)
  } catch {
    // A cache entry only: the next run generates as before.
  }
}

async function describe(
  plan: GenerationPlan,
  { since, before }: RecordingStart,
  outcome: GenerationOutcome,
  generated: readonly GeneratedModule[] | undefined,
): Promise<GenerationRecord | undefined> {
  const [openapi, { optionsFor, lockedGenerationKey }, output] = await Promise.all([
    import('@k8s-codegen/openapi'),
    import('./generation.js'),
    import('./write-output.js'),
  ])
  const files: WatchedFile[] = []
  const absent: string[] = []
  const cached: [string, number][] = []
  // A file whose hash comes from what the run itself recorded (the lockfile, the manifest):
  // changed during the run, it is hashed by every run that uses the record.
  const changed = (path: string, stats: BigIntStats): boolean =>
    isRacy(stats, since) || before.get(path) !== statStamp(stats)
  const watch = (path: string, hash: string): void => {
    const stats = statSync(path, { bigint: true })
    const racy = changed(path, stats)
    files.push({ path, hash, size: Number(stats.size), stat: statStamp(stats), racy })
  }

  // Read under the lockfile lock every run takes, so these are the bytes the run left; the
  // output must have been generated from them (the manifest's key, below).
  const lockfile = readWithStat(plan.lockfile)
  const lock = openapi.parseLockfile(JSON.parse(lockfile.bytes.toString('utf8')), plan.lockfile)
  const { options, next, selected } = await optionsFor(plan, lock)
  // The next run would record options: not a run that changes nothing.
  if (next !== lock) return undefined

  const root = dirname(plan.lockfile)
  const sets: ListedSet[] = []
  for (const set of lock.crds ?? []) {
    const listed = await openapi.listCrdFiles(set.paths, root)
    for (const { path } of listed) {
      const hash = set.files[relative(root, path).split(sep).join('/')]
      if (hash === undefined) return undefined
      watch(path, `sha512:${hash}`)
    }
    sets.push({ paths: set.paths, files: listed.map((f) => f.path).sort() })
  }
  const base = plan.crds?.base === undefined ? undefined : resolve(plan.crds.cwd, plan.crds.base)
  if (base !== undefined && base !== plan.lockfile) {
    // A specs-dir base is converted again on every run; a lockfile base is read by the run, so
    // one changed since the run started may not be what it read.
    const { bytes, stats } = readWithStat(base)
    if (!stats.isFile() || changed(base, stats)) return undefined
    files.push({
      path: base,
      hash: hashOf('sha512', bytes),
      size: bytes.byteLength,
      stat: statStamp(stats),
      racy: false,
    })
  }
  // The documents, as `verifyLockedSpecs` finds them: a specs-dir file when there is one (it must
  // not appear later when there is none), else the cache entry.
  for (const [key, gv] of Object.entries(lock.groupVersions)) {
    if (gv.status !== 'ok') continue
    const paths =
      plan.specsDir === undefined ? undefined : openapi.specsDirPaths(plan.specsDir, key)
    for (const [locked, path] of [
      [gv, paths?.document],
      [gv.discovery, paths?.discovery],
      [gv.crdFacts, paths?.crdFacts],
    ] as const) {
      if (locked === undefined) continue
      if (path !== undefined && exists(path)) {
        watch(path, `sha512:${locked.hash}`)
        continue
      }
      if (path !== undefined) absent.push(path)
      cached.push([locked.hash, locked.bytes])
    }
  }

  const dir = await output.outputDirectory(plan.out)
  absent.push(join(dir, output.JOURNAL_NAME))
  // Files the run wrote are read back once: the manifest says what it wrote, not that nobody
  // changed it since. What changes after this point is racy.
  const now = fileClock()
  const readBack = (path: string): { file: WatchedFile; bytes: Buffer } => {
    const { bytes, stats } = readWithStat(path)
    const racy = isRacy(stats, now)
    const hash = hashOf('sha256', bytes)
    return { file: { path, hash, size: bytes.byteLength, stat: statStamp(stats), racy }, bytes }
  }
  const read = readBack(join(dir, output.MANIFEST_NAME))
  files.push(read.file)
  // The manifest as read back here, never read again: what its hash stands for.
  const manifest = JSON.parse(read.bytes.toString('utf8')) as OutputManifest
  if (manifest.key !== (await lockedGenerationKey(lock, options, selected))) return undefined
  for (const [path, hash] of Object.entries(manifest.files)) {
    const abs = join(dir, path)
    const stats = statSync(abs, { bigint: true })
    if (!changed(abs, stats)) {
      // Untouched since before the run, which compared it with what it generated.
      files.push({
        path: abs,
        hash: `sha256:${hash}`,
        size: Number(stats.size),
        stat: statStamp(stats),
        racy: false,
      })
      continue
    }
    const { file } = readBack(abs)
    if (file.hash !== `sha256:${hash}`) return undefined
    files.push(file)
  }

  // As the run that finds the output current reports it (generation.ts).
  const { skipped = [], ...stats } = manifest.stats ?? { groupVersions: 0, resources: 0, files: 0 }
  // The modules this run printed or reused; a run that found the output current printed none,
  // so the last record's stand for it. Either way a module is kept only as the manifest now has
  // its files: what each key's files hold in `--out`.
  const previous = generated === undefined ? readGenerationRecord(plan) : undefined
  const modules: RecordedModule[] =
    generated === undefined
      ? (previous?.modules() ?? []).filter(([, files]) =>
          files.every(([path, hash]) => manifest.files[path] === hash),
        )
      : generated.flatMap(({ key, files }) => {
          const held = files.map((path): [string, string] => [path, manifest.files[path] ?? ''])
          return held.every(([, hash]) => hash !== '') ? [[key, held] as RecordedModule] : []
        })
  return {
    modules,
    key: await recordKey(plan),
    lockfile: sha256(lockfile.bytes),
    sets,
    files,
    absent,
    cached,
    outcome: {
      out: plan.out,
      options,
      warnings: [],
      written: [],
      removed: [],
      kept: [],
      upToDate: true,
      ...stats,
      skipped,
      lockfileChanged: false,
      ...(outcome.crds === undefined ? {} : { crds: { ...outcome.crds, lockfileChanged: false } }),
    },
  }
}
