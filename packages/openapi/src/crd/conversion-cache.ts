// The converted documents of a `--crds` run, found again by what they were converted from: the
// content of every CRD file, the base, the options and the converter itself. A run that finds a
// record (and every document it names in the cache) reads no YAML, parses, validates and converts
// nothing: a no-op `generate --crds` only reads and hashes the files.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir, opendir, readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { canonicalJson, isJsonObject } from '../_canonical-json.js'
import { writeFileAtomic } from '../_atomic-write.js'
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
 * {@link codeIdentity} of the chunk directory and of that directory, then the size of each file
 * it hashed (`<id>\n<size> <dir>/<name>\n…`), so a run reads the identity instead of hashing
 * ~3 MB of chunks.
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
  return `${codeIdentity(dirs)}\n${codeSizes(dirs)}`
}

function codeSizes(dirs: readonly string[]): string {
  return dirs
    .flatMap((d) =>
      readdirSync(d)
        .filter(isModuleSource)
        .sort()
        .map(
          (name) => `${statSync(join(d, name)).size} ${relative(dirs[1] ?? d, join(d, name))}\n`,
        ),
    )
    .join('')
}

// The identity a build wrote, while every file it hashed still has the size it had: a bundle
// edited by hand since (another size) is hashed again.
function builtIdentity(dir: string): string | undefined {
  try {
    const text = readFileSync(join(dirname(dir), CODE_IDENTITY_FILE), 'utf8')
    const id = text.slice(0, text.indexOf('\n'))
    return isSha512Hex(id) && text === `${id}\n${codeSizes([dir, dirname(dir)])}` ? id : undefined
  } catch {
    return undefined
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

/**
 * Whether `cacheDir` holds any conversion record: without one no key can be found, so a cold run
 * need not hash every CRD file to compute one (the conversion hashes the bytes it reads).
 *
 * @example
 * if (await hasConversions(cacheDir)) record = await readConversion(cacheDir, key)
 */
export async function hasConversions(cacheDir: string): Promise<boolean> {
  const dir = await opendir(join(cacheDir, 'crd-conversions')).catch(() => undefined)
  if (dir === undefined) return false
  for await (const entry of dir) if (entry.name.endsWith('.json')) return true
  return false
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
    const value: unknown = JSON.parse(await readFile(recordPath(cacheDir, key), 'utf8'))
    if (!isJsonObject(value)) return undefined
    const { crds, skipped, files, baseline } = value
    if (
      !Number.isSafeInteger(crds) ||
      !Number.isSafeInteger(skipped) ||
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
      crds: crds as number,
      skipped: skipped as number,
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
  const path = recordPath(cacheDir, key)
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await writeFileAtomic(path, canonicalJson(record))
}
