// Writes generated files into `--out` file by file, in place, so everything else in `--out` (the
// user's files, symlinks, empty directories, a symlinked or mounted `--out` itself) stays as it
// is. Files arrive one at a time as the generator prints them (the output is never held whole);
// all-or-nothing across files comes from a journal, as a database's write-ahead log:
//
//   1. prepare: before each new file is written to a temp file in its target's own directory,
//      the temp's name is appended to the journal (state `prepare`, one line per temp);
//   2. commit: once the last file arrived, the journal is replaced (one atomic rename) by state
//      `commit` with every rename and removal to do;
//   3. apply: each temp file is renamed over its target (rename(2) is atomic per file), stale
//      files are removed, the manifest is renamed last, then the journal is deleted.
//
// A run killed (kill -9) in 1 leaves a `prepare` journal: the next run deletes the listed temp
// files (rollback, the previous state; a name is listed before its temp exists, so none is
// missed). SIGINT/SIGTERM roll back at once (`settleNow`): every name in `--out` (journal, temp,
// directory) is created synchronously, and only the bytes of a staged file go to the thread pool,
// into a file already created, so no creation is in flight to land after the rollback removed
// what it listed. Killed in 3, it leaves a `commit` journal: the next run finishes the renames (roll
// forward, the new state). Callers hold the `--out` lock (`run-lock.ts`), so only a dead run's
// journal is ever recovered.
//
// Only files k8s-codegen wrote are replaced or removed: those the manifest lists, or (the manifest
// deleted) those whose first line is codegen's `GENERATED_LINE`. Any other file, symlink or
// directory where a generated file goes fails the run before anything is renamed
// (`K8S_CODEGEN_CLI_OUTPUT_CONFLICT`, every such path named). protoc, buf and openapi-generator
// overwrite whatever is in the way (openapi-generator spares only what an ignore file the user
// wrote first lists); create-react-app and Yeoman stop and name the conflicting files instead,
// which is what a user who pointed `--out` at `src/` by mistake needs. No flag overrides it:
// moving the file (or choosing another `--out`) is the explicit opt-in.
import { createHash, randomBytes } from 'node:crypto'
import {
  appendFileSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeFile as writeToDescriptor,
  writeFileSync,
} from 'node:fs'
import { mkdir, realpath, rename, rmdir, unlink } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'

import type { GenerationOptions } from '@k8s-codegen/openapi'
import { K8sCodegenError } from '@k8s-codegen/proxy-url'

import { MANIFEST_NAME, outputInProgress } from './output-in-progress.js'

export { MANIFEST_NAME }

/**
 * Name of the journal a run writing `--out` keeps there until it is done: its presence means a
 * killed run's output is still to be recovered.
 *
 * @example
 * existsSync(join('generated', JOURNAL_NAME)) // true only while (or after a kill while) writing
 */
export const JOURNAL_NAME = '.k8s-codegen-journal.json'

/** The manifest `generate` writes into `--out`. */
export interface OutputManifest {
  /** `generationKey()` of the run that wrote the output. */
  key: string
  /** path relative to `--out` → SHA-256 hex of the content written */
  files: Record<string, string>
  /** What the generation held, so an up-to-date run can still report it. */
  stats?: {
    groupVersions: number
    resources: number
    files: number
    /** Group-versions the generation skipped, each with its rule (codegen `skipped`). */
    skipped?: { key: string; code: string; reason: string }[]
  }
  /** The options the output was generated with, so `check` can name a difference. */
  options?: GenerationOptions
}

/**
 * Thrown when the output directory cannot be read or written (`K8S_CODEGEN_CLI_OUTPUT_WRITE`), a
 * generated path would leave it (`K8S_CODEGEN_CLI_OUTPUT_PATH`) or a file k8s-codegen did not
 * write stands where a generated one goes (`K8S_CODEGEN_CLI_OUTPUT_CONFLICT`).
 *
 * @example
 * if (error instanceof OutputError) console.error(error.code, error.message)
 */
