// The converted documents of a `--crds` run, found again by what they were converted from, at
// three grains, each keyed by the converter's identity besides its inputs:
// - a set's record (`crd-conversions/`): the content of every CRD file, the base, the options.
//   A run that finds it (and every document it names in the cache) parses, validates and
//   converts nothing: it only reads and hashes the files.
// - a file's facts (`crd-files/`): what one file's bytes yield under the read limits that shape
//   its parse — its CRDs' names, group, kinds, plural and served versions, where each sits in the
//   file, and the documents skipped: all the cross-file rules and the summary need, so a file
//   found here is not parsed unless a group-version it serves is converted again.
// - a group-version's entry (`crd-group-versions/`): the locked document, discovery list and
//   facts converted from its pieces (each CRD serving it, named by its file's SHA-512 and its place
//   in the file) and the baseline: a group-version whose pieces did not change is not rebuilt.
// Every entry is only a shortcut: one that is missing, cut short or not of the expected shape
// means converting again, never a different answer.
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { canonicalJson, isJsonObject } from '../_canonical-json.js'
import { writeFileAtomic } from '../_atomic-write.js'
import { markRead } from '../cache-trim.js'
import { isSha512Hex, sha512Hex } from '../hash.js'
import { parseLockfile, type LockedGroupVersion } from '../lockfile.js'
import type { CrdReadLimits } from './read-limits.js'

/**
 * What a conversion produced: the locked entries of the CRD group-versions and the counts the
 * summary prints.
 *
 * @example
 * const record: ConversionRecord = { groupVersions: {}, crds: 0, skipped: 0, files: [], baseline: 'kubernetes 1.32' }
 */
export interface ConversionRecord {
  groupVersions: Record<string, LockedGroupVersion>
  crds: number
  skipped: number
  files: string[]
  baseline: string
}

/**
 * Everything a conversion's result depends on besides the converter: each file's name and
 * SHA-512, the base's identity, the options and the read limits (input a stricter limit refuses
 * must not be accepted from a record).
 *
 * @example
 * const inputs: ConversionInputs = { files: [['crds/a.yaml', 'AB…']], base: 'shipped', override: false, limits }
 */
export interface ConversionInputs {
  files: [string, string][]
  base: string
  override: boolean
  limits: CrdReadLimits
}

let converter: string | undefined

const isModuleSource = (name: string): boolean =>
  /\.(js|ts|json)$/.test(name) && !name.endsWith('.d.ts')

/**
 * The identity of the code in `dirs`: a SHA-512 over the name and SHA-512 of every module source
 * (`.js`, `.ts`, `.json`, not `.d.ts`) of each directory, in name order. What {@link converterId}
 * hashes, and what a build that bundles this module writes into {@link CODE_IDENTITY_FILE}.
 *
 * @example
 * codeIdentity(['dist/chunks', 'dist']) // 'A1…' (128 hex digits)
 */
export function codeIdentity(dirs: readonly string[]): string {
  const parts: string[] = []
  for (const d of dirs) {
    for (const name of readdirSync(d).sort()) {
      if (isModuleSource(name)) parts.push(name, sha512Hex(readFileSync(join(d, name))))
    }
  }
  return sha512Hex(new TextEncoder().encode(parts.join('\0')))
}

/**
 * The file a build that bundles this module writes beside the bundle's entry points: the
 * {@link codeIdentity} of the chunk directory and of that directory, then what the file system
 * says of each file it hashed — size, mtime and ctime in nanoseconds, inode
 * (`<id>\n<size> <mtime> <ctime> <inode> <dir>/<name>\n…`) — so a run reads the identity instead
 * of hashing ~3 MB of chunks while no file was written since.
 *
 * @example
 * await writeFile(join('dist', CODE_IDENTITY_FILE), builtCodeIdentity('dist/chunks'))
 */
export const CODE_IDENTITY_FILE = 'code-identity'

