// The sources of one lockfile: the cluster (`fetch`) and each `--crds` set. A group-version a
// set names is that set's; every other one is the cluster's, narrowed by the recorded
// include/exclude. What a generation uses is the union, and a run replaces only its own source.
import { OpenApiError } from './errors.js'
import { filterName, groupVersionFilter, type GroupVersionFilters } from './group-version.js'
import type { LockedGroupVersion, Lockfile } from './lockfile.js'

/**
 * The group-version keys the lockfile's `--crds` sets fill.
 *
 * @example
 * crdSetKeys(lock).has('apis/example.dev/v1') // true after `generate --crds crds/`
 */
export function crdSetKeys(lock: Lockfile): Set<string> {
  return new Set((lock.crds ?? []).flatMap((set) => set.groupVersions))
}

/**
 * The lockfile's cluster part: its group-versions without those of the `--crds` sets.
 *
 * @example
 * Object.keys(clusterGroupVersions(lock)) // ['api/v1', 'apis/apps/v1']
 */
export function clusterGroupVersions(lock: Lockfile): Record<string, LockedGroupVersion> {
  const crds = crdSetKeys(lock)
  return Object.fromEntries(Object.entries(lock.groupVersions).filter(([key]) => !crds.has(key)))
}

/**
 * The keys of the group-versions a generation uses: the cluster's available ones that `filters`
 * keep (the recorded or given include/exclude) and every one of a `--crds` set, sorted. An
 * exclude pattern that matches a set's group-version is `K8S_CODEGEN_OPENAPI_CRDS_FILTERED`
 * (the CRDs named with `--crds` are always generated); an empty selection is
 * `K8S_CODEGEN_OPENAPI_NOTHING_SELECTED`.
 *
 * @example
 * selectLockedGroupVersions(lock, { include: ['apps/v1'] }) // ['apis/apps/v1', 'apis/example.dev/v1']
 */
export function selectLockedGroupVersions(lock: Lockfile, filters: GroupVersionFilters): string[] {
  const crds = crdSetKeys(lock)
  const keep = groupVersionFilter(filters)
  for (const pattern of filters.exclude ?? []) {
    const hit = Object.entries(lock.groupVersions).find(
      ([key, gv]) => crds.has(key) && !groupVersionFilter({ exclude: [pattern] })(gv),
    )
    if (hit !== undefined) {
      const set = (lock.crds ?? []).find((s) => s.groupVersions.includes(hit[0]))
      throw new OpenApiError(
        'K8S_CODEGEN_OPENAPI_CRDS_FILTERED',
        `--exclude '${pattern}' would drop ${filterName(hit[1])}, which --crds ${set?.paths.join(' ') ?? ''} names; the CRDs named with --crds are always generated (--include/--exclude narrow what the cluster serves): remove the pattern (--no-exclude clears them) or the CRD set (--no-crds)`,
      )
    }
  }
  const keys = Object.entries(lock.groupVersions)
    .filter(([key, gv]) => gv.status === 'ok' && (crds.has(key) || keep(gv)))
    .map(([key]) => key)
    .sort()
  if (keys.length === 0) {
    const cluster = Object.values(clusterGroupVersions(lock)).filter((gv) => gv.status === 'ok')
    throw new OpenApiError(
      'K8S_CODEGEN_OPENAPI_NOTHING_SELECTED',
      cluster.length === 0
        ? 'the lockfile holds no available group-version to generate; run `k8s-codegen fetch` or `generate --crds <files>`'
        : `--include ${JSON.stringify(filters.include ?? [])} and --exclude ${JSON.stringify(filters.exclude ?? [])} leave none of the ${cluster.length} locked group-versions to generate; nothing was written`,
    )
  }
  return keys
}

/**
 * The lockfile without its `--crds` sets and the group-versions only they filled (`--no-crds`).
 *
 * @example
 * writeLockfile(path, withoutCrdSets(lock))
 */
export function withoutCrdSets(lock: Lockfile): Lockfile {
  const next: Lockfile = { ...lock, groupVersions: clusterGroupVersions(lock) }
  delete next.crds
  return next
}
