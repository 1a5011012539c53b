// `--specs-dir`: the verified documents as served, one file per group-version, for review and for
// offline regeneration in CI.
import { mkdir, readFile, rm, rmdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { writeFailed, writeFileAtomic } from './_atomic-write.js'
import type { SpecCache } from './cache.js'
import { OpenApiError } from './errors.js'
import { sha512Hex } from './hash.js'
import type { LockedBytes, Lockfile } from './lockfile.js'

/**
 * Where `--specs-dir` keeps a group-version: `<specsDir>/<key>.json` and `<key>.discovery.json`,
 * the verified bytes as served, readable in review, and for a CRD group-version
 * `<key>.crd-facts.json` (what its CRDs say beyond both).
 *
 * @example
 * specsDirPaths('specs', 'apis/apps/v1') // { document: 'specs/apis/apps/v1.json', discovery: 'specs/apis/apps/v1.discovery.json', crdFacts: 'specs/apis/apps/v1.crd-facts.json' }
 */
export function specsDirPaths(
  specsDir: string,
  key: string,
): { document: string; discovery: string; crdFacts: string } {
  return {
    document: join(specsDir, `${key}.json`),
    discovery: join(specsDir, `${key}.discovery.json`),
    crdFacts: join(specsDir, `${key}.crd-facts.json`),
  }
}

// What a sync replaced, to put back: each file with the bytes it held (undefined: it did not
// exist) and each directory it created, in order.
interface SpecsDirChanges {
  files: { path: string; before: Uint8Array | undefined }[]
  /** `first`: the outermost directory a mkdir created; `dir`: the innermost (`first` or below). */
  directories: { first: string; dir: string }[]
}

async function syncFile(
  cache: SpecCache,
  path: string,
  locked: LockedBytes,
  changes: SpecsDirChanges,
): Promise<void> {
  const current = await readFile(path).catch(() => undefined)
  if (current && sha512Hex(current) === locked.hash) return
  const bytes = await cache.read(locked.hash)
  if (!bytes) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_SPEC_MISSING',
      `cache entry ${locked.hash.slice(0, 16)}… for ${path} vanished while fetching`,
    )
  }
  try {
    const created = await mkdir(dirname(path), { recursive: true })
    if (created !== undefined) changes.directories.push({ first: created, dir: dirname(path) })
  } catch (error) {
    throw writeFailed(dirname(path), 'create the specs directory', error)
  }
  changes.files.push({ path, before: current })
  await writeFileAtomic(path, bytes, 0o644)
}

async function removeFile(path: string, changes: SpecsDirChanges): Promise<void> {
  const current = await readFile(path).catch(() => undefined)
  if (current === undefined) return
  changes.files.push({ path, before: current })
  await rm(path, { force: true })
}

// Puts back what a sync changed, last change first: a file it wrote holds its old bytes again
// (or is gone), a directory it created is removed while empty (with its created parents).
async function undoChanges(changes: SpecsDirChanges): Promise<void> {
  for (const { path, before } of changes.files.reverse()) {
    if (before === undefined) await rm(path, { force: true })
    else await writeFileAtomic(path, before, 0o644)
  }
  for (const { first, dir } of changes.directories.reverse()) {
    for (let at = dir; ; at = dirname(at)) {
      if (!(await rmdir(at).then(() => true, () => false)) || at === first) break
    }
  }
}

/**
 * Makes `specsDir` hold the files of `next`'s group-versions (the verified bytes from `cache`)
 * and removes those of `previous`'s that `next` no longer has (only files this tool wrote before
 * are ever removed). All or nothing: a sync that fails puts every file back as it was before
 * rethrowing. Returns what puts them back later (a run that fails after the sync).
 *
 * @example
 * const undo = await syncSpecsDir(cache, 'specs', next, previous)
 * if (generationFailed) await undo()
 */
export async function syncSpecsDir(
  cache: SpecCache,
  specsDir: string,
  next: Lockfile,
  previous: Lockfile | undefined,
): Promise<() => Promise<void>> {
  const changes: SpecsDirChanges = { files: [], directories: [] }
  try {
    for (const [key, gv] of Object.entries(next.groupVersions)) {
      if (gv.status !== 'ok') continue
      const paths = specsDirPaths(specsDir, key)
      await syncFile(cache, paths.document, gv, changes)
      if (gv.discovery) await syncFile(cache, paths.discovery, gv.discovery, changes)
      if (gv.crdFacts) await syncFile(cache, paths.crdFacts, gv.crdFacts, changes)
    }
    for (const key of Object.keys(previous?.groupVersions ?? {})) {
      const gv = next.groupVersions[key]
      const paths = specsDirPaths(specsDir, key)
      if (gv?.status !== 'ok') await removeFile(paths.document, changes)
      if (gv?.status !== 'ok' || !gv.discovery) await removeFile(paths.discovery, changes)
      if (gv?.status !== 'ok' || !gv.crdFacts) await removeFile(paths.crdFacts, changes)
    }
  } catch (error) {
    await undoChanges(changes)
    throw error
  }
  return () => undoChanges(changes)
}