export class OutputError extends K8sCodegenError<
  'K8S_CODEGEN_CLI_OUTPUT_WRITE' | 'K8S_CODEGEN_CLI_OUTPUT_PATH' | 'K8S_CODEGEN_CLI_OUTPUT_CONFLICT'
> {}

/** What differs between the files a generation produces and the files in `--out`. */
export interface OutputDiff {
  changed: string[]
  missing: string[]
  /** Files the previous generation wrote (per its manifest) that this one no longer produces. */
  extra: string[]
  /** Entries k8s-codegen did not write where generated files go: `generate` would refuse. */
  foreign: string[]
}

/** What {@link writeOutput} did. */
export interface WriteOutputResult {
  written: string[]
  removed: string[]
  /** No longer generated, but edited since the generator wrote them: left in place. */
  kept: string[]
  unchanged: number
}

interface Journal {
  pid: number
  state: 'prepare' | 'commit'
  /** [temp, target] paths relative to `--out`; the manifest's pair is last. */
  renames: [string, string][]
  removes: string[]
  /** `prepare`: directories the run created for its temp files, outermost first. */
  directories?: string[]
}

// Why the entry at `path` (absolute) is not ours to replace, or undefined when it is: absent, or a
// file starting with the generated header. `bytes`: its content, when read. (Only asked of an
// entry the previous manifest does not list, and that differs from what is generated.)
function foreignEntry(path: string, bytes: Buffer | undefined, header: string): string | undefined {
  const stat = lstatSync(path, { throwIfNoEntry: false })
  if (stat === undefined) return undefined
  if (stat.isSymbolicLink()) return 'a symlink'
  if (!stat.isFile()) return 'a directory'
  if (bytes?.subarray(0, header.length).toString('utf8') === header) return undefined
  return 'a file without the generated header'
}

// The nearest parent of `path` (relative) that exists in `dir` and is not a directory: where a
// generated directory goes. `known`: directories seen to exist, each stat'ed once.
function blockingParent(dir: string, path: string, known: Set<string>): string | undefined {
  for (let parent = dirname(path); parent !== '.' && !known.has(parent); parent = dirname(parent)) {
    const stat = statSync(join(dir, parent), { throwIfNoEntry: false })
    if (stat === undefined) continue
    if (!stat.isDirectory()) return parent
    known.add(parent)
    return undefined
  }
  return undefined
}

let header: string | undefined

// What stands where generated file `path` (relative) goes that k8s-codegen did not write — the
// entry and why — or undefined. `current`: its bytes, when read; `listed`: the manifest lists it.
// Codegen (for the header) is loaded only when a file must be judged.
async function inTheWay(
  dir: string,
  path: string,
  current: Buffer | undefined,
  listed: boolean,
  known: Set<string>,
): Promise<[entry: string, why: string] | undefined> {
  const blocked = blockingParent(dir, path, known)
  if (blocked !== undefined) return [blocked, 'a file where a generated directory goes']
  if (listed) return undefined
  header ??= `${(await import('@k8s-codegen/codegen')).GENERATED_LINE}\n`
  const why = foreignEntry(join(dir, path), current, header)
  return why === undefined ? undefined : [path, why]
}

function conflictError(abs: string, conflicts: ReadonlyMap<string, string>): OutputError {
  const sorted = [...conflicts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))
  const named = sorted.slice(0, 20).map(([path, what]) => `${path} (${what})`)
  const more = sorted.length > 20 ? `, … (${sorted.length - 20} more)` : ''
  return new OutputError(
    'K8S_CODEGEN_CLI_OUTPUT_CONFLICT',
    `--out ${abs} holds ${sorted.length === 1 ? 'an entry' : `${sorted.length} entries`} k8s-codegen did not write where generated files go: ${named.join(', ')}${more}. ` +
      `k8s-codegen replaces only files it wrote (listed in ${MANIFEST_NAME}, or starting with its generated header) and nothing was written. ` +
      'Move them out of --out, or give the output a directory of its own (--out).',
  )
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex')
}

