// `--specs-dir`: the verified documents as served, one file per group-version, for review and for
// offline regeneration in CI.
import { readFile, rm, mkdir } from 'node:fs/promises'
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

async function syncFile(cache: SpecCache, path: string, locked: LockedBytes): Promise<void> {
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
    await mkdir(dirname(path), { recursive: true })
  } catch (error) {
    throw writeFailed(dirname(path), 'create the specs directory', error)
  }
  await writeFileAtomic(path, bytes, 0o644)
}

export async function syncSpecsDir(
  cache: SpecCache,
  specsDir: string,
  next: Lockfile,
  previous: Lockfile | undefined,
): Promise<void> {
  for (const [key, gv] of Object.entries(next.groupVersions)) {
    if (gv.status !== 'ok') continue
    const paths = specsDirPaths(specsDir, key)
    await syncFile(cache, paths.document, gv)
    if (gv.discovery) await syncFile(cache, paths.discovery, gv.discovery)
    if (gv.crdFacts) await syncFile(cache, paths.crdFacts, gv.crdFacts)
  }
  // Only files this tool wrote before (keys of the previous lockfile) are ever removed.
  for (const key of Object.keys(previous?.groupVersions ?? {})) {
    const gv = next.groupVersions[key]
    const paths = specsDirPaths(specsDir, key)
    if (gv?.status !== 'ok') await rm(paths.document, { force: true })
    if (gv?.status !== 'ok' || !gv.discovery) await rm(paths.discovery, { force: true })
    if (gv?.status !== 'ok' || !gv.crdFacts) await rm(paths.crdFacts, { force: true })
  }
}
