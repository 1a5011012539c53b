// The converted documents of a `--crds` run, found again by what they were converted from: the
// content of every CRD file, the base, the options and the converter itself. A run that finds a
// record (and every document it names in the cache) reads no YAML, parses, validates and converts
// nothing: a no-op `generate --crds` only reads and hashes the files.
import { readdirSync, readFileSync } from 'node:fs'
import { mkdir, opendir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { canonicalJson, isJsonObject } from '../_canonical-json.js'
import { writeFileAtomic } from '../_atomic-write.js'
import { sha512Hex } from '../hash.js'
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

/**
 * The converter's identity: a SHA-512 of the module sources beside this one and in the directory
 * above (the package's dist/ or src/, or, bundled, every chunk of the CLI and its entry points),
 * read once per process. Anything keyed by it is recomputed after any change to that code.
 *
 * @example
 * const key = sha512Hex(new TextEncoder().encode(`${converterId()} ${inputs}`))
 */
export function converterId(): string {
  if (converter !== undefined) return converter
  const dir = dirname(fileURLToPath(import.meta.url))
  const parts: string[] = []
  for (const d of [dir, dirname(dir)]) {
    for (const name of readdirSync(d).sort()) {
      if (!/\.(js|ts|json)$/.test(name) || name.endsWith('.d.ts')) continue
      parts.push(name, sha512Hex(readFileSync(join(d, name))))
    }
  }
  converter = sha512Hex(new TextEncoder().encode(parts.join('\0')))
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