function checkRelative(path: string): void {
  if (
    path === '' ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.split('/').some((p) => p === '' || p === '.' || p === '..') ||
    path === MANIFEST_NAME ||
    path === JOURNAL_NAME
  ) {
    throw new OutputError(
      'K8S_CODEGEN_CLI_OUTPUT_PATH',
      `generated file path '${path}' is not a plain relative path inside --out`,
    )
  }
}

// Read synchronously: each generated file is read once to compare it, and asynchronous reads cost
// a thread-pool round trip each (four per file), most of a no-op's wall time on a busy machine.
function readBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined
    throw error
  }
}

function readText(path: string): string | undefined {
  return readBytes(path)?.toString('utf8')
}

/**
 * The directory the output really lives in: `--out` itself, or where it points when it is a
 * symlink, so the link is kept and the files land behind it.
 *
 * @example
 * await outputDirectory('src/k8s') // '/repo/vendor/k8s' when src/k8s is a link to it
 */
export async function outputDirectory(outDir: string): Promise<string> {
  const abs = resolve(outDir)
  return realpath(abs).catch(() => abs)
}

/**
 * Reads the manifest of `outDir`, or undefined when there is none (or it is not ours).
 *
 * @example
 * const manifest = readManifest('generated')
 * manifest?.key // 'sha256:…'
 */
export function readManifest(outDir: string): OutputManifest | undefined {
  const text = readText(join(outDir, MANIFEST_NAME))
  if (text === undefined) return undefined
  try {
    const parsed = JSON.parse(text) as Partial<OutputManifest>
    if (typeof parsed.key !== 'string' || typeof parsed.files !== 'object' || parsed.files === null)
      return undefined
    return {
      key: parsed.key,
      files: parsed.files,
      ...(parsed.stats === undefined ? {} : { stats: parsed.stats }),
      ...(parsed.options === undefined ? {} : { options: parsed.options }),
    }
  } catch {
    return undefined
  }
}

// A `commit` journal is one JSON document, written by rename. A `prepare` journal is its header
// line `{"pid":…,"state":"prepare"}` (written by rename) and then one JSON string per temp file
// and one `{"directory":…}` per directory created for them, each appended before that temp or
// directory is created: a line torn by a kill names one never created.
function readJournal(dir: string): Journal | undefined {
  const text = readText(join(dir, JOURNAL_NAME))
  if (text === undefined) return undefined
  const [head = '', ...lines] = text.split('\n')
  try {
    const parsed = JSON.parse(head) as Partial<Journal>
    if (typeof parsed.pid !== 'number') return undefined
    if (parsed.state === 'commit' && Array.isArray(parsed.renames) && Array.isArray(parsed.removes))
      return parsed as Journal
    if (parsed.state !== 'prepare') return undefined
    const renames: [string, string][] = []
    const directories: string[] = []
    for (const line of lines) {
      let entry: unknown
      try {
        entry = JSON.parse(line)
      } catch {
        continue
      }
      if (typeof entry === 'string') renames.push([entry, ''])
      else if (typeof (entry as { directory?: unknown } | null)?.directory === 'string')
        directories.push((entry as { directory: string }).directory)
    }
    return { pid: parsed.pid, state: 'prepare', renames, removes: [], directories }
  } catch {
    // Not ours: a journal's first line is always whole (written by rename).
  }
  return undefined
}

// Synchronous, as every creation of a name in `--out`: a signal's rollback never races it.
function writeJournal(dir: string, journal: Journal | { pid: number; state: 'prepare' }): void {
  const temp = join(dir, `${JOURNAL_NAME}.${process.pid}.tmp`)
  writeFileSync(temp, `${JSON.stringify(journal)}\n`)
  renameSync(temp, join(dir, JOURNAL_NAME))
}

// Writes `bytes` into the file `fd` on the thread pool, then closes it.
function writeAndClose(fd: number, bytes: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) =>
    writeToDescriptor(fd, bytes, (error) => {
      closeSync(fd)
      if (error === null) resolve()
      else reject(error)
    }),
  )
}

