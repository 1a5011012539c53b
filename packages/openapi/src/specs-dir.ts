// `--specs-dir`: the verified documents as served, one file per group-version, for review and for
// offline regeneration in CI.
import { mkdirSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { removeEmptyDirectories, writeFailed, writeFileAtomicSync } from './_atomic-write.js'
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

/**
 * What a fetch changes in `--specs-dir`: every file to write (`bytes`) or remove (`bytes`
 * undefined), with what it held before (`before`, undefined: absent). Made by
 * {@link planSpecsDir}, applied by {@link commitSpecsDir}.
 */
export interface SpecsDirPlan {
  changes: { path: string; bytes: Uint8Array | undefined; before: Uint8Array | undefined }[]
  /** Files where a document goes that k8s-codegen did not write: the plan is refused. */
  foreign: string[]
}

// Whether `before`, found where a document goes, is a file k8s-codegen wrote: what the previous
// lockfile locked there, or a verified document of the cache (written by a fetch whose lockfile
// was replaced since). `hash`: its SHA-512.
function ours(cache: SpecCache, hash: string, previous: LockedBytes | undefined): boolean {
  return hash === previous?.hash || cache.has(hash)
}

async function planFile(
  cache: SpecCache,
  path: string,
  locked: LockedBytes,
  previous: LockedBytes | undefined,
  plan: SpecsDirPlan,
): Promise<void> {
  const before = await readFile(path).catch(() => undefined)
  const hash = before === undefined ? undefined : sha512Hex(before)
  if (hash === locked.hash) return
  if (hash !== undefined && !ours(cache, hash, previous)) {
    plan.foreign.push(path)
    return
  }
  const bytes = await cache.read(locked.hash)
  if (!bytes) {
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_SPEC_MISSING',
      `cache entry ${locked.hash.slice(0, 16)}… for ${path} vanished while fetching`,
    )
  }
  plan.changes.push({ path, bytes, before })
}

// A document no longer locked goes only while it holds what was locked: an edited one is kept.
async function planRemoval(
  path: string,
  previous: LockedBytes | undefined,
  plan: SpecsDirPlan,
): Promise<void> {
  const before = await readFile(path).catch(() => undefined)
  if (before !== undefined && previous !== undefined && sha512Hex(before) === previous.hash)
    plan.changes.push({ path, bytes: undefined, before })
}

/**
 * What makes `specsDir` hold the files of `next`'s group-versions (the verified bytes from
 * `cache`) and drops those of `previous`'s that `next` no longer has. Only files k8s-codegen
 * wrote are replaced (holding what `previous` locked there, or a verified document of `cache`)
 * or removed (holding what `previous` locked there); any other file where a document goes fails
 * with `K8S_CODEGEN_OPENAPI_SPECS_DIR_CONFLICT`, naming each. Reads only; {@link commitSpecsDir}
 * writes.
 *
 * @example
 * const undo = commitSpecsDir(await planSpecsDir(cache, 'specs', next, previous))
 */
export async function planSpecsDir(
  cache: SpecCache,
  specsDir: string,
  next: Lockfile,
  previous: Lockfile | undefined,
): Promise<SpecsDirPlan> {
  const plan: SpecsDirPlan = { changes: [], foreign: [] }
  const was = (key: string) => {
    const gv = previous?.groupVersions[key]
    return gv?.status === 'ok' ? gv : undefined
  }
  for (const [key, gv] of Object.entries(next.groupVersions)) {
    if (gv.status !== 'ok') continue
    const paths = specsDirPaths(specsDir, key)
    const old = was(key)
    await planFile(cache, paths.document, gv, old, plan)
    if (gv.discovery) await planFile(cache, paths.discovery, gv.discovery, old?.discovery, plan)
    if (gv.crdFacts) await planFile(cache, paths.crdFacts, gv.crdFacts, old?.crdFacts, plan)
  }
  for (const key of Object.keys(previous?.groupVersions ?? {})) {
    const gv = next.groupVersions[key]
    const old = was(key)
    const paths = specsDirPaths(specsDir, key)
    if (gv?.status !== 'ok') await planRemoval(paths.document, old, plan)
    if (gv?.status !== 'ok' || !gv.discovery)
      await planRemoval(paths.discovery, old?.discovery, plan)
    if (gv?.status !== 'ok' || !gv.crdFacts) await planRemoval(paths.crdFacts, old?.crdFacts, plan)
  }
  if (plan.foreign.length > 0) throw specsDirConflict(specsDir, plan.foreign)
  return plan
}

function specsDirConflict(specsDir: string, foreign: string[]): OpenApiError {
  const named = foreign
    .sort()
    .slice(0, 20)
    .map((path) => relative(specsDir, path))
  const more = foreign.length > 20 ? `, … (${foreign.length - 20} more)` : ''
  return new OpenApiError(
    'K8S_CODEGEN_OPENAPI_SPECS_DIR_CONFLICT',
    `--specs-dir ${specsDir} holds ${foreign.length === 1 ? 'a file' : `${foreign.length} files`} k8s-codegen did not write where fetched documents go: ${named.join(', ')}${more}. ` +
      'k8s-codegen replaces only documents it wrote (what the lockfile locked there, or a verified document of its cache) and nothing was written. ' +
      'Move them out of --specs-dir, or give the documents a directory of their own (--specs-dir).',
  )
}

/**
 * Applies a {@link planSpecsDir} plan synchronously (no other code of the process runs in
 * between, a signal handler included), all or nothing: a failure puts back what it changed
 * before throwing. Returns what puts everything back (files and the directories it created).
 *
 * @example
 * const undo = commitSpecsDir(plan)
 * if (generationFailed) undo()
 */
export function commitSpecsDir(plan: SpecsDirPlan): () => void {
  const done: SpecsDirPlan['changes'] = []
  // `first`: the outermost directory a mkdir created; `dir`: the innermost.
  const created: { first: string; dir: string }[] = []
  const undo = (): void => {
    for (const { path, before } of [...done].reverse()) {
      if (before === undefined) rmSync(path, { force: true })
      else writeFileAtomicSync(path, before, 0o644)
    }
    for (const { first, dir } of [...created].reverse()) removeEmptyDirectories(dir, first)
  }
  try {
    for (const change of plan.changes) {
      if (change.bytes === undefined) {
        done.push(change)
        rmSync(change.path, { force: true })
        continue
      }
      let first: string | undefined
      try {
        first = mkdirSync(dirname(change.path), { recursive: true })
      } catch (error) {
        throw writeFailed(dirname(change.path), 'create the specs directory', error)
      }
      if (first !== undefined) created.push({ first, dir: dirname(change.path) })
      done.push(change)
      writeFileAtomicSync(change.path, change.bytes, 0o644)
    }
  } catch (error) {
    undo()
    throw error
  }
  return undo
}
