// The lockfile's `--crds` sets: every run that generates (or checks) re-reads the CRD files of
// each recorded set and of the one given, and locks them into the lockfile beside the cluster's
// group-versions; the library does the work (@k8s-codegen/openapi lockCrds), this only maps
// options and joins the outcomes.
import { dirname } from 'node:path'

import type { CrdReadLimits, LockCrdsOptions } from '@k8s-codegen/openapi'

/**
 * The `--crds` given on this run, all absolute or relative to `cwd`.
 *
 * @example
 * const given: GivenCrdSet = { crds: ['crds'], cwd: '/repo', base: undefined, override: false }
 */
export interface GivenCrdSet {
  /** Absolute paths or globs, or relative to `cwd`. */
  crds: readonly string[]
  cwd: string
  base: string | undefined
  override: boolean
}

/**
 * Where the CRD step reads and writes (see `crdsStepOptions` in generation.ts).
 *
 * @example
 * const options: CrdsStepOptions = { lockfile: '/repo/k8s-codegen.lock.json', cacheDir: '/cache', given: undefined, drop: false, write: false }
 */
export interface CrdsStepOptions {
  lockfile: string
  cacheDir: string
  /** The set given on this run (`--crds`, config `crds`), if any. */
  given: GivenCrdSet | undefined
  /** `--no-crds`: remove the recorded sets first. */
  drop: boolean
  /** Bounds on the CRD files read; unset ones default. */
  limits: Partial<CrdReadLimits>
  /** `false` (for `check`): write nothing, only say whether the lockfile would change. */
  write: boolean
  /** Each group-version converted, as soon as it is stored (`lockCrds`' `onStored`). */
  onStored?: LockCrdsOptions['onStored']
}

/** What the CRD step did, for the summary (of the given set). */
export interface CrdsOutcome {
  crds: number
  groupVersions: string[]
  skipped: number
  files: number
  /** Where ObjectMeta & co. came from. */
  baseline: string
  lockfileChanged: boolean
}

/**
 * What the CRD step did to every set.
 *
 * @example
 * const { lockfileChanged, changedFiles } = await runCrdsStep(crdsStepOptions(plan, false))
 */
export interface CrdSetsOutcome {
  /** The given set's outcome, for the summary line. */
  given: CrdsOutcome | undefined
  /** Any set (or `--no-crds`) changed the lockfile (would, with `write: false`). */
  lockfileChanged: boolean
  /** Files of recorded sets whose content changed since they were locked (`paths` relative to the lockfile). */
  changedFiles: string[]
}

/**
 * Reads and validates the CRDs of the given set as the CRD step will (every file, every
 * apiserver rule, the read limits) and writes nothing: `fetch --crds` calls it before it fetches,
 * so a refused CRD fails before anything is downloaded or written.
 *
 * @example
 * await checkGivenCrds({ crds: ['crds'], cwd: '/repo', base: undefined, override: false }, {})
 */
export async function checkGivenCrds(
  given: GivenCrdSet,
  limits: Partial<CrdReadLimits>,
): Promise<void> {
  const { loadCrds } = await import('@k8s-codegen/openapi')
  await loadCrds(given.crds, { cwd: given.cwd, limits })
}

/**
 * Re-locks every recorded `--crds` set from its files, then the given one, into `lockfile`
 * (after removing the recorded sets with `drop`). Does nothing, reading only the lockfile, when
 * there is no set.
 *
 * @example
 * const { lockfileChanged } = await runCrdsStep(crdsStepOptions(plan, true))
 */
export async function runCrdsStep(options: CrdsStepOptions): Promise<CrdSetsOutcome> {
  const { crdSetPaths, getLockfile, lockCrds, withoutCrdSets, writeLockfile } =
    await import('@k8s-codegen/openapi')
  let current = await getLockfile(options.lockfile)
  let lockfileChanged = false
  if (options.drop && current?.crds !== undefined) {
    current = withoutCrdSets(current)
    lockfileChanged = options.write ? await writeLockfile(options.lockfile, current) : true
  }
  const given = options.given
  const givenPaths =
    given === undefined
      ? undefined
      : JSON.stringify(crdSetPaths(options.lockfile, given.cwd, given.crds))
  const root = dirname(options.lockfile)
  const common = {
    lockfile: options.lockfile,
    cacheDir: options.cacheDir,
    write: options.write,
    limits: options.limits,
    onStored: options.onStored,
  }
  const changedFiles: string[] = []
  for (const set of current?.crds ?? []) {
    if (JSON.stringify([...set.paths].sort()) === givenPaths) continue
    const result = await lockCrds({
      ...common,
      crds: set.paths,
      cwd: root,
      override: set.override === true,
      recorded: true,
    })
    lockfileChanged ||= result.lockfileChanged
    changedFiles.push(...result.changedFiles)
  }
  if (given === undefined) return { given: undefined, lockfileChanged, changedFiles }
  const result = await lockCrds({
    ...common,
    crds: given.crds,
    cwd: given.cwd,
    base: given.base,
    override: given.override,
  })
  changedFiles.push(...result.changedFiles)
  return {
    given: {
      crds: result.crds,
      groupVersions: result.groupVersions,
      skipped: result.skipped,
      files: result.files.length,
      baseline: result.baseline,
      lockfileChanged: result.lockfileChanged,
    },
    lockfileChanged: lockfileChanged || result.lockfileChanged,
    changedFiles,
  }
}