/**
 * The content of {@link CODE_IDENTITY_FILE} for a bundle whose chunks are in `chunks` (and
 * entry points in the directory above).
 *
 * @example
 * await writeFile(join('dist', CODE_IDENTITY_FILE), builtCodeIdentity('dist/chunks'))
 */
export function builtCodeIdentity(chunks: string): string {
  const dirs = [chunks, dirname(chunks)]
  // Stat before hashing: a file written while it is hashed no longer matches what is recorded.
  const files = codeStats(dirs)
  return identityText(codeIdentity(dirs), files)
}

interface CodeStat {
  /** `<size> <mtime> <ctime> <inode> <dir>/<name>` */
  line: string
  mtimeNs: bigint
}

// What the file system says of each module source without reading it, as git's index keeps it
// (`read-cache.c` `ie_match_stat`): a write changes the mtime and ctime (a size-keeping edit
// too), a replacement the inode, and a copy all of them.
function codeStats(dirs: readonly string[]): CodeStat[] {
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter(isModuleSource)
      .sort()
      .map((name) => {
        const s = statSync(join(d, name), { bigint: true })
        const path = relative(dirs[1] ?? d, join(d, name))
        return {
          line: `${s.size} ${s.mtimeNs} ${s.ctimeNs} ${s.ino} ${path}\n`,
          mtimeNs: s.mtimeNs,
        }
      }),
  )
}

function identityText(id: string, files: readonly CodeStat[]): string {
  return `${id}\n${files.map((f) => f.line).join('')}`
}

// The identity a build wrote, while every file it hashed is as it was then; else the files are
// hashed again and, when the build's identity file is writable, it is rewritten with what they
// are now (a copied or installed bundle hashes once). A file whose mtime is not older than the
// identity file's could have been written in the same clock tick after it was recorded (git's
// "racy" entries): it counts as changed.
function builtIdentity(dir: string): string | undefined {
  const file = join(dirname(dir), CODE_IDENTITY_FILE)
  let text: string
  let writtenNs: bigint
  try {
    text = readFileSync(file, 'utf8')
    writtenNs = statSync(file, { bigint: true }).mtimeNs
  } catch {
    return undefined
  }
  const id = text.slice(0, text.indexOf('\n'))
  if (!isSha512Hex(id)) return undefined
  const dirs = [dir, dirname(dir)]
  const files = codeStats(dirs)
  if (text === identityText(id, files) && files.every((f) => f.mtimeNs < writtenNs)) return id
  const hashed = codeIdentity(dirs)
  refreshIdentityFile(file, identityText(hashed, files))
  return hashed
}

// Best effort: a read-only install keeps hashing on each run, which is only slower.
function refreshIdentityFile(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  try {
    writeFileSync(temp, text)
    renameSync(temp, file)
  } catch {
    try {
      rmSync(temp, { force: true })
    } catch {
      // The temp was never written.
    }
  }
}

/**
 * The converter's identity: the {@link codeIdentity} of the directory of this module and the
 * one above (the package's dist/ or src/, or, bundled, every chunk of the CLI and its entry
 * points), read once per process: from the {@link CODE_IDENTITY_FILE} the build wrote, else
 * hashed. Anything keyed by it is recomputed after any change to that code.
 *
 * @example
 * const key = sha512Hex(new TextEncoder().encode(`${converterId()} ${inputs}`))
 */
export function converterId(): string {
  if (converter !== undefined) return converter
  const dir = dirname(fileURLToPath(import.meta.url))
  converter = builtIdentity(dir) ?? codeIdentity([dir, dirname(dir)])
  return converter
}

/**
 * The name of the record of a conversion of `inputs` (an uppercase hex SHA-512).
 *
 * @example
 * const key = conversionKey({ files, base: 'shipped', override: false, limits })
 */
