// Reading a `--crds` set through the per-file facts of the conversion cache: every file is read
// and hashed (under the read limits, in the order `listCrdFiles` gives), but a file whose facts
// are cached is not parsed; the rules over all files (one name, kind or list kind per group) are
// decided from the facts of every file, in the same order and with the same messages as
// `loadCrds`. A CRD whose group-version is converted again is then read from its file once more
// (`holdCrds`).
import { OpenApiError } from '../errors.js'
import { sha512Hex } from '../hash.js'
import {
  crdFileKey,
  readCrdFileFacts,
  writeCrdFileFacts,
  type CrdFileEntry,
  type CrdFileFacts,
} from './conversion-cache.js'
import { claimCrd, crdClaims, heldIn, type SchemaHolder } from './load.js'
import { describeLocation, listCrdFiles, parseCrdDocuments } from './read.js'
import type { CrdReadLimits } from './read-limits.js'
import { decodeCrdText, readCrdBytes, type ReadBudget } from './read-text.js'
import type { CustomResourceDefinition } from './types.js'
import { validateCrd } from './validate.js'

/**
 * One file of a set as this run read it.
 *
 * @example
 * const file: SetFile = { path: '/repo/crds/a.yaml', name: 'crds/a.yaml', hash: 'AB…' }
 */
export interface SetFile {
  path: string
  /** Relative to the working directory, as messages print it. */
  name: string
  /** The uppercase hex SHA-512 of the bytes read. */
  hash: string
}

/**
 * One CRD of a set: its file, its facts, and the validated CRD once its file was parsed.
 *
 * @example
 * const crd: SetCrd = { file, entry: { index: 0, name: 'widgets.example.dev', group: 'example.dev', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', served: ['v1'] } }
 */
export interface SetCrd {
  file: SetFile
  entry: CrdFileEntry
  crd?: CustomResourceDefinition
}

/**
 * What {@link readCrdSet} found.
 *
 * @example
 * const { crds, skipped, files, hashes } = await readCrdSet(['crds/'], options)
 */
export interface CrdSet {
  /** Sorted by name. */
  crds: SetCrd[]
  skipped: number
  /** Relative to the working directory, sorted. */
  files: string[]
  /** Each file's name → the uppercase hex SHA-512 of its bytes. */
  hashes: Map<string, string>
}

/**
 * Options of {@link readCrdSet}.
 *
 * @example
 * const options: ReadCrdSetOptions = { cwd, limits, cacheDir, write: true, facts: true, schemas }
 */
export interface ReadCrdSetOptions {
  cwd: string
  limits: CrdReadLimits
  cacheDir: string
  /** Store the facts of the files parsed. */
  write: boolean
  /** Look cached facts up (false: parse every file). */
  facts: boolean
  /** Where the validated CRDs' schemas wait until converted. */
  schemas: SchemaHolder
}

// A validated CRD's facts, at document `index` (and `kind: List` item) of its file.
function factsOf(crd: CustomResourceDefinition, index: number, item?: number): CrdFileEntry {
  const entry: CrdFileEntry = {
    index,
    name: crd.name,
    group: crd.group,
    kind: crd.names.kind,
    listKind: crd.names.listKind,
    plural: crd.names.plural,
    served: crd.versions.filter((v) => v.served).map((v) => v.name),
  }
  if (item !== undefined) entry.item = item
  return entry
}

/**
 * Reads the files `patterns` name as `loadCrds` does — the same files, limits, errors and order
 * of errors — parsing only those whose facts are not cached (and storing theirs with `write`).
 *
 * @example
 * const set = await readCrdSet(['crds/'], { cwd, limits, cacheDir, write: true, facts: true, schemas })
 */
