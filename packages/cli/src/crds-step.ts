// `--crds`: converts CRD files and locks the documents before `generate`, `check` or after
// `fetch`; the library does the work (@k8s-codegen/openapi lockCrds), this only maps options.
import type { CrdReadLimits } from '@k8s-codegen/openapi'

/** Where the CRD step reads and writes, all absolute (see `crdsStepOptions` in generation.ts). */
export interface CrdsStepOptions {
  /** Absolute paths or globs. */
  crds: readonly string[]
  /** Relative globs are matched from here. */
  cwd: string
  lockfile: string
  cacheDir: string
  base: string | undefined
  override: boolean
  /** Bounds on the CRD files read; unset ones default. */
  limits: Partial<CrdReadLimits>
  /** `false` (for `check`): write nothing, only say whether the lockfile would change. */
  write?: boolean | undefined
}

/** What the CRD step did, for the summary. */
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
 * Reads, converts and locks `crds` into `lockfile` (on `base` when given).
 *
 * @example
 * await runCrdsStep(crdsStepOptions(plan, plan.crds))
 */
export async function runCrdsStep(options: CrdsStepOptions): Promise<CrdsOutcome> {
  const { lockCrds } = await import('@k8s-codegen/openapi')
  const result = await lockCrds(options)
  return {
    crds: result.crds,
    groupVersions: result.groupVersions,
    skipped: result.skipped,
    files: result.files.length,
    baseline: result.baseline,
    lockfileChanged: result.lockfileChanged,
  }
}