export function conversionKey(inputs: ConversionInputs): string {
  const material = canonicalJson({ converter: converterId(), ...inputs })
  return sha512Hex(new TextEncoder().encode(material))
}

function recordPath(cacheDir: string, key: string): string {
  return join(cacheDir, 'crd-conversions', `${key}.json`)
}

function keyOf(material: unknown): string {
  return sha512Hex(new TextEncoder().encode(canonicalJson(material)))
}

const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0
const isText = (value: unknown): value is string => typeof value === 'string' && value !== ''

async function readEntry(path: string): Promise<unknown> {
  let entry: unknown
  try {
    entry = JSON.parse(await readFile(path, 'utf8')) as unknown
  } catch {
    return undefined
  }
  // Used: a trim keeps it another 5 days (cache-trim.ts).
  markRead(path)
  return entry
}

// The entry directories this process made (a cold run writes thousands of entries); one removed
// since is made again.
const made = new Set<string>()

async function writeEntry(path: string, value: unknown): Promise<void> {
  const dir = dirname(path)
  const text = canonicalJson(value)
  if (made.has(dir)) {
    try {
      return await writeFileAtomic(path, text)
    } catch {
      made.delete(dir)
    }
  }
  await mkdir(dir, { recursive: true, mode: 0o700 })
  made.add(dir)
  await writeFileAtomic(path, text)
}

/**
 * The record stored under `key`, or undefined when there is none or it is not one (a record is
 * only ever a shortcut: anything unexpected means converting again).
 *
 * @example
 * const record = await readConversion(cacheDir, key)
 */
export async function readConversion(
  cacheDir: string,
  key: string,
): Promise<ConversionRecord | undefined> {
  try {
    const value = await readEntry(recordPath(cacheDir, key))
    if (!isJsonObject(value)) return undefined
    const { crds, skipped, files, baseline } = value
    if (
      !isCount(crds) ||
      !isCount(skipped) ||
      !Array.isArray(files) ||
      !files.every((f) => typeof f === 'string') ||
      typeof baseline !== 'string'
    )
      return undefined
    const { groupVersions } = parseLockfile(
      { lockfileVersion: 1, source: 'v3', groupVersions: value.groupVersions },
      'conversion record',
    )
    return {
      groupVersions,
      crds,
      skipped,
      files: files,
      baseline,
    }
  } catch {
    return undefined
  }
}

/**
 * Stores `record` under `key` (atomically, 0600 in a 0700 directory, like the cache's entries).
 *
 * @example
 * await writeConversion(cacheDir, key, record)
 */
export async function writeConversion(
  cacheDir: string,
  key: string,
  record: ConversionRecord,
): Promise<void> {
  await writeEntry(recordPath(cacheDir, key), record)
}

/**
 * What one CRD of a file says that the rules over all files and the summary need: where it sits
 * in its file (document index, `kind: List` item), its `metadata.name`, group, kinds, plural and
 * the versions it serves, in its order.
 *
 * @example
 * const facts: CrdFileEntry = { index: 0, name: 'widgets.example.dev', group: 'example.dev', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', served: ['v1'] }
 */
export interface CrdFileEntry {
  index: number
  item?: number
  name: string
  group: string
  kind: string
  listKind: string
  plural: string
  served: string[]
}

/**
 * What one CRD file's bytes yield: its CRDs in document order and the other documents skipped.
 *
 * @example
 * const facts: CrdFileFacts = { crds: [], skipped: 1 }
 */
export interface CrdFileFacts {
  crds: CrdFileEntry[]
  skipped: number
}

/**
 * The name of the facts of a file whose bytes have SHA-512 `hash`, read under `limits`: only the
 * limits a parse applies (documents, expanded bytes) shape them; a file over the byte limits is
 * refused while it is read, before any lookup.
 *
 * @example
 * const key = crdFileKey(sha512Hex(bytes), limits)
 */