// A path read back from a journal on disk is re-checked, so a hand-made journal cannot reach
// outside `--out`.
function inside(dir: string, path: string): string {
  if (
    typeof path !== 'string' ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.split('/').some((p) => p === '' || p === '.' || p === '..')
  )
    throw new OutputError(
      'K8S_CODEGEN_CLI_OUTPUT_PATH',
      `journal path '${String(path)}' is not inside --out`,
    )
  return join(dir, path)
}

/**
 * Finishes or undoes what a killed run left in `outDir`: a committed journal is applied (the new
 * state), a prepared one is rolled back (the previous state). Call with the `--out` lock held.
 *
 * @example
 * await recoverOutput('generated')
 */
export async function recoverOutput(outDir: string): Promise<void> {
  const dir = await outputDirectory(outDir)
  const journal = readJournal(dir)
  if (journal === undefined) return
  // Never touch the temp files of a run that is still alive (its lock would have to have been
  // taken over, e.g. after it stalled longer than the stale time).
  if (journal.pid !== process.pid && isAlive(journal.pid)) {
    throw new OutputError(
      'K8S_CODEGEN_CLI_OUTPUT_WRITE',
      `another k8s-codegen run (pid ${journal.pid}) is still writing ${dir}; let it finish and run again`,
    )
  }
  if (journal.state === 'prepare') {
    for (const [temp] of journal.renames) await removeIfPresent(inside(dir, temp))
    // Deepest first; one that now holds anything (a file of yours) stays.
    for (const created of [...(journal.directories ?? [])].reverse())
      await rmdir(inside(dir, created)).catch(() => undefined)
  } else {
    await applyJournal(dir, journal)
  }
  await unlink(join(dir, JOURNAL_NAME)).catch(() => undefined)
}

// For a run about to die of a signal: `'new'` when its output in `dir` is decided (`committed`:
// this process wrote its commit journal, and the next run finishes the renames that journal
// still lists), else `'previous'`, having removed this process's staged temp files, the
// directories made for them and the journal, synchronously (a signal handler runs nothing after
// it).
function settleNow(dir: string, committed: boolean): 'new' | 'previous' {
  if (committed) return 'new'
  const journal = readJournal(dir)
  if (journal === undefined || journal.pid !== process.pid) return 'previous'
  if (journal.state === 'commit') return 'new'
  for (const [temp] of journal.renames) rmSync(inside(dir, temp), { force: true })
  for (const created of [...(journal.directories ?? [])].reverse()) {
    try {
      rmdirSync(inside(dir, created))
    } catch {
      // holds a file of yours: kept
    }
  }
  rmSync(join(dir, JOURNAL_NAME), { force: true })
  return 'previous'
}

