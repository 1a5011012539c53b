// After a run that used the spec cache, at most once a day, the entries no run used for 5 days
// are removed (@k8s-codegen/openapi `trimCache`, after Go's build cache), never what this run's
// lockfile locks: a user's cache stays bounded without a command to clean it.
import type { GenerationPlan } from './generation.js'

/**
 * Trims the cache of `plan` when a trim is due (a read of `trim.txt` otherwise), keeping every
 * document the plan's lockfile names. Never fails the run: a cache that cannot be trimmed now is
 * trimmed by a later one.
 *
 * @example
 * await trimCacheAfterRun(plan)
 */
export async function trimCacheAfterRun(
  plan: Pick<GenerationPlan, 'cacheDir' | 'lockfile'>,
): Promise<void> {
  const { getLockfile, lockedEntries, trimCache } = await import('@k8s-codegen/openapi')
  await trimCache(plan.cacheDir, {
    keep: async () => lockedEntries(await getLockfile(plan.lockfile)),
  })
}

/**
 * Withdraws the run's announcement in the cache (openapi `leaveCache`) once the command is done
 * with it, so the cache is as the run found it even when the process goes on (a test, a program
 * calling `main`); a process that exits withdraws it anyway.
 *
 * @example
 * await leaveCacheAfterRun(plan.cacheDir)
 */
export async function leaveCacheAfterRun(cacheDir: string): Promise<void> {
  const { leaveCache } = await import('@k8s-codegen/openapi')
  leaveCache(cacheDir)
}