export function crdFileKey(hash: string, limits: CrdReadLimits): string {
  const { documents, expandedBytes } = limits
  return keyOf({ converter: converterId(), file: hash, documents, expandedBytes })
}

function filePath(cacheDir: string, key: string): string {
  return join(cacheDir, 'crd-files', `${key}.json`)
}

function fileEntry(value: unknown): CrdFileEntry | undefined {
  if (!isJsonObject(value)) return undefined
  const { index, item, name, group, kind, listKind, plural, served } = value
  if (
    !isCount(index) ||
    (item !== undefined && !isCount(item)) ||
    ![name, group, kind, listKind, plural].every(isText) ||
    !Array.isArray(served) ||
    !served.every(isText)
  )
    return undefined
  const entry: CrdFileEntry = {
    index,
    name: name as string,
    group: group as string,
    kind: kind as string,
    listKind: listKind as string,
    plural: plural as string,
    served,
  }
  if (item !== undefined) entry.item = item
  return entry
}

/**
 * The facts stored under `key`, or undefined when there are none or they are not facts.
 *
 * @example
 * const facts = await readCrdFileFacts(cacheDir, crdFileKey(hash, limits))
 */
export async function readCrdFileFacts(
  cacheDir: string,
  key: string,
): Promise<CrdFileFacts | undefined> {
  const value = await readEntry(filePath(cacheDir, key))
  if (!isJsonObject(value) || !isCount(value.skipped) || !Array.isArray(value.crds))
    return undefined
  const crds = value.crds.map(fileEntry)
  if (!crds.every((entry) => entry !== undefined)) return undefined
  return { crds, skipped: value.skipped }
}

/**
 * Stores a file's `facts` under `key` (atomically, like every entry).
 *
 * @example
 * await writeCrdFileFacts(cacheDir, key, { crds, skipped })
 */
export async function writeCrdFileFacts(
  cacheDir: string,
  key: string,
  facts: CrdFileFacts,
): Promise<void> {
  await writeEntry(filePath(cacheDir, key), facts)
}

/**
 * What a group-version's converted entry depends on: the converter, the document source (v3),
 * the baseline's content (ObjectMeta & co., the option parameters) and its pieces, each CRD
 * serving it (in name order) named by its file's SHA-512 and its place in the file.
 *
 * @example
 * const key = groupVersionKey({ key: 'apis/example.dev/v1', baseline, pieces: [[hash, 0, null]] })
 */
export function groupVersionKey(material: {
  key: string
  baseline: string
  pieces: [string, number, number | null][]
}): string {
  return keyOf({ converter: converterId(), source: 'v3', ...material })
}

function groupVersionPath(cacheDir: string, key: string): string {
  return join(cacheDir, 'crd-group-versions', `${key}.json`)
}

/**
 * The locked entry of group-version `key` stored under `entryKey`, or undefined when there is
 * none or it is not one.
 *
 * @example
 * const entry = await readConvertedGroupVersion(cacheDir, 'apis/example.dev/v1', entryKey)
 */
export async function readConvertedGroupVersion(
  cacheDir: string,
  key: string,
  entryKey: string,
): Promise<Extract<LockedGroupVersion, { status: 'ok' }> | undefined> {
  const value = await readEntry(groupVersionPath(cacheDir, entryKey))
  try {
    const entry = parseLockfile(
      { lockfileVersion: 1, source: 'v3', groupVersions: { [key]: value } },
      'converted group-version',
    ).groupVersions[key]
    return entry?.status === 'ok' ? entry : undefined
  } catch {
    return undefined
  }
}

/**
 * Stores the locked `entry` of a converted group-version under `entryKey`.
 *
 * @example
 * await writeConvertedGroupVersion(cacheDir, entryKey, entry)
 */
export async function writeConvertedGroupVersion(
  cacheDir: string,
  entryKey: string,
  entry: LockedGroupVersion,
): Promise<void> {
  await writeEntry(groupVersionPath(cacheDir, entryKey), entry)
}