async function applyJournal(dir: string, journal: Journal): Promise<void> {
  for (const [temp, target] of journal.renames) {
    try {
      await rename(inside(dir, temp), inside(dir, target))
    } catch (error) {
      // Renamed before the kill: the temp is gone and the target holds the new content.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  for (const path of journal.removes) {
    await removeIfPresent(inside(dir, path))
    await removeEmptyParents(dir, path)
  }
}

/**
 * Whether process `pid` still runs (this one included): the writer of a journal or temp file
 * named after it may still be writing. A process of another user counts as running.
 *
 * @example
 * if (!isAlive(journal.pid)) await recoverOutput(dir)
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // Never created (a parent is missing or is not a directory, or the name is longer than the
    // file system allows: a rollback that threw here left its journal to fail every later run)
    // or already removed.
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'ENAMETOOLONG') throw error
  }
}

// A directory emptied by removing a stale generated file goes too; any other is kept.
async function removeEmptyParents(dir: string, path: string): Promise<void> {
  for (let parent = dirname(path); parent !== '.'; parent = dirname(parent)) {
    try {
      await rmdir(join(dir, parent))
    } catch {
      return
    }
  }
}

/**
 * True when `outDir` was written under generation `key` and no file has been changed or removed
 * since: regenerating would write nothing. A file `unchanged(path, hash)` vouches for (absolute
 * path, its SHA-256 in the manifest; the generation record's stat stamps) is not read.
 *
 * @example
 * if (await isOutputCurrent('generated', generationKey(input))) return // no-op
 */
export async function isOutputCurrent(
  outDir: string,
  key: string,
  options: { unchanged?: (path: string, hash: string) => boolean } = {},
): Promise<boolean> {
  const dir = await outputDirectory(outDir)
  if (readJournal(dir) !== undefined) return false
  const manifest = readManifest(dir)
  if (manifest?.key !== key) return false
  for (const [path, hash] of Object.entries(manifest.files)) {
    const file = join(dir, path)
    if (options.unchanged?.(file, hash) === true) continue
    const content = readText(file)
    if (content === undefined || sha256(content) !== hash) return false
  }
  return true
}

/**
 * Compares produced `files` with `outDir` (for `check`): changed or hand-edited, missing, and
 * files a previous generation wrote that are no longer produced. A file produced as `undefined`
 * is one the caller knows `outDir` holds as produced (a module reused from the generation record).
 *
 * @example
 * const diff = await diffOutput('generated', result.files)
 * const stale = diff.changed.length + diff.missing.length + diff.extra.length > 0
 */
export async function diffOutput(
  outDir: string,
  files: ReadonlyMap<string, string | undefined>,
): Promise<OutputDiff> {
  const dir = await outputDirectory(outDir)
  const diff: OutputDiff = { changed: [], missing: [], extra: [], foreign: [] }
  const manifest = readManifest(dir)
  const foreign = new Set<string>()
  const known = new Set<string>()
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    checkRelative(path)
    if (content === undefined) continue
    const current = readBytes(join(dir, path))
    if (current?.toString('utf8') === content) continue
    const listed = manifest?.files[path] !== undefined
    const [entry] = (await inTheWay(dir, path, current, listed, known)) ?? []
    if (entry !== undefined) foreign.add(entry)
    else if (current === undefined) diff.missing.push(path)
    else diff.changed.push(path)
  }
  diff.foreign = [...foreign].sort()
  for (const path of Object.keys(manifest?.files ?? {}).sort()) {
    if (!files.has(path) && readText(join(dir, path)) !== undefined) diff.extra.push(path)
  }
  return diff
}

/**
 * Fails with `K8S_CODEGEN_CLI_OUTPUT_CONFLICT`, naming every entry, when something k8s-codegen did
 * not write stands where one of `paths` (relative to `--out`, files a generation will write) goes:
 * the writer's rule, applied before the work so a run that would refuse does not fetch or generate
 * first. Reads only.
 *
 * @example
 * await assertOutputFree('generated', ['index.ts', 'apps/v1.ts'])
 */
export async function assertOutputFree(outDir: string, paths: readonly string[]): Promise<void> {
  const abs = resolve(outDir)
  const dir = await outputDirectory(abs)
  const manifest = readManifest(dir)
  const known = new Set<string>()
  const conflicts = new Map<string, string>()
  for (const path of paths) {
    checkRelative(path)
    const listed = manifest?.files[path] !== undefined
    const current = listed ? undefined : readBytes(join(dir, path))
    const conflict = await inTheWay(dir, path, current, listed, known)
    if (conflict !== undefined) conflicts.set(...conflict)
  }
  if (conflicts.size > 0) throw conflictError(abs, conflicts)
}

function tempName(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.k8s-codegen-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  ).replace(/^\.\//, '')
}

/**
 * Where {@link writeOutputFrom}'s producer hands each generated file (`path` relative to `--out`),
 * as soon as it is made; `discard()` voids every file handed over so far (the producer starts
 * over). `unchanged(path, hash)` hands over a file the producer did not make again because the
 * one in `--out` already holds it (content of SHA-256 `hash`, which the producer checked): it is
 * produced as it is, and not written.
 *
 * @example
 * await writeOutputFrom('generated', key, async (out) => { await out.file('index.ts', 'export {}\n'); return {} })
 */
export interface OutputSink {
  file(path: string, content: string): Promise<void>
  discard(): Promise<void>
  unchanged(path: string, hash: string): void
}