export async function readCrdSet(
  patterns: readonly string[],
  options: ReadCrdSetOptions,
): Promise<CrdSet> {
  const { cwd, limits, cacheDir, schemas } = options
  const seen = new Map<string, string>()
  const out: CrdSet = { crds: [], skipped: 0, files: [], hashes: new Map() }
  const budget: ReadBudget = { remaining: limits.totalBytes }
  // The first document that fails, in document order; every later file is still read, so a read
  // or YAML error of any file is the one reported (load.ts loadCrds).
  let failure: OpenApiError | undefined
  for (const { path, name } of await listCrdFiles(patterns, cwd)) {
    const bytes = readCrdBytes(path, name, limits, budget)
    const file: SetFile = { path, name, hash: sha512Hex(bytes) }
    out.hashes.set(name, file.hash)
    out.files.push(name)
    const key = crdFileKey(file.hash, limits)
    const cached = options.facts ? await readCrdFileFacts(cacheDir, key) : undefined
    if (cached !== undefined) {
      // Parsed under the same limits before: no YAML error, every CRD valid.
      out.skipped += cached.skipped
      if (failure !== undefined) continue
      try {
        for (const entry of cached.crds) {
          claimCrd(entry, describeLocation({ file: name, ...entry }), seen)
          out.crds.push({ file, entry })
        }
      } catch (error) {
        if (!(error instanceof OpenApiError)) throw error
        failure = error
      }
      continue
    }
    const parsed = await parseCrdDocuments(decodeCrdText(bytes, name), name, limits)
    out.skipped += parsed.skipped
    if (failure !== undefined) continue
    const facts: CrdFileFacts = { crds: [], skipped: parsed.skipped }
    try {
      for (const document of parsed.documents) {
        const crd = heldIn(schemas, validateCrd(document))
        claimCrd(crdClaims(crd), describeLocation(document.where), seen)
        const entry = factsOf(crd, document.where.index, document.where.item)
        facts.crds.push(entry)
        out.crds.push({ file, entry, crd })
      }
    } catch (error) {
      if (!(error instanceof OpenApiError)) throw error
      failure = error
      continue
    }
    if (options.write) await writeCrdFileFacts(cacheDir, key, facts)
  }
  if (failure !== undefined) throw failure
  out.files.sort()
  out.crds.sort((a, b) => (a.entry.name < b.entry.name ? -1 : 1))
  return out
}

/**
 * A file of the set changed between its first read and the read that needed its CRDs: the run
 * cannot tell which content to convert, so it converts every file again from one read each.
 *
 * @example
 * if (error instanceof CrdFileChanged) return convertAgain()
 */
export class CrdFileChanged extends Error {
  constructor(file: string) {
    super(`${file} changed while it was being converted`)
    this.name = 'CrdFileChanged'
  }
}

/**
 * Reads the files of the CRDs in `crds` that this run has not parsed, and gives each of them its
 * validated CRD (held in `schemas`). A file whose bytes no longer have the hash of the first read
 * throws {@link CrdFileChanged}.
 *
 * @example
 * await holdCrds(set.crds.filter((c) => wanted.has(c.entry.name)), limits, schemas)
 */
export async function holdCrds(
  crds: readonly SetCrd[],
  limits: CrdReadLimits,
  schemas: SchemaHolder,
): Promise<void> {
  const byFile = new Map<SetFile, SetCrd[]>()
  for (const crd of crds) {
    if (crd.crd !== undefined) continue
    const list = byFile.get(crd.file) ?? []
    list.push(crd)
    byFile.set(crd.file, list)
  }
  for (const [file, wanted] of byFile) {
    // Counted against the total once already, by the first read.
    const bytes = readCrdBytes(file.path, file.name, limits, { remaining: limits.totalBytes })
    if (sha512Hex(bytes) !== file.hash) throw new CrdFileChanged(file.name)
    const parsed = await parseCrdDocuments(decodeCrdText(bytes, file.name), file.name, limits)
    for (const crd of wanted) {
      const document = parsed.documents.find(
        (d) => d.where.index === crd.entry.index && d.where.item === crd.entry.item,
      )
      if (document === undefined) throw new CrdFileChanged(file.name)
      crd.crd = heldIn(schemas, validateCrd(document))
    }
  }
}