/**
 * Writes `files` into `outDir` under generation `key`: {@link writeOutputFrom} with every path
 * checked before anything is touched.
 *
 * @example
 * const { written, removed } = await writeOutput('generated', result.files, generationKey(input))
 */
export async function writeOutput(
  outDir: string,
  files: ReadonlyMap<string, string>,
  key: string,
  extra: Pick<OutputManifest, 'stats' | 'options'> = {},
): Promise<WriteOutputResult> {
  for (const path of files.keys()) checkRelative(path)
  const { result } = await writeOutputFrom(outDir, key, async (sink) => {
    for (const [path, content] of files) await sink.file(path, content)
    return extra
  })
  return result
}

/**
 * Writes into `outDir` under generation `key` the files `produce` hands to its sink, one at a
 * time (each is compared with what is on disk and, when it differs, staged in a temp file and let
 * go): only changed files are rewritten (others keep their inode and mtime), a file the previous
 * generation wrote and this one does not is removed only if it still holds what was written (an
 * edited one is kept and listed in `kept`), and nothing else in `outDir` is touched. What
 * `produce` returns goes into the manifest. A failure (of `produce` too) leaves the previous
 * output exactly; a run killed at any point leaves the previous or, after the next run's
 * recovery, the new output. Call with the `--out` lock held.
 *
 * @example
 * const { result } = await writeOutputFrom('generated', key, (sink) => generateInto(input, sink).then(({ stats }) => ({ stats })))
 */
export async function writeOutputFrom<T extends Pick<OutputManifest, 'stats' | 'options'>>(
  outDir: string,
  key: string,
  produce: (sink: OutputSink) => Promise<T>,
): Promise<{ result: WriteOutputResult; produced: T }> {
  const abs = resolve(outDir)
  let dir: string
  try {
    await mkdir(abs, { recursive: true })
    dir = await outputDirectory(abs)
    await recoverOutput(dir)
  } catch (error) {
    throw writeError(`cannot prepare output directory ${abs}`, error)
  }
  let committed = false
  const done = outputInProgress(() => settleNow(dir, committed))
  try {
    return await writeOutputInto(dir, abs, key, produce, () => (committed = true))
  } finally {
    // A committed output stays registered: a signal later in the run keeps it (and what the run
    // wrote with it, the lockfile).
    if (!committed) done()
  }
}

async function writeOutputInto<T extends Pick<OutputManifest, 'stats' | 'options'>>(
  dir: string,
  abs: string,
  key: string,
  produce: (sink: OutputSink) => Promise<T>,
  onCommitted: () => void,
): Promise<{ result: WriteOutputResult; produced: T }> {
  const previous = readManifest(dir)
  const journalPath = join(dir, JOURNAL_NAME)

  // path → SHA-256 of every file produced; path → temp of the changed ones, staged so far.
  const hashes = new Map<string, string>()
  // path → what stands there that is not ours (foreignEntry): the run fails before any rename.
  const conflicts = new Map<string, string>()
  const staged = new Map<string, string>()
  let unchanged = 0
  let journaled = false
  // Directories of `--out` known to exist (relative), so staging stats each at most once.
  const present = new Set<string>()
  const stage = async (path: string, content: string | Uint8Array): Promise<void> => {
    if (!journaled) {
      writeJournal(dir, { pid: process.pid, state: 'prepare' })
      journaled = true
    }
    const temp = tempName(path)
    // Listed before it exists, so a kill at any point leaves no temp (or directory made for one)
    // the rollback misses; created synchronously (see the top of this file).
    const missing: string[] = []
    for (let parent = dirname(temp); parent !== '.' && !present.has(parent);) {
      if (existsSync(join(dir, parent))) break
      missing.unshift(parent)
      parent = dirname(parent)
    }
    for (const created of missing)
      appendFileSync(journalPath, `${JSON.stringify({ directory: created })}\n`)
    appendFileSync(journalPath, `${JSON.stringify(temp)}\n`)
    mkdirSync(dirname(join(dir, temp)), { recursive: true })
    for (let parent = dirname(temp); parent !== '.'; parent = dirname(parent)) present.add(parent)
    const fd = openSync(join(dir, temp), 'wx', 0o666)
    staged.set(path, temp)
    await writeAndClose(fd, content)
  }
  const checkProduced = (path: string): void => {
    checkRelative(path)
    if (hashes.has(path))
      throw new OutputError(
        'K8S_CODEGEN_CLI_OUTPUT_PATH',
        `generated file path '${path}' was produced twice`,
      )
  }
  const sink: OutputSink = {
    async file(path, content) {
      checkProduced(path)
      // Encoded once: hashing a printed string (a rope of printer pieces) and writing it would
      // each flatten and encode it again, ~1.5 s for the 150 MB of 1,000 CRDs.
      const bytes = Buffer.from(content)
      hashes.set(path, sha256(bytes))
      const current = readBytes(join(dir, path))
      if (current?.equals(bytes) === true) {
        unchanged++
        return
      }
      const listed = previous?.files[path] !== undefined
      const conflict = await inTheWay(dir, path, current, listed, present)
      if (conflict === undefined) await stage(path, bytes)
      else conflicts.set(...conflict)
    },
    unchanged(path, hash) {
      checkProduced(path)
      hashes.set(path, hash)
      unchanged++
    },
    async discard() {
      for (const temp of staged.values()) await removeIfPresent(join(dir, temp))
      hashes.clear()
      staged.clear()
      conflicts.clear()
      unchanged = 0
    },
  }

  let produced: T
  let result: WriteOutputResult
  let manifestText: string
  try {
    produced = await produce(sink)
    if (conflicts.size > 0) throw conflictError(abs, conflicts)
    const removed: string[] = []
    const kept: string[] = []
    for (const [path, hash] of Object.entries(previous?.files ?? {})) {
      if (hashes.has(path)) continue
      const content = readText(join(dir, path))
      if (content === undefined) continue
      if (sha256(content) === hash) removed.push(path)
      else kept.push(path)
    }
    const manifest: OutputManifest = {
      key,
      ...(produced.stats === undefined ? {} : { stats: produced.stats }),
      ...(produced.options === undefined ? {} : { options: produced.options }),
      files: Object.fromEntries([...hashes.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
    }
    manifestText = `${JSON.stringify(manifest, null, 2)}\n`
    result = {
      written: [...staged.keys()].sort(),
      removed: removed.sort(),
      kept: kept.sort(),
      unchanged,
    }
    if (
      result.written.length === 0 &&
      result.removed.length === 0 &&
      readText(join(dir, MANIFEST_NAME)) === manifestText
    ) {
      if (journaled) await unlink(journalPath)
      return { result, produced }
    }
    await stage(MANIFEST_NAME, manifestText)
  } catch (error) {
    // Nothing was renamed yet: roll back to exactly the previous output.
    await recoverOutput(dir).catch(() => undefined)
    if (error instanceof OutputError || !isSystemError(error)) throw error
    throw writeError(`cannot write generated files to ${abs} (nothing was changed)`, error)
  }
  const journal: Journal = {
    pid: process.pid,
    state: 'commit',
    renames: [
      ...result.written.map((path): [string, string] => [staged.get(path) ?? '', path]),
      [staged.get(MANIFEST_NAME) ?? '', MANIFEST_NAME],
    ],
    removes: result.removed,
  }
  try {
    writeJournal(dir, journal)
    onCommitted()
    await applyJournal(dir, journal)
    await unlink(journalPath)
  } catch (error) {
    throw writeError(
      `cannot finish writing generated files to ${abs} (the next run completes it)`,
      error,
    )
  }
  return { result, produced }
}

// An error of the file system (an errno code such as EACCES), not one of the producer's own.
function isSystemError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)
}

function writeError(what: string, error: unknown): OutputError {
  const code = (error as NodeJS.ErrnoException).code
  return new OutputError(
    'K8S_CODEGEN_CLI_OUTPUT_WRITE',
    `${what}: ${code ?? (error as Error).message}${code === undefined ? '' : ` (${(error as Error).message})`}`,
    { cause: error },
  )
}
